import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CRS_DIR } from './helpers/modsecurity-conf';

interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
}
// Required by path (not imported) so that this package's type check does not take in the cli's sources.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require(path.resolve(__dirname, '../../cli/src')) as { main(argv: readonly string[], io: CliIo): Promise<number> };

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'spoa-cli-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['spoa', ...argv], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: dir });
  return { code, stdout, stderr };
}

describe('rampart spoa', () => {
  it('--help lists the spoa-modsecurity flags', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    for (const flag of ['-f FILE', '-p PORT', '-n N', '-m SIZE', '-c CAPABILITY', '-t DELAY', '-d ', '--bind', '--config', '--metrics-addr']) expect(r.stdout).toContain(flag);
  });

  it('refuses capabilities it does not implement', async () => {
    const r = await run('-c', 'async');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/-c async: not supported/);
  });

  it('--audit-log-layout takes v2 or v3', async () => {
    expect((await run('--help')).stdout).toContain('--audit-log-layout v2|v3');
    const r = await run('--audit-log-layout', 'v1');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--audit-log-layout: expected v2 or v3, got 'v1'/);
  });

  it('exits 2 on an unreadable -f file', async () => {
    const r = await run('-f', 'nope.conf');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read .*nope\.conf: ENOENT/);
  });

  it('stops at start with every configuration error and its location', async () => {
    writeFileSync(path.join(dir, 'modsecurity.conf'), 'SecRuleEngine On\nSecRule ARGZ "@rx a" "id:1,phase:2,deny"\nSecRule ARGS "@bogus a" "id:2,phase:2,deny"\n');
    const r = await run('-f', 'modsecurity.conf', '-p', '0', '-n', '0');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the rules did not load:/);
    expect(r.stderr).toContain(`${path.join(dir, 'modsecurity.conf')}:2:`);
    expect(r.stderr).toContain(`${path.join(dir, 'modsecurity.conf')}:3:`);
    expect(r.stdout).toMatch(/"msg":"rules error: /);
  });

  it('--check loads the default CRS 4 PL1 and reports the rule count', async () => {
    const r = await run('--check', '--crs', CRS_DIR, '-n', '0');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/configuration OK: \d{3} rules/);
    expect(r.stdout).toMatch(/"msg":"ready: \d+ rules loaded"/);
  }, 20_000);

  it('reads the YAML multi-application config and reports its errors with lines', async () => {
    writeFileSync(path.join(dir, 'spoa.yaml'), 'applications:\n  - name: a\n    directive: x\n');
    const r = await run('--config', 'spoa.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path.join(dir, 'spoa.yaml')}:3:5: unknown key \`directive\``);
  });
});
