/** Where a command writes and what it resolves paths against; tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  /** Whether stderr is a terminal (progress bars are drawn only there, unless asked for). */
  stderrIsTTY?: boolean;
  /** Standard input, for commands that read `-`. */
  stdin?: () => Promise<Buffer>;
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  get cwd() {
    return process.cwd();
  },
  get stderrIsTTY() {
    return process.stderr.isTTY === true;
  },
  stdin: readStdin,
};

/** Exit codes shared by every subcommand, as ESLint uses them. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_FATAL = 2;

/** Bad usage or an unusable input: reported on stderr, exit code 2. */
export class UsageError extends Error {
  readonly code = 'usage';
}
