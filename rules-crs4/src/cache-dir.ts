import * as os from 'node:os';
import * as path from 'node:path';
import { CRS_VERSION } from './version';

/** Where `rampart crs fetch` keeps its copy: `$XDG_CACHE_HOME/rampart/crs-4.28.0`, else `~/.cache/...`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'rampart', `crs-${CRS_VERSION}`);
}
