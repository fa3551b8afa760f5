import type { CliIo } from '../io';

/** A `rampart` subcommand: one file under src/commands/, listed in src/commands/index.ts. */
export interface Command {
  name: string;
  /** One line for `rampart --help`. */
  summary: string;
  /** The full text of `rampart <name> --help`. */
  help: string;
  /** Runs with the arguments after the subcommand name; resolves to the exit code. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
