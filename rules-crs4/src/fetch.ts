import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import { commonTopLevel, extractArchive, listArchive } from './archive';
import { defaultCacheDir } from './cache-dir';
import { CrsError } from './errors';
import { assertCrsDir, listCrsFiles, loadManifest, type ManifestEntry, shippedManifestVersions } from './manifest';
import { type CrsTree, readCrsTree } from './tree';
import { crsArchiveUrl, CRS_VERSION, isCrsVersion } from './version';

export interface FetchOptions {
  /** The release to fetch (default 4.28.0). Any release works; those without a shipped manifest are unverified. */
  readonly version?: string;
  /** Defaults to the release's GitHub tag archive. */
  readonly url?: string;
  /** Defaults to `~/.cache/rampart/crs-<version>` (or under $XDG_CACHE_HOME). */
  readonly cacheDir?: string;
  /** Replace an existing cached copy. */
  readonly force?: boolean;
  /** Checks against this manifest instead of the one shipped for the release. */
  readonly manifest?: readonly ManifestEntry[];
  readonly timeoutMs?: number;
  /** The archive is a few MB; anything far larger is not the CRS release. */
  readonly maxBytes?: number;
  readonly env?: NodeJS.ProcessEnv;
}

export interface FetchResult {
  readonly dir: string;
  readonly version: string;
  readonly downloaded: boolean;
  readonly files: number;
  /** `verified` against the shipped manifest, or `unverified` (no manifest for that release). */
  readonly verification: 'verified' | 'unverified';
  readonly warnings: readonly string[];
}

const MAX_REDIRECTS = 5;

function get(url: string, timeoutMs: number, maxBytes: number, redirectsLeft: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      reject(new CrsError('CRS_FETCH_FAILED', `invalid URL ${url}`));
      return;
    }
    const client = parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : undefined;
    if (!client) {
      reject(new CrsError('CRS_FETCH_FAILED', `unsupported protocol in ${url}`));
      return;
    }
    const req = client.get(parsed, { timeout: timeoutMs, headers: { 'user-agent': 'rampart-crs-fetch' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirectsLeft <= 0) {
          reject(new CrsError('CRS_FETCH_FAILED', `too many redirects fetching ${url}`));
          return;
        }
        resolve(get(new URL(res.headers.location, parsed).toString(), timeoutMs, maxBytes, redirectsLeft - 1));
        return;
      }
      if (status !== 200) {
        res.resume();
        reject(new CrsError('CRS_FETCH_FAILED', `GET ${url} answered HTTP ${status}`));
        return;
      }
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > maxBytes) {
          req.destroy(new CrsError('CRS_FETCH_FAILED', `GET ${url}: more than ${maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve(Buffer.concat(chunks, total)));
      res.on('error', (err) => reject(new CrsError('CRS_FETCH_FAILED', `GET ${url}: ${err.message}`)));
    });
    req.on('timeout', () => req.destroy(new CrsError('CRS_FETCH_FAILED', `GET ${url}: timed out after ${timeoutMs} ms`)));
    req.on('error', (err) => reject(err instanceof CrsError ? err : new CrsError('CRS_FETCH_FAILED', describeNetworkError(url, err))));
  });
}

const UNREACHABLE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET']);

/** "the network is unreachable" said plainly, with what to do instead. */
function describeNetworkError(url: string, err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code !== undefined && UNREACHABLE.has(code)) {
    return (
      `cannot download ${url}: ${code} (${err.message}). The network (or ${new URL(url).host}) is unreachable from this ` +
      'machine: copy a CRS release here and pass --crs DIR or set RAMPART_CRS_DIR, or fetch from a mirror with --url'
    );
  }
  return `GET ${url}: ${err.message}`;
}

function check(tree: CrsTree, manifest: readonly ManifestEntry[] | undefined, dir: string): { verification: 'verified' | 'unverified'; warnings: string[] } {
  const warnings = [...tree.notes];
  if (manifest === undefined) {
    warnings.push(
      `CRS ${tree.version} is unverified: Rampart ships no manifest for this release (verified releases: ` +
        `${shippedManifestVersions().join(', ')}); it was cached as downloaded`,
    );
    return { verification: 'unverified', warnings };
  }
  assertCrsDir(dir, manifest, tree.version, tree);
  return { verification: 'verified', warnings };
}

/**
 * Downloads a CRS release once (its GitHub tag archive), unpacks it with node-tar, reads the release from the
 * tree, verifies every rule and data file against the manifest shipped for that release (a release without one
 * is cached with an "unverified" warning), and only then moves it into the cache: a bad download never
 * replaces a good copy.
 */
export async function fetchCrs(options: FetchOptions = {}): Promise<FetchResult> {
  const env = options.env ?? process.env;
  const requested = options.version ?? CRS_VERSION;
  if (!isCrsVersion(requested)) throw new CrsError('CRS_FETCH_FAILED', `not a CRS release number: ${requested} (e.g. 4.28.0, 3.3.7)`);
  const cacheDir = path.resolve(options.cacheDir ?? defaultCacheDir(env, requested));
  if (!options.force && existsSync(path.join(cacheDir, 'rules'))) {
    const tree = readCrsTree(cacheDir);
    const result = check(tree, options.manifest ?? loadManifest(tree.version), cacheDir);
    return { dir: cacheDir, version: tree.version, downloaded: false, files: listCrsFiles(cacheDir).length, ...result };
  }
  const url = options.url ?? crsArchiveUrl(requested);
  const archive = await get(url, options.timeoutMs ?? 60_000, options.maxBytes ?? 64 * 1024 * 1024, MAX_REDIRECTS);
  mkdirSync(path.dirname(cacheDir), { recursive: true });
  const staging = `${cacheDir}.partial-${process.pid}-${Date.now()}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const entries = await listArchive(archive, url);
    const files = await extractArchive(archive, staging, { strip: commonTopLevel(entries), what: url });
    const tree = readCrsTree(staging);
    if (options.version !== undefined && tree.version !== options.version) {
      throw new CrsError('CRS_ARCHIVE_INVALID', `${url} holds CRS ${tree.version}, not the requested ${options.version}`);
    }
    const result = check(tree, options.manifest ?? loadManifest(tree.version), staging);
    writeFileSync(path.join(staging, '.rampart-fetched'), `CRS ${tree.version} from ${url} at ${new Date().toISOString()} (${result.verification})\n`);
    rmSync(cacheDir, { recursive: true, force: true });
    renameSync(staging, cacheDir);
    return { dir: cacheDir, version: tree.version, downloaded: true, files, ...result };
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}
