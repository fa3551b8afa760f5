import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { defaultCacheDir } from './cache-dir';
import { CrsError } from './errors';
import { assertCrsDir, type ManifestEntry, loadBundledManifest } from './manifest';
import { CRS_VERSION } from './version';

export type CrsSource = 'option' | 'env' | 'shared' | 'cache';

export interface LocateOptions {
  /** `--crs DIR`: wins over everything, and must exist. */
  readonly crsDir?: string;
  /** Defaults to process.env (read: RAMPART_CRS_DIR, XDG_CACHE_HOME). */
  readonly env?: NodeJS.ProcessEnv;
  /** Defaults to process.cwd(); `<cwd>/../shared/crs4` is a candidate. */
  readonly cwd?: string;
  /** Defaults to this monorepo's root; `<repoRoot>/../shared/crs4` is a candidate. */
  readonly repoRoot?: string;
  readonly cacheDir?: string;
  /** Defaults to true. With false the copy is used as is and reported as `verified: false`. */
  readonly verify?: boolean;
  readonly manifest?: readonly ManifestEntry[];
}

export interface LocatedCrs {
  readonly dir: string;
  readonly version: string;
  readonly verified: boolean;
  readonly source: CrsSource;
}

const REPO_ROOT = path.resolve(__dirname, '..', '..');

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

/** Candidates in order, each with where it came from, so the error can list what was tried. */
function candidates(opts: LocateOptions, env: NodeJS.ProcessEnv): Array<{ dir: string; source: CrsSource; explicit: boolean }> {
  const out: Array<{ dir: string; source: CrsSource; explicit: boolean }> = [];
  if (opts.crsDir !== undefined) return [{ dir: path.resolve(opts.cwd ?? process.cwd(), opts.crsDir), source: 'option', explicit: true }];
  const fromEnv = env.RAMPART_CRS_DIR;
  if (fromEnv !== undefined && fromEnv !== '') {
    return [{ dir: path.resolve(opts.cwd ?? process.cwd(), fromEnv), source: 'env', explicit: true }];
  }
  const shared = [path.resolve(opts.repoRoot ?? REPO_ROOT, '..', 'shared', 'crs4'), path.resolve(opts.cwd ?? process.cwd(), '..', 'shared', 'crs4')];
  for (const dir of new Set(shared)) out.push({ dir, source: 'shared', explicit: false });
  out.push({ dir: path.resolve(opts.cacheDir ?? defaultCacheDir(env)), source: 'cache', explicit: false });
  return out;
}

/**
 * Finds CRS 4.28.0: `--crs DIR`, else $RAMPART_CRS_DIR, else `../shared/crs4` (beside the repo root or the
 * current directory), else the copy `rampart crs fetch` left in the cache. The copy found is verified against the
 * committed manifest; an explicit location that is missing is an error, never a silent fall-through.
 */
export function locateCrs(opts: LocateOptions = {}): LocatedCrs {
  const env = opts.env ?? process.env;
  const tried: string[] = [];
  for (const c of candidates(opts, env)) {
    const looksLikeCrs = isDir(c.dir) && isDir(path.join(c.dir, 'rules'));
    if (!looksLikeCrs) {
      if (c.explicit) {
        throw new CrsError('CRS_NOT_FOUND', `CRS directory ${c.dir} (from ${c.source === 'env' ? 'RAMPART_CRS_DIR' : '--crs'}) does not exist or has no rules/ directory`);
      }
      tried.push(`${c.dir} (${c.source})`);
      continue;
    }
    if (opts.verify === false) return { dir: c.dir, version: CRS_VERSION, verified: false, source: c.source };
    assertCrsDir(c.dir, opts.manifest ?? loadBundledManifest());
    return { dir: c.dir, version: CRS_VERSION, verified: true, source: c.source };
  }
  throw new CrsError(
    'CRS_NOT_FOUND',
    `CRS ${CRS_VERSION} not found. Tried: ${tried.join(', ')}. Pass --crs DIR, set RAMPART_CRS_DIR, or run \`rampart crs fetch\`.`,
  );
}
