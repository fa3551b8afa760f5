import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { MarkerSession, runSuite, selectTests, sendRaw, type FtwTest, type TestReport } from '../src';
import { FakeWaf } from './helpers/fake-waf';
import { startFakeWafServer, type FakeWafServer } from './helpers/fake-waf-server';
import { markerLogLine, modsecLogLine } from './helpers/modsec-log';
import { crsTestFiles } from './helpers/paths';

const comparable = (t: TestReport): unknown => ({ id: t.id, result: t.result, reasons: t.reasons, triggeredIds: t.triggeredIds, status: t.status });

describe('HTTP mode (go-ftw markers) against a fake WAF on 127.0.0.1', () => {
  let tmp: string;
  let logFile: string;
  let server: FakeWafServer | undefined;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'ftw-http-'));
    logFile = path.join(tmp, 'error.log');
    writeFileSync(logFile, 'unrelated line before the run\n');
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    rmSync(tmp, { recursive: true, force: true });
  });

  it('gives the same verdicts as the in-process run, from the log lines between the markers', async () => {
    const tests: FtwTest[] = selectTests(
      crsTestFiles().flatMap((f) => f.tests),
      { include: '^(920100-\\d+|920430-\\d+|942100-[1-9]|920181-1|920620-1|934120-43)$' },
    );
    expect(tests.length).toBe(38);
    server = await startFakeWafServer(new FakeWaf(), logFile);
    const overHttp = await runSuite({ target: { host: '127.0.0.1', port: server.port, logFile, readTimeoutMs: 3000 }, tests });
    const inProcess = await runSuite({ waf: new FakeWaf(), tests });
    expect(overHttp.mode).toBe('http');
    expect(overHttp.tests.map(comparable)).toEqual(inProcess.tests.map(comparable));
    // The fake WAF's checks make some tests pass and some fail: the comparison is not between two empty runs.
    expect(overHttp.totals.passed).toBeGreaterThan(10);
    expect(overHttp.totals.failed).toBeGreaterThan(0);
    expect(overHttp.tests.find((t) => t.id === '920100-14')).toMatchObject({ result: 'passed', triggeredIds: [920100] });
    expect(overHttp.tests.find((t) => t.id === '942100-1')).toMatchObject({ result: 'passed', triggeredIds: [942100] });
    // Three requests per stage: start marker, the test, end marker (the front end answers the 400s itself).
    const stages = tests.reduce((n, t) => n + t.stages.length, 0);
    expect(server.requests.filter((r) => /\r\nX-CRS-Test: /.test(r))).toHaveLength(2 * stages);
    expect(server.requests).toHaveLength(3 * stages);
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('[id "999999"]');
    expect(log).toContain('REQUEST_HEADERS:X-CRS-Test');
  }, 60_000);

  it('a marker that never appears in the log is fatal (the log file is not the WAF`s)', async () => {
    server = await startFakeWafServer(new FakeWaf(), logFile, { logMarkers: false });
    const tests = selectTests(crsTestFiles().flatMap((f) => f.tests), { include: '^942100-1$' });
    await expect(runSuite({ target: { host: '127.0.0.1', port: server.port, logFile, maxMarkerRetries: 2 }, tests })).rejects.toThrow(/can't find log marker/);
    expect(server.requests).toHaveLength(2);
  });

  it('an unreachable target is fatal', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const tests = selectTests(crsTestFiles().flatMap((f) => f.tests), { include: '^942100-1$' });
    await expect(runSuite({ target: { host: '127.0.0.1', port, logFile }, tests })).rejects.toThrow(/marker request .* failed/);
  });

  it('marker search: backwards, at most maxMarkerLogLines, the first X-CRS-Test line decides', () => {
    const session = new MarkerSession({ host: 'h', port: 1, logFile, maxMarkerLogLines: 3 });
    const a = markerLogLine('942100-1-uuid-s');
    const b = markerLogLine('942100-1-uuid-e');
    const other = modsecLogLine({ id: 942100, msg: 'x' });
    expect(session.findMarker([a, other, other], '942100-1-UUID-S')).toBe(0);
    expect(session.findMarker([a, other, other, other], '942100-1-uuid-s')).toBe(-1);
    expect(session.findMarker([a, b], '942100-1-uuid-s')).toBe(-1);
    expect(session.markerRequest('m')).toBe('GET /status/200 HTTP/1.1\r\nAccept: */*\r\nHost: localhost\r\nUser-Agent: go-ftw test agent\r\nX-CRS-Test: m\r\nConnection: close\r\n\r\n');
  });

  it('sendRaw: a response without a status line is a transport error, like go-ftw`s ReadResponse', async () => {
    const raw = net.createServer((s) => {
      s.resume();
      s.end('no status line\r\n\r\n');
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    const port = (raw.address() as net.AddressInfo).port;
    try {
      expect(await sendRaw('GET / HTTP/1.1\r\n\r\n', { host: '127.0.0.1', port })).toMatchObject({ kind: 'error', message: expect.stringMatching(/malformed HTTP response/) });
    } finally {
      await new Promise<void>((r) => raw.close(() => r()));
    }
    server = await startFakeWafServer(new FakeWaf(), logFile);
    expect(await sendRaw('GET / \r\n', { host: '127.0.0.1', port: server.port })).toMatchObject({ kind: 'error' });
    expect(await sendRaw('GET / HTTP/1.1\r\nHost: h\r\n\r\n', { host: '127.0.0.1', port: server.port })).toMatchObject({ kind: 'response', status: 200 });
    expect(await sendRaw('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nab', { host: '127.0.0.1', port: server.port, readTimeoutMs: 200 })).toEqual({ kind: 'error', message: 'read timeout' });
  });
});
