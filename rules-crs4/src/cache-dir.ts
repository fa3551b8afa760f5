import * as os from 'node:os';
import * as path from 'node:path';
import { CRS_VERSION } from './version';

/** Where `rampart crs fetch` keeps its copies: `$XDG_CACHE_HOME/rampart`, else `~/.cache/rampart`. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'rampart');
}

/** The cached copy of one release: `<cache root>/crs-<version>` (default: the default release). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, version: string = CRS_VERSION): string {
  return path.join(cacheRoot(env), `crs-${version}`);
}
