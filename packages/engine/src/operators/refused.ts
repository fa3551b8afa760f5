import { defineOperator, type OperatorDefinition } from './types';
import { OperatorCompileError } from './errors';

/**
 * An operator Rampart knows but will not run: loading a rule that uses it fails with `reason`, instead of
 * accepting the rule and silently never (or always) matching.
 */
export function refusedOperator(name: string, reason: string, aliases?: readonly string[]): OperatorDefinition {
  return defineOperator({
    name,
    ...(aliases === undefined ? {} : { aliases }),
    compile() {
      throw new OperatorCompileError('unsupported-operator', `@${name} is not supported: ${reason}`);
    },
  });
}
