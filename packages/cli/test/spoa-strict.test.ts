import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../src';
import type { CliIo } from '../src';

async function check(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { cwd, stdout: (t) => void (out += t), stderr: (t) => void (err += t) };
  const code = await main(['spoa', '--check', '-n', '0', ...argv], io);
  return { code, out, err };
}

describe('rampart spoa --strict', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'rampart-spoa-strict-'));
    // libmodsecurity v3 loads both: a SecAction without id, a chain on the last rule.
    writeFileSync(path.join(tmp, 'rules.conf'), 'SecRuleEngine On\nSecAction "phase:1,pass,nolog"\nSecRule ARGS "@rx a" "id:2,phase:2,deny,chain"\n');
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('without it, what libmodsecurity v3 loads loads, with a warning naming the place and the code', async () => {
    const r = await check(tmp, '-f', 'rules.conf');
    expect(r.code).toBe(0);
    expect(`${r.out}${r.err}`).toMatch(/rules\.conf","line":2,"column":1,.*\[secaction-without-id\]/);
    expect(`${r.out}${r.err}`).toMatch(/rules\.conf","line":3,"column":\d+,.*\[dangling-chain\]/);
  });

  it('with it, the agent refuses to start and says what to fix', async () => {
    const r = await check(tmp, '-f', 'rules.conf', '--strict');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/secaction-without-id.*refused in strict mode/);
    expect(r.err).toMatch(/dangling-chain.*refused in strict mode/);
  });
});
