import * as fs from 'node:fs';
import * as path from 'node:path';
import { commands } from './commands';
import { EXIT_FATAL, EXIT_OK, UsageError, processIo } from './io';
import type { CliIo } from './io';

/** The package version; src/ and dist/ both sit one level below package.json. */
function version(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return (
    'Usage: rampart <command> [options]\n\nCommands:\n' +
    commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}\n`).join('') +
    '\nRun `rampart <command> --help` for the options of a command, `rampart --version` for the version.\n'
  );
}

/**
 * The `rampart` command line: picks the subcommand and turns usage errors into exit code 2. Resolves to
 * the exit code; bin/rampart.js sets it.
 */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(mainHelp());
    return EXIT_FATAL;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`rampart ${version()}\n`);
    return EXIT_OK;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(mainHelp());
    return EXIT_OK;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    io.stderr(`rampart: unknown command '${name}'\n\n${mainHelp()}`);
    return EXIT_FATAL;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`rampart ${command.name}: ${e.message}\nRun \`rampart ${command.name} --help\` for usage.\n`);
      return EXIT_FATAL;
    }
    throw e;
  }
}
