import type { SourceLocation } from '@rampart/seclang';

/** Base class of every error Rampart raises on purpose; `code` is stable and machine-readable. */
export class RampartError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RampartError';
  }
}

/** A rule or directive that cannot be compiled; carries the source location it came from. */
export class RuleCompileError extends RampartError {
  constructor(
    message: string,
    readonly loc: SourceLocation | undefined,
    code = 'rule-compile',
  ) {
    super(code, loc ? `${loc.file}:${loc.line}:${loc.column}: ${message}` : message);
    this.name = 'RuleCompileError';
  }
}

/** Loading a configuration failed: every problem found, each with its location. */
export class ConfigLoadError extends RampartError {
  constructor(readonly problems: readonly { message: string; loc?: SourceLocation }[]) {
    super(
      'config-load',
      `configuration has ${problems.length} error(s):\n` +
        problems.map((p) => (p.loc ? `  ${p.loc.file}:${p.loc.line}:${p.loc.column}: ${p.message}` : `  ${p.message}`)).join('\n'),
    );
    this.name = 'ConfigLoadError';
  }
}
