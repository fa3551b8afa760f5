import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CRS_ARCHIVE_URL, crsArchiveUrl, CrsError, defaultCacheDir, fetchCrs, locateCrs, readCrsTree } from '../src';
import { serveArchive, type ArchiveServer } from './helpers/archive-server';
import { releaseArchive, setTreeVersion } from './helpers/archives';

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

describe('fetchCrs (against a local server serving archives built at test time)', () => {
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

  it('downloads (following a redirect), unpacks, verifies and caches per version; the second call does not download', async () => {
    server = await serveArchive(releaseArchive(SHARED, 'coreruleset-4.28.0', undefined, true));
    const env = { XDG_CACHE_HOME: path.join(tmp, 'cache') };
    const cacheDir = path.join(tmp, 'cache', 'rampart', 'crs-4.28.0');
    const first = await fetchCrs({ url: `${server.url}/redirect`, env });
    expect(first).toEqual({ dir: cacheDir, version: '4.28.0', downloaded: true, files: expect.any(Number), verification: 'verified', warnings: [] });
    expect(first.files).toBeGreaterThan(51 + 300); // rules + the regression tests
    expect(server.requests).toEqual(['/redirect', '/archive.tar.gz']);
    expect(readFileSync(path.join(cacheDir, 'rules', 'REQUEST-942-APPLICATION-ATTACK-SQLI.conf'))).toEqual(
      readFileSync(path.join(SHARED, 'rules', 'REQUEST-942-APPLICATION-ATTACK-SQLI.conf')),
    );
    expect(existsSync(path.join(cacheDir, 'tests', 'regression', 'tests', 'REQUEST-999-COMMON-EXCEPTIONS-AFTER', '999999.yml'))).toBe(true);
    expect(readdirSync(path.dirname(cacheDir))).toEqual(['crs-4.28.0']); // no staging leftovers
    expect(readFileSync(path.join(cacheDir, '.rampart-fetched'), 'utf8')).toMatch(/^CRS 4\.28\.0 from http:\/\/127\.0\.0\.1:\d+\/redirect at .*\(verified\)/);

    const second = await fetchCrs({ url: `${server.url}/redirect`, env });
    expect(second.downloaded).toBe(false);
    expect(server.requests).toHaveLength(2);

    const located = locateCrs({ repoRoot: tmp, cwd: tmp, env });
    expect(located).toMatchObject({ dir: cacheDir, version: '4.28.0', verified: true, verification: 'verified', source: 'cache', warnings: [] });
  });

  it('fetches a release it has no manifest for, reading the version from the tree, with an "unverified" warning', async () => {
    server = await serveArchive(releaseArchive(SHARED, 'coreruleset-4.99.0', (d) => setTreeVersion(d, '4.99.0')));
    const env = { XDG_CACHE_HOME: path.join(tmp, 'cache') };
    const r = await fetchCrs({ version: '4.99.0', url: `${server.url}/archive.tar.gz`, env });
    expect(r.dir).toBe(path.join(tmp, 'cache', 'rampart', 'crs-4.99.0'));
    expect(r.verification).toBe('unverified');
    expect(r.warnings).toEqual([expect.stringMatching(/CRS 4\.99\.0 is unverified: Rampart ships no manifest for this release \(verified releases: 3\.3\.4, 3\.3\.7, 4\.28\.0\)/)]);
    // No default-release copy is cached: locate falls back to the newest cached release, and says it is unverified.
    const located = locateCrs({ repoRoot: tmp, cwd: tmp, env });
    expect(located).toMatchObject({ version: '4.99.0', verification: 'unverified', source: 'cache' });
    expect(located.warnings.join()).toMatch(/unverified/);
  });

  it('refuses an archive that is not the release asked for', async () => {
    server = await serveArchive(releaseArchive(SHARED, 'coreruleset-4.28.0'));
    await expect(fetchCrs({ version: '4.27.0', url: `${server.url}/archive.tar.gz`, cacheDir: path.join(tmp, 'c') })).rejects.toThrow(/holds CRS 4\.28\.0, not the requested 4\.27\.0/);
  });

  it('refuses an archive whose files differ from the manifest and leaves no copy behind', async () => {
    const tampered = releaseArchive(SHARED, 'coreruleset-4.28.0', (d) => writeFileSync(path.join(d, 'rules', 'REQUEST-913-SCANNER-DETECTION.conf'), 'SecRuleEngine Off\n'));
    server = await serveArchive(tampered);
    const cacheDir = path.join(tmp, 'crs');
    await expect(fetchCrs({ url: `${server.url}/archive.tar.gz`, cacheDir })).rejects.toThrow(/REQUEST-913-SCANNER-DETECTION\.conf/);
    expect(existsSync(cacheDir)).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('refuses a corrupted and a truncated archive with CRS_ARCHIVE_INVALID, leaving no copy', async () => {
    const good = releaseArchive(SHARED, 'coreruleset-4.28.0');
    const corrupted = Buffer.from(good);
    for (let i = 2000; i < 2400; i++) corrupted[i] = corrupted[i]! ^ 0x5a;
    const truncated = good.subarray(0, Math.floor(good.length / 2));
    for (const [name, body] of [['corrupted', corrupted], ['truncated', truncated]] as const) {
      server = await serveArchive(body);
      const cacheDir = path.join(tmp, name);
      const err = await fetchCrs({ url: `${server.url}/archive.tar.gz`, cacheDir }).then(() => undefined, (e: CrsError) => e);
      expect(err?.code).toBe('CRS_ARCHIVE_INVALID');
      expect(err?.message).toMatch(/not a valid tar\.gz archive/);
      expect(existsSync(cacheDir)).toBe(false);
      await server.close();
      server = undefined;
    }
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('reports HTTP errors and non-gzip bodies clearly', async () => {
    server = await serveArchive(Buffer.from('this is not gzip'));
    expect(await codeOf(fetchCrs({ url: `${server.url}/missing`, cacheDir: path.join(tmp, 'a') }))).toBe('CRS_FETCH_FAILED');
    await expect(fetchCrs({ url: `${server.url}/missing`, cacheDir: path.join(tmp, 'a') })).rejects.toThrow(/HTTP 404/);
    expect(await codeOf(fetchCrs({ url: `${server.url}/archive.tar.gz`, cacheDir: path.join(tmp, 'b') }))).toBe('CRS_ARCHIVE_INVALID');
    expect(await codeOf(fetchCrs({ url: 'ftp://example.invalid/x', cacheDir: path.join(tmp, 'c') }))).toBe('CRS_FETCH_FAILED');
    await expect(fetchCrs({ version: 'latest', cacheDir: path.join(tmp, 'd') })).rejects.toThrow(/not a CRS release number/);
  });

  it('says plainly when the network is unreachable', async () => {
    // A port nobody listens on: connection refused, as from a machine without a route out.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const err = await fetchCrs({ url: `http://127.0.0.1:${port}/x.tar.gz`, cacheDir: path.join(tmp, 'n') }).then(() => undefined, (e: CrsError) => e);
    expect(err?.code).toBe('CRS_FETCH_FAILED');
    expect(err?.message).toMatch(/ECONNREFUSED.*unreachable from this machine.*--crs DIR/);
  });

  it('defaults to the official release archive and the user cache, per version', () => {
    expect(CRS_ARCHIVE_URL).toBe('https://github.com/coreruleset/coreruleset/archive/refs/tags/v4.28.0.tar.gz');
    expect(crsArchiveUrl('3.3.7')).toBe('https://github.com/coreruleset/coreruleset/archive/refs/tags/v3.3.7.tar.gz');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache' })).toBe('/x/cache/rampart/crs-4.28.0');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache' }, '3.3.7')).toBe('/x/cache/rampart/crs-3.3.7');
    expect(defaultCacheDir({})).toBe(path.join(os.homedir(), '.cache', 'rampart', 'crs-4.28.0'));
  });
});

describe('locateCrs', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'crs-locate-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));
  const copy = (name: string): string => {
    const dir = path.join(tmp, name);
    cpSync(SHARED, dir, { recursive: true, filter: (src) => path.relative(SHARED, src) !== 'tests' });
    return dir;
  };

  it('finds ../shared/crs4 beside the repository root', () => {
    const located = locateCrs({ env: {}, cacheDir: path.join(tmp, 'none') });
    expect(located).toMatchObject({ dir: SHARED, version: '4.28.0', verified: true, verification: 'verified', source: 'shared', warnings: [] });
  });

  it('finds ../shared/crs4 relative to the current directory', () => {
    const root = path.join(tmp, 'work');
    cpSync(SHARED, path.join(root, 'shared', 'crs4'), { recursive: true, filter: (src) => path.relative(SHARED, src) !== 'tests' });
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
    expect(() => locateCrs(opts)).toThrow(/no CRS found\. Tried: .*shared.*cache.*rampart crs fetch/);
    expect(await codeOf(() => locateCrs(opts))).toBe('CRS_NOT_FOUND');
  });

  it('loads a copy the user names that differs from its release, with a warning naming the files', () => {
    const dir = copy('crs');
    writeFileSync(path.join(dir, 'rules', 'php-errors.data'), 'changed\n');
    const located = locateCrs({ crsDir: dir });
    expect(located).toMatchObject({ version: '4.28.0', verified: false, verification: 'modified' });
    expect(located.warnings).toEqual([expect.stringMatching(/differs from CRS 4\.28\.0 as released \(SHA-256 differs .*php-errors\.data\)/)]);
    expect(locateCrs({ crsDir: dir, verify: false }).verification).toBe('unverified');
  });

  it('refuses a damaged copy it placed itself (the cache) or the shared copy', () => {
    const dir = copy('cached');
    writeFileSync(path.join(dir, 'rules', 'php-errors.data'), 'changed\n');
    expect(() => locateCrs({ env: {}, repoRoot: path.join(tmp, 'r'), cwd: path.join(tmp, 'c'), cacheDir: dir })).toThrow(/is not CRS 4\.28\.0 as released .*php-errors\.data/);
  });

  it('accepts any 4.x release, reading the version from the tree, unverified when no manifest ships for it', () => {
    const dir = copy('crs-4.99');
    setTreeVersion(dir, '4.99.0');
    const located = locateCrs({ crsDir: dir });
    expect(located).toMatchObject({ version: '4.99.0', verification: 'unverified' });
    expect(located.warnings).toEqual([expect.stringMatching(/CRS 4\.99\.0 at .* is unverified: Rampart ships no manifest for this release/)]);
  });

  it('reads the rules\' signature over a VERSION file that disagrees, and says so', () => {
    const dir = copy('crs-v');
    writeFileSync(path.join(dir, 'VERSION'), 'tag: v4.1.0\n');
    const tree = readCrsTree(dir);
    expect(tree.version).toBe('4.28.0');
    expect(tree.notes).toEqual([expect.stringMatching(/says 4\.1\.0 but the rules say OWASP_CRS\/4\.28\.0/)]);
  });

  it('refuses CRS 2 and trees with no release', async () => {
    const two = copy('crs-2');
    setTreeVersion(two, '2.2.9');
    expect(await codeOf(() => locateCrs({ crsDir: two }))).toBe('CRS_VERSION_UNSUPPORTED');
    const none = path.join(tmp, 'none');
    mkdirSync(path.join(none, 'rules'), { recursive: true });
    expect(await codeOf(() => locateCrs({ crsDir: none }))).toBe('CRS_VERSION_UNKNOWN');
  });

  it('reads a distribution layout: Debian\'s rules dir with owasp-crs.load naming the setup and exclusion files', () => {
    const share = path.join(tmp, 'usr-share');
    const etc = path.join(tmp, 'etc');
    mkdirSync(etc, { recursive: true });
    cpSync(path.join(SHARED, 'rules'), path.join(share, 'rules'), { recursive: true });
    cpSync(path.join(SHARED, 'crs-setup.conf.example'), path.join(etc, 'crs-setup.conf'));
    writeFileSync(path.join(etc, 'before.conf'), '# before\n');
    writeFileSync(
      path.join(share, 'owasp-crs.load'),
      [`Include ${etc}/crs-setup.conf`, `IncludeOptional ${etc}/before.conf`, `Include ${share}/rules/*.conf`, `IncludeOptional ${etc}/after.conf`, ''].join('\n'),
    );
    const tree = readCrsTree(share);
    expect(tree).toMatchObject({ version: '4.28.0', major: 4, setupFile: path.join(etc, 'crs-setup.conf'), beforeRules: [path.join(etc, 'before.conf')], afterRules: [] });
    // The setup template is checked in its own place.
    expect(locateCrs({ crsDir: share })).toMatchObject({ verification: 'verified', warnings: [] });
    writeFileSync(path.join(etc, 'crs-setup.conf'), '# edited\n');
    const edited = locateCrs({ crsDir: share });
    expect(edited.verification).toBe('modified');
    expect(edited.warnings.join()).toMatch(/SHA-256 differs from the CRS 4\.28\.0 manifest: crs-setup\.conf\.example/);
  });
});
