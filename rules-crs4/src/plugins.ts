import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { CrsError } from './errors';

/** A CRS plugin directory's files, by the place CRS 4 includes them at. */
export interface CrsPluginFiles {
  readonly dir: string;
  /** `*-config.conf`: after crs-setup, before everything else. */
  readonly config: readonly string[];
  /** `*-before.conf`: before the CRS rules. */
  readonly before: readonly string[];
  /** `*-after.conf`: after the CRS rules. */
  readonly after: readonly string[];
}

/**
 * Lists a plugin directory the way CRS's own installation instructions include it (`Include plugins/*-config.conf`,
 * `plugins/*-before.conf`, the rules, then `plugins/*-after.conf`), each group in name order as Apache and
 * libmodsecurity expand a glob. Other files (data files, READMEs) are left for the plugins' own rules to read.
 */
export function readPluginDir(dir: string): CrsPluginFiles {
  const root = path.resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new CrsError('CRS_PLUGIN_INVALID', `CRS plugin directory ${root} does not exist or is not a directory`);
  }
  const names = readdirSync(root).sort();
  const pick = (suffix: string): string[] =>
    names.filter((n) => n.endsWith(suffix) && statSync(path.join(root, n)).isFile()).map((n) => path.join(root, n));
  return { dir: root, config: pick('-config.conf'), before: pick('-before.conf'), after: pick('-after.conf') };
}
