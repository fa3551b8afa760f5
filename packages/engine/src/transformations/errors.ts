import { RampartError } from '../errors';

/** `t:name` names no transformation (checked case-insensitively, aliases included). */
export class UnknownTransformationError extends RampartError {
  constructor(readonly transformationName: string) {
    super('unknown-transformation', `unknown transformation "${transformationName}"`);
    this.name = 'UnknownTransformationError';
  }
}

/** Two transformations claim the same name or alias: a programming error, raised when the table is built. */
export class DuplicateTransformationError extends RampartError {
  constructor(readonly transformationName: string) {
    super('duplicate-transformation', `transformation name "${transformationName}" is defined twice`);
    this.name = 'DuplicateTransformationError';
  }
}
