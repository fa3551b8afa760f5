import * as path from 'node:path';
import {
  diffBaseline,
  formatBaseline,
  loadPlatformOverrides,
  parseBaseline,
  parseResultLists,
  parseTestFile,
  runSuite,
  selectTests,
  summaryLine,
  type Backend,
  type FtwTest,
  type InProcessWaf,
  type ParsedHttpRequest,
  type Progress,
  type TestReport,
} from '../src';
import { FakeWaf, NullWaf } from './helpers/fake-waf';
import { crsTestFiles } from './helpers/paths';
import { modsecLogLine } from './helpers/modsec-log';

const PACKAGE = path.resolve(__dirname, '..');
const allTests = (): FtwTest[] => crsTestFiles().flatMap((f) => f.tests);
const byId = (reports: readonly TestReport[], id: string): TestReport => {
  const r = reports.find((t) => t.id === id);
  if (!r) throw new Error(`no report for ${id}`);
  return r;
};

function synthetic(yaml: string): FtwTest[] {
  return parseTestFile(yaml, 'SYN/100.yaml').tests as FtwTest[];
}

describe('runSuite in-process over the whole CRS suite', () => {
  it('a WAF that logs nothing: every test runs and is judged, the front end answers its 400s itself', async () => {
    const waf = new NullWaf();
    const progress: Progress[] = [];
    const report = await runSuite({ waf, tests: allTests(), onProgress: (p) => progress.push(p) });
    expect(report.mode).toBe('in-process');
    expect(report.tests).toHaveLength(5003);
    expect(report.totals.total).toBe(5003);
    expect(report.totals.passed + report.totals.failed).toBe(5003);
    expect(report.totals.errors).toBe(0);
    expect(progress).toHaveLength(5003);
    expect(progress[5002]).toMatchObject({ done: 5003, total: 5003, passed: report.totals.passed, failed: report.totals.failed });

    // The front end: 400s without the WAF; the HTTP/0.9 request gets no parseable answer (expect_error).
    expect(byId(report.tests, '920100-2')).toMatchObject({ result: 'passed', status: 400 });
    expect(byId(report.tests, '920100-2').stages[0]?.frontEnd).toBe('400: whitespace before the method');
    expect(byId(report.tests, '921140-1')).toMatchObject({ result: 'passed', status: 400 });
    expect(byId(report.tests, '920430-5')).toMatchObject({ result: 'passed' });
    // Positive tests fail, with the reason; negative ones pass.
    expect(byId(report.tests, '942100-1')).toMatchObject({ result: 'failed', reasons: ['expected ids not logged: 942100'], status: 200 });
    expect(byId(report.tests, '999999-1').result).toBe('passed');
    // retry_once stages that fail are run twice.
    expect(byId(report.tests, '980170-1').stages[0]?.retried).toBe(true);
    expect(byId(report.tests, '980170-3').stages[0]?.retried).toBeUndefined();
    const retried = report.tests.filter((t) => t.stages.some((s) => s.retried)).length;
    expect(retried).toBe(4);
    // Every stage the front end let through reached the WAF exactly once (twice when retried).
    expect(waf.calls).toBe(5009 - 26 + retried);

    // Nothing logged, so a pass is exactly: no positive log expectation, the right status, no expected error.
    const expectedPasses = allTests().filter((t) => {
      const last = t.stages[t.stages.length - 1]?.output ?? {};
      if (last.expectError) return true;
      const positive = (last.log?.expectIds?.length ?? 0) > 0 || last.log?.matchRegex !== undefined;
      return !positive && (last.status === undefined || last.status === byId(report.tests, t.id).status);
    }).length;
    expect(report.totals.passed).toBe(expectedPasses);
  }, 60_000);

  it('the committed Rampart overrides file has no entries: the suite runs without overrides', () => {
    const overrides = loadPlatformOverrides(path.join(PACKAGE, 'overrides', 'rampart-overrides.yaml'));
    expect(overrides.engine).toBe('rampart');
    expect(overrides.overrides).toEqual([]);
  });
});

describe('runSuite semantics', () => {
  const multi = synthetic(`
rule_id: 100
tests:
  - test_id: 1
    stages:
      - input: {uri: /one, headers: {Host: h}}
        output: {log: {expect_ids: [1]}}
      - input: {uri: /two, headers: {Host: h}}
        output: {log: {no_expect_ids: [1]}}
  - test_id: 2
    stages:
      - input: {uri: /one, headers: {Host: h}}
        output: {log: {no_expect_ids: [1]}}
      - input: {uri: /one, headers: {Host: h}}
        output: {log: {no_expect_ids: [1]}}
  - test_id: 3
    stages:
      - input: {uri: /one, headers: {Host: h}}
        output: {log: {expect_ids: [1]}, retry_once: true}
  - test_id: 4
    stages:
      - input: {data: "x", encoded_request: "R0VUIC8gSFRUUC8xLjENCg0K"}
        output: {status: 200}
  - test_id: 5
    stages:
      - input: {uri: /boom, headers: {Host: h}}
        output: {status: 200}
`);
  /** Logs id 1 for /one except on its first call; throws on /boom. */
  class FlakyWaf implements InProcessWaf {
    seen = 0;
    run(req: ParsedHttpRequest, backend: Backend): Promise<{ status: number; logLines: string[] }> {
      if (req.uri === '/boom') return Promise.reject(new Error('engine exploded'));
      const first = this.seen++ === 0;
      const logLines = req.uri === '/one' && !first ? [modsecLogLine({ id: 1, msg: 'one' })] : [];
      return Promise.resolve({ status: backend(req).status, logLines });
    }
  }

  it('the last stage decides; retry_once runs a failing stage again; errors are reported, not thrown', async () => {
    const report = await runSuite({ waf: new FlakyWaf(), tests: multi });
    expect(report.tests.map((t) => [t.id, t.result])).toEqual([
      ['100-1', 'passed'], // stage 0 failed (first call logs nothing), stage 1 passed
      ['100-2', 'failed'],
      ['100-3', 'passed'],
      ['100-4', 'error'],
      ['100-5', 'error'],
    ]);
    // On a fresh WAF, test 3's only stage fails once and passes on the retry.
    const alone = await runSuite({ waf: new FlakyWaf(), tests: multi.slice(2, 3) });
    expect(alone.tests[0]?.stages[0]).toMatchObject({ pass: true, retried: true });
    const [t1, t2, t3, t4, t5] = report.tests as TestReport[];
    expect(t1?.stages.map((s) => s.pass)).toEqual([false, true]);
    expect(t2?.stages.map((s) => s.pass)).toEqual([false, false]);
    expect(t2?.reasons).toEqual(['forbidden ids logged: 1']);
    expect(t3?.stages[0]).toMatchObject({ pass: true });
    expect(t4?.reasons).toEqual(['stage 0: bad test input: choose between data and encoded_request']);
    expect(t5?.reasons).toEqual(['stage 0: engine exploded']);
    expect(report.totals).toEqual({ total: 5, passed: 2, failed: 3, ignored: 0, forcedPass: 0, forcedFail: 0, errors: 2 });
    expect(summaryLine(report.totals)).toBe('2 passed, 3 failed');
  });

  it('go-ftw input features the harness lacks are refused per test, not ignored', async () => {
    const tests = synthetic(`
rule_id: 100
tests:
  - test_id: 1
    stages:
      - input: {follow_redirect: true, headers: {Host: h}}
        output: {status: 200}
  - test_id: 2
    stages:
      - input: {virtual_host_mode: true, headers: {Host: h}}
        output: {status: 200}
`);
    const report = await runSuite({ waf: new NullWaf(), tests });
    expect(report.tests.map((t) => [t.result, t.reasons])).toEqual([
      ['error', ['stage 0: follow_redirect is not supported by this harness']],
      ['passed', []], // virtual_host_mode only changes the marker requests, which in-process mode does not send
    ]);
  });

  it('ignore / forcefail / forcepass lists decide without running the test', async () => {
    const waf = new FakeWaf();
    const lists = parseResultLists('ignore: {"100-1": "a"}\nforcefail: {"100-[12]": "b"}\nforcepass: {"100-[23]": "c"}\n', 'l.yaml');
    const report = await runSuite({ waf, tests: multi.slice(0, 3), lists });
    expect(report.tests.map((t) => [t.id, t.result, t.reasons])).toEqual([
      ['100-1', 'ignored', ['ignore 100-1: a']],
      ['100-2', 'forced-fail', ['forcefail 100-[12]: b']],
      ['100-3', 'forced-pass', ['forcepass 100-[23]: c']],
    ]);
    expect(waf.calls).toBe(0);
    expect(report.totals).toMatchObject({ passed: 1, failed: 1, ignored: 1, forcedPass: 1, forcedFail: 1 });
  });

  it('include / exclude follow go-ftw: an include match always runs, an include excludes the rest', () => {
    const ids = (f: Parameters<typeof selectTests>[1]): string[] => selectTests(multi, f).map((t) => t.id);
    expect(ids({})).toEqual(['100-1', '100-2', '100-3', '100-4', '100-5']);
    expect(ids({ exclude: '100-[12]' })).toEqual(['100-3', '100-4', '100-5']);
    expect(ids({ include: '100-[12]' })).toEqual(['100-1', '100-2']);
    expect(ids({ include: '100-1', exclude: '100-1' })).toEqual(['100-1']);
  });

  it('needs exactly one of waf and target', async () => {
    await expect(runSuite({ tests: multi })).rejects.toThrow(/exactly one of/);
    await expect(runSuite({ tests: multi, waf: new NullWaf(), target: { host: '127.0.0.1', port: 1, logFile: '/dev/null' } })).rejects.toThrow(/exactly one of/);
  });
});

describe('baseline', () => {
  const report = (id: string, result: TestReport['result']): TestReport => ({ id, file: 'f', result, reasons: [], triggeredIds: [], stages: [] });

  it('round-trips sorted ids and finds regressions and newly passing tests', () => {
    const text = formatBaseline(['942100-10', '920100-2', '942100-9']);
    expect(text.split('\n').slice(1)).toEqual(['920100-2', '942100-9', '942100-10', '']);
    const baseline = parseBaseline(text);
    const diff = diffBaseline(baseline, [
      report('920100-2', 'passed'),
      report('942100-9', 'failed'),
      report('942100-10', 'ignored'),
      report('942100-11', 'passed'),
      report('942100-12', 'forced-pass'),
    ]);
    expect(diff).toEqual({ regressions: ['942100-9'], newlyPassing: ['942100-11'] });
    expect(() => parseBaseline('# c\n942100\n', 'b.txt')).toThrow('b.txt:2: expected a test id');
  });

  it('the committed baseline is well-formed', () => {
    expect(() => parseBaseline(require('node:fs').readFileSync(path.join(PACKAGE, 'baseline.txt'), 'utf8'))).not.toThrow();
  });
});
