import { crsCommand } from './crs';
import { explainCommand } from './explain';
import { lintCommand } from './lint';
import { spoaCommand } from './spoa';
import { tuneCommand } from './tune';
import type { Command } from './types';

/**
 * The subcommands, sorted by name. A new one (spoa, check, ftw, bench, crs...) is a file in this folder
 * exporting a `Command`, added here.
 */
export const commands: readonly Command[] = [crsCommand, explainCommand, lintCommand, spoaCommand, tuneCommand];

export type { Command } from './types';
