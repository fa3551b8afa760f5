import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { cacheRoot, defaultCacheDir } from './cache-dir';
import { CrsError } from './errors';
import { describeMismatch, type ManifestEntry, loadManifest, shippedManifestVersions, verifyCrsDir } from './manifest';
import { type CrsTree, readCrsTree } from './tree';
import { compareCrsVersions, CRS_VERSION } from './version';

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
  /** A cached copy to use (default: the default release's cache directory, then any other cached release). */
  readonly cacheDir?: string;
  /** Defaults to true. With false the copy is used as is and reported as not verified. */
  readonly verify?: boolean;
  /** Checks the copy against this manifest instead of the one shipped for its release. */
  readonly manifest?: readonly ManifestEntry[];
}

/**
 * How far the copy was checked: `verified` (every file as released, per the shipped manifest), `modified`
 * (a release Rampart knows, with files that differ: a distribution's patches or local edits), `unverified`
 * (Rampart ships no manifest for that release, or verification was turned off).
 */
export type CrsVerification = 'verified' | 'modified' | 'unverified';

export interface LocatedCrs {
  readonly dir: string;
  readonly version: string;
  readonly verified: boolean;
  readonly verification: CrsVerification;
  readonly source: CrsSource;
  readonly tree: CrsTree;
  /** What the user should be told when this copy is loaded ("unverified", modified files...). */
  readonly warnings: readonly string[];
}

const REPO_ROOT = path.resolve(__dirname, '..', '..');

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

/** Cached releases under the cache root (`crs-<version>` directories), newest first. */
function cachedReleases(env: NodeJS.ProcessEnv): string[] {
  const root = cacheRoot(env);
  if (!isDir(root)) return [];
  return readdirSync(root)
    .map((name) => /^crs-(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/.exec(name)?.[1])
    .filter((v): v is string => v !== undefined && isDir(path.join(root, `crs-${v}`, 'rules')))
    .sort((a, b) => compareCrsVersions(b, a))
    .map((v) => path.join(root, `crs-${v}`));
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
  if (opts.cacheDir !== undefined) out.push({ dir: path.resolve(opts.cacheDir), source: 'cache', explicit: false });
  else {
    const preferred = defaultCacheDir(env);
    out.push({ dir: preferred, source: 'cache', explicit: false });
    for (const dir of cachedReleases(env)) if (dir !== preferred) out.push({ dir, source: 'cache', explicit: false });
  }
  return out;
}

/**
 * Checks a tree against the manifest shipped for its release. A copy the user named (--crs, RAMPART_CRS_DIR)
 * that differs is loaded with a warning naming every changed file (Debian patches its CRS for security fixes;
 * users edit theirs); a copy Rampart placed itself (the fetch cache) or the project's shared copy must be as
 * released, or it is refused: it was damaged after it was verified.
 */
function verification(tree: CrsTree, opts: LocateOptions, explicit: boolean): { verification: CrsVerification; warnings: string[] } {
  const warnings = [...tree.notes];
  if (opts.verify === false) {
    warnings.push(`CRS ${tree.version} at ${tree.dir} is not verified (verification turned off)`);
    return { verification: 'unverified', warnings };
  }
  const manifest = opts.manifest ?? loadManifest(tree.version);
  if (manifest === undefined) {
    warnings.push(
      `CRS ${tree.version} at ${tree.dir} is unverified: Rampart ships no manifest for this release ` +
        `(verified releases: ${shippedManifestVersions().join(', ')}); it is loaded as it is`,
    );
    return { verification: 'unverified', warnings };
  }
  const result = verifyCrsDir(tree.dir, manifest, tree);
  if (result.ok) return { verification: 'verified', warnings };
  const what = describeMismatch(result, tree.version);
  if (!explicit) throw new CrsError('CRS_MANIFEST_MISMATCH', `CRS copy at ${tree.dir} is not CRS ${tree.version} as released (${what})`);
  warnings.push(`CRS copy at ${tree.dir} differs from CRS ${tree.version} as released (${what}); it is loaded as it is`);
  return { verification: 'modified', warnings };
}

/**
 * Finds a CRS copy: `--crs DIR`, else $RAMPART_CRS_DIR, else `../shared/crs4` (beside the repo root or the
 * current directory), else the copy `rampart crs fetch` left in the cache (the default release first, then the
 * newest other). Any CRS 3.x or 4.x tree is accepted; its release is read from the tree. An explicit location
 * that is missing is an error, never a silent fall-through.
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
    const tree = readCrsTree(c.dir);
    const v = verification(tree, opts, c.explicit);
    return {
      dir: tree.dir,
      version: tree.version,
      verified: v.verification === 'verified',
      verification: v.verification,
      source: c.source,
      tree,
      warnings: v.warnings,
    };
  }
  throw new CrsError(
    'CRS_NOT_FOUND',
    `no CRS found. Tried: ${tried.join(', ')}. Pass --crs DIR, set RAMPART_CRS_DIR, or run \`rampart crs fetch\` (CRS ${CRS_VERSION} by default).`,
  );
}
