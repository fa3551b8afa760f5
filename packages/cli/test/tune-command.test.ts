import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createWaf } from '@rampart/engine';
import { lint } from '@rampart/lint';
import { locateCrs } from '@rampart/rules-crs4';
import { buildDirectives } from '@rampart/waf';
import { main, type CliIo } from '../src';
import { scenario } from '../../tuning/bench/scenario';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-tune-cli-'));

async function run(argv: string[], opts: { tty?: boolean } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: dir, stderrIsTTY: opts.tty === true };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

beforeAll(() => {
  const crs = locateCrs({ cwd: process.cwd() });
  const audit = ['SecAuditEngine RelevantOnly', 'SecAuditLogParts ABCFHZ', 'SecAuditLogFormat JSON', `SecAuditLog ${path.join(dir, 'audit.json')}`].join('\n');
  const waf = createWaf({ directives: `${buildDirectives({ crs: { paranoia: 2 }, mode: 'block' }, crs)}\n${audit}\n`, baseDir: crs.dir, onWarning: () => undefined });
  for (const { request: r } of scenario(400, 3)) {
    const tx = waf.newTransaction();
    tx.processConnection(r.connection.clientIp, r.connection.clientPort, r.connection.serverIp, r.connection.serverPort);
    tx.processUri(r.target, r.method, r.protocol);
    for (const [n, v] of r.headers) tx.addRequestHeader(n, v);
    if (!tx.processRequestHeaders()) {
      tx.appendRequestBody(r.body);
      tx.processRequestBody();
    }
    tx.processLogging();
  }
  waf.close();
}, 60_000);

describe('rampart tune', () => {
  it('writes the rule file, draws the progress bar when asked, and sums up on stderr', async () => {
    const r = await run(['tune', '--progress', '--ids', '20000-20099', 'audit.json', '-o', 'exclusions.conf']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/tune \[=+\] 100% \| [\d.]+\/[\d.]+ MB \| \d[\d,]* transactions/);
    expect(r.stderr).toMatch(/rampart tune: [\d,]+ transactions read from 1 file\(s\) in [\d.]+ s; [\d,]+ with rule matches/);
    expect(r.stderr).toMatch(/CRS model: paranoia level 2 \(from 949110 totals\)/);
    const text = fs.readFileSync(path.join(dir, 'exclusions.conf'), 'utf8');
    expect(text).toMatch(/^# Exclusions proposed by rampart tune/);
    expect(text).toMatch(/"id:200\d\d,\\/);
    expect(lint([path.join(dir, 'exclusions.conf')]).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('draws no bar when stderr is not a terminal, or with --no-progress; prints to stdout without -o', async () => {
    const plain = await run(['tune', 'audit.json']);
    expect(plain.stderr).not.toMatch(/\[=/);
    expect(plain.stdout).toMatch(/SecRule REQUEST_FILENAME/);
    const quiet = await run(['tune', '--no-progress', 'audit.json'], { tty: true });
    expect(quiet.stderr).not.toMatch(/\[=/);
    const json = JSON.parse((await run(['tune', '--json', 'audit.json'])).stdout);
    expect(json.exclusions.length).toBeGreaterThan(0);
    expect(json.calibration.model.blockingParanoia).toBe(2);
  });

  it('exits 2 on bad usage and unreadable logs', async () => {
    expect((await run(['tune'])).code).toBe(2);
    expect((await run(['tune', '--ids', '5-1', 'audit.json'])).stderr).toMatch(/--ids takes a range/);
    expect((await run(['tune', '--paranoia', '7', 'audit.json'])).stderr).toMatch(/--paranoia takes a whole number from 1 to 4/);
    const missing = await run(['tune', 'nope.log']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/rampart tune: .*nope\.log: no such file or directory/);
    expect((await run(['tune', '--ids', '1-1', 'audit.json'])).stderr).toMatch(/needs \d+ rule ids, the range 1-1 has 1/);
  });
});
