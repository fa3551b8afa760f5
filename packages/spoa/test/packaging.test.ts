/**
 * The packaging an operator installs (../../packaging): the systemd unit reloads with HUP and passes
 * `systemd-analyze verify`; the flags of the unit and of the Containerfile are flags `rampart spoa` accepts; the
 * documented HAProxy 3.x SPOE configuration passes `haproxy -c` (and its 2.x variant on 2.6).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { HAPROXIES } from './helpers/haproxy';

const PACKAGING = path.resolve(__dirname, '../../../packaging');
const UNIT = readFileSync(path.join(PACKAGING, 'systemd/rampart-spoa.service'), 'utf8');

interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require(path.resolve(__dirname, '../../cli/src')) as { main(argv: readonly string[], io: CliIo): Promise<number> };

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'spoa-pkg-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function unitValue(key: string): string {
  const m = new RegExp(`^${key}=(.*)$`, 'm').exec(UNIT);
  if (!m) throw new Error(`${key} missing from the unit`);
  return m[1]!;
}

/** `rampart spoa ARGS --check`, with the files and ports of ARGS moved into the test's directory. */
async function checkFlags(args: string[]): Promise<{ code: number; stderr: string }> {
  const conf = path.join(dir, 'modsecurity.conf');
  writeFileSync(conf, 'SecRuleEngine On\n');
  const mapped = args.map((a, i) => {
    const prev = args[i - 1];
    if (prev === '-f') return conf;
    if (prev === '--error-log') return path.join(dir, 'error.log');
    if (prev === '--cache-dir') return path.join(dir, 'cache');
    if (prev === '-p') return '0';
    if (prev === '--metrics-addr') return '127.0.0.1:0';
    return a;
  });
  let stderr = '';
  const code = await main(['spoa', ...mapped, '--check', '-n', '0'], { stdout: () => undefined, stderr: (t) => void (stderr += t), cwd: dir });
  return { code, stderr };
}

describe('systemd unit', () => {
  it('reloads with HUP, drains with TERM, and keeps created files private', () => {
    expect(unitValue('ExecReload')).toBe('/bin/kill -HUP $MAINPID');
    expect(unitValue('KillSignal')).toBe('SIGTERM');
    expect(unitValue('UMask')).toBe('0077');
    expect(unitValue('NoNewPrivileges')).toBe('yes');
    expect(unitValue('ProtectSystem')).toBe('strict');
  });

  it('ExecStart has only flags rampart spoa accepts', async () => {
    const exec = unitValue('ExecStart').split(/\s+/);
    expect(exec.slice(0, 2)).toEqual(['/usr/bin/rampart', 'spoa']);
    const r = await checkFlags(exec.slice(2));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  const haveAnalyze = spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' }).status === 0;
  (haveAnalyze ? it : it.skip)('passes systemd-analyze verify (which does report unknown keys)', () => {
    const unit = path.join(dir, 'rampart-spoa.service');
    // verify wants the executable to exist.
    writeFileSync(unit, UNIT.replace('ExecStart=/usr/bin/rampart', `ExecStart=${process.execPath} /opt/rampart/bin/rampart.js`));
    const ok = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
    expect(ok.stderr).toBe('');
    const bad = path.join(dir, 'bad.service');
    writeFileSync(bad, `[Service]\nExecStart=${process.execPath}\nNoSuchHardening=yes\n`);
    expect(spawnSync('systemd-analyze', ['verify', bad], { encoding: 'utf8' }).stderr).toMatch(/Unknown key 'NoSuchHardening'/);
  });
});

describe('Containerfile', () => {
  const text = readFileSync(path.join(PACKAGING, 'Containerfile'), 'utf8');

  it('runs the agent as an unprivileged user, with a health check on /healthz', () => {
    expect(text).toMatch(/^USER rampart$/m);
    expect(text).toMatch(/^HEALTHCHECK .*\/healthz/m);
    expect(text).toMatch(/^STOPSIGNAL SIGTERM$/m);
  });

  it('CMD has only flags rampart spoa accepts', async () => {
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(text)![1]!) as string[];
    const r = await checkFlags(cmd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('HAProxy SPOE configuration', () => {
  const spoe = readFileSync(path.join(PACKAGING, 'haproxy/spoe-modsecurity.conf'), 'utf8');
  const cfg = readFileSync(path.join(PACKAGING, 'haproxy/haproxy-spoe.cfg'), 'utf8');

  it.each(HAPROXIES.map((b) => [b.version, b] as const))('passes haproxy -c on %s (3.1+: as documented; 2.x: with the documented 2.x changes)', (_v, binary) => {
    const spoeFile = path.join(dir, 'spoe-modsecurity.conf');
    const cfgFile = path.join(dir, 'haproxy.cfg');
    writeFileSync(spoeFile, binary.mux ? spoe : spoe.replace('    timeout processing', '    timeout hello 100ms\n    timeout idle 30s\n    timeout processing'));
    const body = cfg.replace('/etc/haproxy/spoe-modsecurity.conf', spoeFile).replace('bind :80', 'bind 127.0.0.1:18080');
    writeFileSync(cfgFile, `global\n    log stdout format raw local0\ndefaults\n    mode http\n    timeout connect 2s\n    timeout client 10s\n    timeout server 10s\n\n${binary.mux ? body : body.replace(/^ {4}mode spop$/m, '    mode tcp')}`);
    const r = spawnSync(binary.path, ['-c', '-f', cfgFile], { encoding: 'utf8' });
    expect([r.status, `${r.stdout}${r.stderr}`]).toEqual([0, expect.anything()]);
    // No warning either: 3.1+ warns about the timeouts it ignores, which the 3.x file leaves out.
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/WARNING/);
  });
});
