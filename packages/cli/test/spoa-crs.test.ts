import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../src';
import type { CliIo } from '../src';
import { setTreeVersion } from '../../../rules-crs4/test/helpers/archives';

const SHARED_CRS = path.resolve(__dirname, '../../../../shared/crs4');
/** Debian's modsecurity-crs (CRS 3.3.4), installed by scripts/bootstrap.sh. */
const DEBIAN_CRS = '/usr/share/modsecurity-crs';
const PLUGINS = path.resolve(__dirname, '../../../rules-crs4/test/fixtures/plugins/detection');

async function check(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { cwd, stdout: (t) => void (out += t), stderr: (t) => void (err += t) };
  const code = await main(['spoa', '--check', '-n', '0', ...argv], io);
  return { code, out, err };
}

describe('rampart spoa --check with any CRS release', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'rampart-spoa-crs-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('CRS 4.28.0: verified, blocking paranoia level from --paranoia', async () => {
    const r = await check(tmp, '--crs', SHARED_CRS, '--paranoia', '2');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/configuration OK: \d{3} rules \(CRS 4\.28\.0 pl2 \(.*crs4, verified\)\)/);
  }, 60_000);

  it("Debian's CRS 3.3.4: loads unchanged, warning about what runs differently", async () => {
    const r = await check(tmp, '--crs', DEBIAN_CRS);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/configuration OK: \d{3} rules \(CRS 3\.3\.4 pl1 \(\/usr\/share\/modsecurity-crs, modified\)\)/);
    expect(r.err).toMatch(/warning: CRS copy at \/usr\/share\/modsecurity-crs differs from CRS 3\.3\.4 as released/);
    expect(r.out).toMatch(/rule 942130: @rx: RE2 cannot compile this pattern \(lookahead, backreference\); it runs on the backtracking engine/);
    expect(r.out).toMatch(/rule 910100: @geoLookup: no GeoIP database/);
  }, 60_000);

  it('a 4.x release without a shipped manifest: unverified, configured as CRS 4', async () => {
    const dir = path.join(tmp, 'crs-4.99.0');
    cpSync(SHARED_CRS, dir, { recursive: true, filter: (src) => path.relative(SHARED_CRS, src) !== 'tests' });
    setTreeVersion(dir, '4.99.0');
    const r = await check(tmp, '--crs', dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/configuration OK: \d{3} rules \(CRS 4\.99\.0 pl1 \(.*crs-4\.99\.0, unverified\)\)/);
    expect(r.err).toMatch(/warning: CRS 4\.99\.0 at .* is unverified: Rampart ships no manifest for this release/);
  }, 60_000);

  it('--crs-plugins includes a plugin directory; it applies to the default configuration only', async () => {
    const r = await check(tmp, '--crs', SHARED_CRS, '--crs-plugins', PLUGINS);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\(CRS 4\.28\.0 pl1 \(.*, verified, plugins .*detection\)\)/);
    const bad = await check(tmp, '--crs', SHARED_CRS, '--crs-plugins', path.join(tmp, 'missing'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/plugin directory .*missing does not exist/);
    await expect(main(['spoa', '-f', 'x.conf', '--crs-plugins', PLUGINS], { cwd: tmp, stdout: () => undefined, stderr: () => undefined })).resolves.toBe(2);
  }, 60_000);
});
