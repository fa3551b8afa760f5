import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CrsError } from './errors';
import { defaultCacheDir } from './cache-dir';
import { assertCrsDir, type ManifestEntry, loadBundledManifest } from './manifest';
import { readTar, extractTar } from './tar-reader';
import { CRS_ARCHIVE_URL, CRS_VERSION } from './version';

export interface FetchOptions {
  /** Defaults to the official v4.28.0 tag archive on GitHub. */
  readonly url?: string;
  /** Defaults to `~/.cache/rampart/crs-4.28.0` (or under $XDG_CACHE_HOME). */
  readonly cacheDir?: string;
  /** Replace an existing cached copy. */
  readonly force?: boolean;
  readonly manifest?: readonly ManifestEntry[];
  readonly timeoutMs?: number;
  /** The archive is a few MB; anything far larger is not the CRS release. */
  readonly maxBytes?: number;
}

export interface FetchResult {
  readonly dir: string;
  readonly downloaded: boolean;
  readonly files: number;
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
    req.on('error', (err) => reject(err instanceof CrsError ? err : new CrsError('CRS_FETCH_FAILED', `GET ${url}: ${err.message}`)));
  });
}

/** GitHub wraps the tree in one top directory; strip it only when every entry shares it. */
function commonTopDir(archive: Buffer): number {
  const tops = new Set(readTar(archive).map((e) => e.path.split('/')[0]));
  return tops.size === 1 ? 1 : 0;
}

/**
 * Downloads CRS once (the official release archive), unpacks it with our own tar reader, verifies every rule and
 * data file against the committed manifest, and only then moves it into the cache: a bad download never
 * replaces a good copy.
 */
export async function fetchCrs(options: FetchOptions = {}): Promise<FetchResult> {
  const cacheDir = path.resolve(options.cacheDir ?? defaultCacheDir());
  const manifest = options.manifest ?? loadBundledManifest();
  if (!options.force && existsSync(cacheDir)) {
    assertCrsDir(cacheDir, manifest);
    return { dir: cacheDir, downloaded: false, files: manifest.length };
  }
  const url = options.url ?? CRS_ARCHIVE_URL;
  const gz = await get(url, options.timeoutMs ?? 60_000, options.maxBytes ?? 64 * 1024 * 1024, MAX_REDIRECTS);
  let archive: Buffer;
  try {
    archive = gunzipSync(gz, { maxOutputLength: 512 * 1024 * 1024 });
  } catch (err) {
    throw new CrsError('CRS_ARCHIVE_INVALID', `${url} is not a gzip archive: ${(err as Error).message}`);
  }
  mkdirSync(path.dirname(cacheDir), { recursive: true });
  const staging = `${cacheDir}.partial-${process.pid}-${Date.now()}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const written = extractTar(archive, staging, { stripComponents: commonTopDir(archive) });
    assertCrsDir(staging, manifest);
    writeFileSync(path.join(staging, '.rampart-fetched'), `CRS ${CRS_VERSION} from ${url} at ${new Date().toISOString()}\n`);
    rmSync(cacheDir, { recursive: true, force: true });
    renameSync(staging, cacheDir);
    return { dir: cacheDir, downloaded: true, files: written.length };
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}
