import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CRS_ARCHIVE_URL, CrsError, defaultCacheDir, fetchCrs, locateCrs } from '../src';
import { serveArchive, type ArchiveServer } from './helpers/archive-server';
import { githubStyleArchive } from './helpers/tar-writer';

const SHARED = path.resolve(__dirname, '..', '..', '..', 'shared', 'crs4');

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    if (typeof p === 'function') p();
    else await p;
  } catch (err) {
    return (err as CrsError).code;
  }
  return undefined;
}

describe('fetchCrs (against a local server)', () => {
  let tmp: string;
  let server: ArchiveServer | undefined;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'crs-fetch-'));
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    rmSync(tmp, { recursive: true, force: true });
  });

  it('downloads (following a redirect), unpacks, verifies and caches; the second call does not download', async () => {
    // The archive is built on disk in a temp dir (our tar writer + node's zlib), then served from there.
    const archiveFile = path.join(tmp, 'build', 'coreruleset-4.28.0.tar.gz');
    mkdirSync(path.dirname(archiveFile), { recursive: true });
    writeFileSync(archiveFile, githubStyleArchive(SHARED));
    server = await serveArchive(readFileSync(archiveFile));
    const cacheDir = path.join(tmp, 'cache', 'rampart', 'crs-4.28.0');
    const first = await fetchCrs({ url: `${server.url}/redirect`, cacheDir });
    expect(first).toEqual({ dir: cacheDir, downloaded: true, files: expect.any(Number) });
    expect(first.files).toBeGreaterThan(51 + 300); // rules + the regression tests
    expect(server.requests).toEqual(['/redirect', '/archive.tar.gz']);
    expect(readFileSync(path.join(cacheDir, 'rules', 'REQUEST-942-APPLICATION-ATTACK-SQLI.conf'))).toEqual(
      readFileSync(path.join(SHARED, 'rules', 'REQUEST-942-APPLICATION-ATTACK-SQLI.conf')),
    );
    expect(existsSync(path.join(cacheDir, 'tests', 'regression', 'tests', 'REQUEST-999-COMMON-EXCEPTIONS-AFTER', '999999.yml'))).toBe(true);
    expect(readdirSync(path.dirname(cacheDir))).toEqual(['crs-4.28.0']); // no staging leftovers
    expect(readFileSync(path.join(cacheDir, '.rampart-fetched'), 'utf8')).toMatch(/^CRS 4\.28\.0 from http:\/\/127\.0\.0\.1:\d+\/redirect at /);

    const second = await fetchCrs({ url: `${server.url}/redirect`, cacheDir });
    expect(second.downloaded).toBe(false);
    expect(server.requests).toHaveLength(2);

    const located = locateCrs({ cacheDir, repoRoot: tmp, cwd: tmp, env: {} });
    expect(located).toEqual({ dir: cacheDir, version: '4.28.0', verified: true, source: 'cache' });
  });

  it('refuses an archive whose files differ from the manifest and leaves no copy behind', async () => {
    const tampered = githubStyleArchive(SHARED, 'coreruleset-4.28.0', (entries) =>
      entries.map((e) => (e.path.endsWith('rules/REQUEST-913-SCANNER-DETECTION.conf') ? { ...e, data: Buffer.from('SecRuleEngine Off\n') } : e)),
    );
    server = await serveArchive(tampered);
    const cacheDir = path.join(tmp, 'crs');
    await expect(fetchCrs({ url: `${server.url}/archive.tar.gz`, cacheDir })).rejects.toThrow(/REQUEST-913-SCANNER-DETECTION\.conf/);
    expect(existsSync(cacheDir)).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('reports HTTP errors and non-gzip bodies clearly', async () => {
    server = await serveArchive(Buffer.from('this is not gzip'));
    expect(await codeOf(fetchCrs({ url: `${server.url}/missing`, cacheDir: path.join(tmp, 'a') }))).toBe('CRS_FETCH_FAILED');
    await expect(fetchCrs({ url: `${server.url}/missing`, cacheDir: path.join(tmp, 'a') })).rejects.toThrow(/HTTP 404/);
    expect(await codeOf(fetchCrs({ url: `${server.url}/archive.tar.gz`, cacheDir: path.join(tmp, 'b') }))).toBe('CRS_ARCHIVE_INVALID');
    expect(await codeOf(fetchCrs({ url: 'ftp://example.invalid/x', cacheDir: path.join(tmp, 'c') }))).toBe('CRS_FETCH_FAILED');
  });

  it('defaults to the official release archive and the user cache', () => {
    expect(CRS_ARCHIVE_URL).toBe('https://github.com/coreruleset/coreruleset/archive/refs/tags/v4.28.0.tar.gz');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache' })).toBe('/x/cache/rampart/crs-4.28.0');
    expect(defaultCacheDir({})).toBe(path.join(os.homedir(), '.cache', 'rampart', 'crs-4.28.0'));
  });
});

describe('locateCrs', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'crs-locate-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('finds ../shared/crs4 beside the repository root', () => {
    const located = locateCrs({ env: {}, cacheDir: path.join(tmp, 'none') });
    expect(located).toEqual({ dir: SHARED, version: '4.28.0', verified: true, source: 'shared' });
  });

  it('finds ../shared/crs4 relative to the current directory', () => {
    const root = path.join(tmp, 'work');
    cpSync(SHARED, path.join(root, 'shared', 'crs4'), { recursive: true });
    mkdirSync(path.join(root, 'main'));
    const located = locateCrs({ env: {}, repoRoot: path.join(tmp, 'elsewhere'), cwd: path.join(root, 'main'), cacheDir: path.join(tmp, 'none') });
    expect(located.dir).toBe(path.join(root, 'shared', 'crs4'));
    expect(located.source).toBe('shared');
  });

  it('--crs and RAMPART_CRS_DIR win, and must exist', () => {
    expect(locateCrs({ crsDir: SHARED, env: { RAMPART_CRS_DIR: '/nope' } }).source).toBe('option');
    expect(locateCrs({ env: { RAMPART_CRS_DIR: SHARED } }).source).toBe('env');
    expect(() => locateCrs({ env: { RAMPART_CRS_DIR: path.join(tmp, 'missing') } })).toThrow(/RAMPART_CRS_DIR/);
    expect(() => locateCrs({ crsDir: path.join(tmp, 'missing'), env: {} })).toThrow(/--crs/);
  });

  it('says what it tried when there is no copy', async () => {
    const opts = { env: {}, repoRoot: path.join(tmp, 'r'), cwd: path.join(tmp, 'c'), cacheDir: path.join(tmp, 'cache') };
    expect(() => locateCrs(opts)).toThrow(/not found\. Tried: .*shared.*cache.*rampart crs fetch/);
    expect(await codeOf(() => locateCrs(opts))).toBe('CRS_NOT_FOUND');
  });

  it('refuses a modified copy unless verification is turned off', () => {
    const dir = path.join(tmp, 'crs');
    cpSync(SHARED, dir, { recursive: true });
    writeFileSync(path.join(dir, 'rules', 'php-errors.data'), 'changed\n');
    expect(() => locateCrs({ crsDir: dir })).toThrow(/php-errors\.data/);
    expect(locateCrs({ crsDir: dir, verify: false })).toEqual({ dir, version: '4.28.0', verified: false, source: 'option' });
  });
});
