import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { parseArgs, progressBar, runCli, type Report } from '../src';
import { received } from './fixtures/fake-waf-module';
import { FakeWaf } from './helpers/fake-waf';
import { startFakeWafServer } from './helpers/fake-waf-server';
import { TESTS_DIR } from './helpers/paths';

const FIXTURE = path.join(__dirname, 'fixtures', 'fake-waf-module.ts');

function io(cwd: string, tty = false): { io: Parameters<typeof runCli>[1]; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), { isTTY: tty });
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { io: { stdout, stderr, cwd }, out: () => out, err: () => err };
}

describe('conformance CLI', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'ftw-cli-'));
    delete process.env.RAMPART_FAKE_WAF;
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  const base = (): string[] => ['--waf', FIXTURE, '--tests', TESTS_DIR, '--include', '^942100-[1-5]$', '--report', 'r.json', '--baseline', 'baseline.txt', '--quiet'];

  it('runs in-process with the crs-ci configuration, writes the JSON report and ends with "N passed, M failed"', async () => {
    const c = io(tmp);
    const code = await runCli(base(), c.io);
    const lines = c.out().trimEnd().split('\n');
    const report = JSON.parse(readFileSync(path.join(tmp, 'r.json'), 'utf8')) as Report;
    expect(report.tests.map((t) => t.id)).toEqual(['942100-1', '942100-2', '942100-3', '942100-4', '942100-5']);
    expect(report.tests[0]).toMatchObject({ result: 'passed', triggeredIds: [942100], status: 200, reasons: [] });
    expect(lines[lines.length - 1]).toBe(`${report.totals.passed} passed, ${report.totals.failed} failed`);
    expect(code).toBe(report.totals.failed > 0 ? 1 : 0);
    const config = received[received.length - 1];
    expect(config?.profile).toBe('crs-ci');
    expect(config?.directives).toMatch(/^SecRuleEngine DetectionOnly$/m);
  });

  it('a committed baseline: regressions fail the run, newly passing tests are listed', async () => {
    const first = io(tmp);
    await runCli([...base(), '--update-baseline'], first.io);
    const baseline = readFileSync(path.join(tmp, 'baseline.txt'), 'utf8');
    const passing = baseline.split('\n').filter((l) => /^\d+-\d+$/.test(l));
    expect(passing.length).toBeGreaterThan(0);

    process.env.RAMPART_FAKE_WAF = 'null';
    const worse = io(tmp);
    expect(await runCli(base(), worse.io)).toBe(1);
    expect(worse.out()).toContain(`REGRESSIONS (${passing.length})`);
    for (const id of passing) expect(worse.out()).toContain(id);

    delete process.env.RAMPART_FAKE_WAF;
    const emptyBaseline = path.join(tmp, 'empty.txt');
    require('node:fs').writeFileSync(emptyBaseline, '# nothing passes yet\n');
    const better = io(tmp);
    expect(await runCli([...base(), '--baseline', emptyBaseline], better.io)).toBe(0);
    expect(better.out()).toContain(`newly passing (${passing.length}): ${passing.join(' ')}`);
  });

  it('HTTP mode: --target and --log', async () => {
    const logFile = path.join(tmp, 'error.log');
    const server = await startFakeWafServer(new FakeWaf(), logFile);
    try {
      const c = io(tmp);
      const code = await runCli(['--target', `127.0.0.1:${server.port}`, '--log', logFile, '--tests', TESTS_DIR, '--include', '^942100-1$', '--report', 'r.json', '--no-baseline', '--quiet'], c.io);
      expect(c.out().trimEnd().split('\n').pop()).toBe('1 passed, 0 failed');
      expect(code).toBe(0);
      expect((JSON.parse(readFileSync(path.join(tmp, 'r.json'), 'utf8')) as Report).mode).toBe('http');
    } finally {
      await server.close();
    }
  });

  it('without --waf, in-process mode runs the Rampart engine with the crs-ci profile', async () => {
    const c = io(tmp);
    const code = await runCli(['--tests', TESTS_DIR, '--include', '^942100-1$', '--report', 'r.json', '--no-baseline', '--quiet'], c.io);
    expect(c.out().trimEnd().split('\n').pop()).toBe('1 passed, 0 failed');
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(path.join(tmp, 'r.json'), 'utf8')) as Report;
    expect(report.mode).toBe('in-process');
    expect(report.tests[0]?.triggeredIds).toContain(942100);
  }, 60_000);

  it('usage errors exit 2', async () => {
    for (const argv of [['--bogus'], ['--target', '127.0.0.1:80'], ['--target', 'x:1', '--log', 'l', '--waf', 'm'], ['--include']]) {
      const c = io(tmp);
      expect(await runCli(argv, c.io)).toBe(2);
      expect(c.err()).toContain('usage: conformance');
    }
    expect(parseArgs(['--overrides', 'a', '--overrides', 'b', '--lists', 'c'])).toMatchObject({ overrides: ['a', 'b'], lists: ['c'] });
    const c = io(tmp);
    expect(await runCli(['--target', 'nocolon', '--log', 'l'], c.io)).toBe(2);
    expect(c.err()).toMatch(/HOST:PORT/);
  });

  it('draws a progress bar on a TTY', () => {
    let text = '';
    const stream = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream;
    const bar = progressBar(stream, 10);
    bar({ done: 1, total: 2, id: '942100-1', result: 'passed', passed: 1, failed: 0 });
    bar({ done: 2, total: 2, id: '942100-2', result: 'failed', passed: 1, failed: 1 });
    expect(text).toContain('\r[====>     ] 1/2  1 passed, 0 failed  942100-1');
    expect(text).toContain('\r[=========>] 2/2  1 passed, 1 failed  942100-2');
    expect(text.endsWith('\n')).toBe(true);
  });
});
