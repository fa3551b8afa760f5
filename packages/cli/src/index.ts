export { main } from './cli';
export { commands } from './commands';
export type { Command } from './commands';
export { EXIT_FATAL, EXIT_FINDINGS, EXIT_OK, UsageError } from './io';
export type { CliIo } from './io';
export { parseArgs } from './args';
export type { OptionSpec, ParsedArgs } from './args';
