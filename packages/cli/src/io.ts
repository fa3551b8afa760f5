/** Where a command writes and what it resolves paths against; tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
}

export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  get cwd() {
    return process.cwd();
  },
};

/** Exit codes shared by every subcommand, as ESLint uses them. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_FATAL = 2;

/** Bad usage or an unusable input: reported on stderr, exit code 2. */
export class UsageError extends Error {
  readonly code = 'usage';
}
