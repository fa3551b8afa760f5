import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../src';
import type { CliIo } from '../src';
import { serveArchive, type ArchiveServer } from '../../../rules-crs4/test/helpers/archive-server';
import { releaseArchive, setTreeVersion } from '../../../rules-crs4/test/helpers/archives';

const SHARED_CRS = path.resolve(__dirname, '../../../../shared/crs4');

function io(cwd: string): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { cwd, stdout: (t) => void (out += t), stderr: (t) => void (err += t), out: () => out, err: () => err };
}

describe('rampart crs', () => {
  let tmp: string;
  let server: ArchiveServer | undefined;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'rampart-crs-cli-'));
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    rmSync(tmp, { recursive: true, force: true });
  });

  test('fetch downloads, verifies and caches the archive; a second fetch does not download', async () => {
    server = await serveArchive(releaseArchive(SHARED_CRS, 'coreruleset-4.28.0'));
    const c = io(tmp);
    expect(await main(['crs', 'fetch', '--url', `${server.url}/redirect`, '--cache-dir', 'cache'], c)).toBe(0);
    expect(c.out()).toMatch(/^fetched: CRS 4\.28\.0 in .*cache \(\d+ files, verified\)\n$/);
    const again = io(tmp);
    expect(await main(['crs', 'fetch', '--url', `${server.url}/redirect`, '--cache-dir', 'cache'], again)).toBe(0);
    expect(again.out()).toMatch(/^already cached/);
    const located = io(tmp);
    expect(await main(['crs', 'locate', '--crs', 'cache'], located)).toBe(0);
    expect(located.out()).toMatch(/from option; verified/);
  }, 60_000);

  test('fetch --version takes any release: one without a shipped manifest is cached with an "unverified" warning', async () => {
    server = await serveArchive(releaseArchive(SHARED_CRS, 'coreruleset-4.99.0', (d) => setTreeVersion(d, '4.99.0')));
    const c = io(tmp);
    expect(await main(['crs', 'fetch', '--version', '4.99.0', '--url', `${server.url}/archive.tar.gz`, '--cache-dir', 'cache'], c)).toBe(0);
    expect(c.err()).toMatch(/^rampart crs fetch: warning: CRS 4\.99\.0 is unverified: Rampart ships no manifest for this release/);
    expect(c.out()).toMatch(/^fetched: CRS 4\.99\.0 in .*cache \(\d+ files, unverified\)\n$/);
    const located = io(tmp);
    expect(await main(['crs', 'locate', '--crs', 'cache'], located)).toBe(0);
    expect(located.out()).toMatch(/^CRS 4\.99\.0 in .* \(from option; unverified\)/);
    expect(located.err()).toMatch(/warning: CRS 4\.99\.0 at .* is unverified/);
  }, 60_000);

  test('fetch says when the network is unreachable', async () => {
    const c = io(tmp);
    // Port 9 on the loopback: nothing listens there on a test machine (connection refused).
    expect(await main(['crs', 'fetch', '--url', 'http://127.0.0.1:9/crs.tar.gz', '--cache-dir', 'cache'], c)).toBe(2);
    expect(c.err()).toMatch(/unreachable from this machine/);
  });

  test('a download that is not the CRS archive fails with a clear message and exit 2', async () => {
    server = await serveArchive(Buffer.from('not a tarball'));
    const c = io(tmp);
    expect(await main(['crs', 'fetch', '--url', `${server.url}/archive.tar.gz`, '--cache-dir', 'cache'], c)).toBe(2);
    expect(c.err()).toMatch(/^rampart crs fetch: /);
  });

  test('usage errors exit 2', async () => {
    const c = io(tmp);
    expect(await main(['crs'], c)).toBe(2);
    expect(await main(['crs', 'unpack'], c)).toBe(2);
  });
});
