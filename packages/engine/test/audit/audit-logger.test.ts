import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createAuditLogger, parseJsonLog, parseNativeLog, parseNativeRecord, type AuditLogger } from '../../src/audit';
import type { Waf } from '../../src';
import { readIndexLog, readNativeLog } from './audit-log-reader';
import { makeWaf, readLatin1, runTx, tempDir, type AuditTestRequest } from './helpers';

const RULES = `
SecRule ARGS "@contains attack" "id:1,phase:1,deny,log,msg:'Attack'"
SecRule ARGS "@contains quiet" "id:2,phase:1,pass,log,noauditlog,msg:'Quiet'"
SecRule ARGS "@contains flagged" "id:3,phase:1,pass,nolog,auditlog"
SecRule ARGS "@contains hidden" "id:4,phase:1,pass,nolog"
SecRule ARGS:audit "@streq on" "id:5,phase:1,pass,nolog,noauditlog,ctl:auditEngine=On"
SecRule ARGS:audit "@streq off" "id:6,phase:1,pass,nolog,noauditlog,ctl:auditEngine=Off"
SecRule ARGS:parts "@streq more" "id:7,phase:1,pass,nolog,noauditlog,ctl:auditLogParts=+K"
SecRule ARGS:parts "@streq less" "id:8,phase:1,pass,nolog,noauditlog,ctl:auditLogParts=-B"
`;

interface Setup {
  waf: Waf;
  logger: AuditLogger;
  log: string;
  dir: string;
  errors: string[];
  warnings: string[];
  run(req: AuditTestRequest): void;
}

function setup(config: string, opts: { path?: string; nativeLayout?: 'v3' | 'v2' } = {}): Setup {
  const dir = tempDir();
  const log = opts.path ?? path.join(dir, 'modsec_audit.log');
  const waf = makeWaf(`SecRuleEngine On\nSecAuditLog ${log}\n${config}\n${RULES}`);
  const errors: string[] = [];
  const warnings: string[] = [];
  const logger = createAuditLogger(waf.settings, {
    onError: (m) => errors.push(m),
    onWarning: (m) => warnings.push(m),
    ...(opts.nativeLayout ? { nativeLayout: opts.nativeLayout } : {}),
  })!;
  expect(logger).toBeDefined();
  waf.auditLog = logger.log;
  let n = 0;
  return { waf, logger, log, dir, errors, warnings, run: (req) => void runTx(waf, { id: `tx-${++n}`, ...req }) };
}

const ids = (file: string): string[] => parseNativeLog(readLatin1(file)).map((r) => r.header.uniqueId);

describe('relevance', () => {
  it('RelevantOnly: a clean request is not logged, an attack is', () => {
    const s = setup('SecAuditEngine RelevantOnly\nSecAuditLogParts ABHZ');
    s.run({ uri: '/?q=hello' });
    expect(fs.existsSync(s.log) ? fs.readFileSync(s.log).length : 0).toBe(0);
    s.run({ uri: '/?q=attack' });
    const records = parseNativeLog(readLatin1(s.log));
    expect(records.map((r) => r.header.uniqueId)).toEqual(['tx-2']);
    expect(records[0]!.trailer!.messages[0]).toContain('[id "1"]');
    expect(s.logger.stats).toEqual({ written: 1, failed: 0 });
  });

  it('RelevantOnly: a clean request with a relevant status is written whole', () => {
    const s = setup('SecAuditEngine RelevantOnly\nSecAuditLogRelevantStatus ^5\nSecAuditLogParts ABFHZ');
    s.run({ uri: '/health?x=1', response: { status: 503, headers: [['Retry-After', '5']] } });
    const [r] = parseNativeLog(readLatin1(s.log));
    expect(r!.header).toMatchObject({ uniqueId: 'tx-1', clientIp: '192.0.2.10', clientPort: 51234, serverIp: '198.51.100.2', serverPort: 8080 });
    expect(r!.request).toEqual({ line: 'GET /health?x=1 HTTP/1.1', headers: [{ name: 'Host', value: 'www.example.com' }] });
    // v3 writes no reason phrase, and section H holds only rule messages (none here).
    expect(r!.response).toEqual({ protocol: 'HTTP/1.1', status: 503, reason: '', headers: [{ name: 'Retry-After', value: '5' }] });
    expect(r!.trailer).toEqual({ messages: [], fields: [] });
  });

  it('RelevantOnly: auditlog marks, noauditlog and nolog do not', () => {
    const s = setup('SecAuditEngine RelevantOnly');
    s.run({ uri: '/?q=quiet' });
    s.run({ uri: '/?q=hidden' });
    s.run({ uri: '/?q=flagged' });
    expect(ids(s.log)).toEqual(['tx-3']);
  });

  it('RelevantOnly: SecAuditLogRelevantStatus with a lookahead (the backtracking fallback)', () => {
    const s = setup('SecAuditEngine RelevantOnly\nSecAuditLogRelevantStatus "^(?:5|4(?!04))"');
    s.run({ response: { status: 200 } });
    s.run({ response: { status: 404 } });
    s.run({ response: { status: 500 } });
    s.run({ response: { status: 403 } });
    expect(ids(s.log)).toEqual(['tx-3', 'tx-4']);
  });

  it('On logs everything; Off nothing; ctl:auditEngine switches one transaction', () => {
    const on = setup('SecAuditEngine On');
    on.run({ uri: '/' });
    on.run({ uri: '/?audit=off' });
    on.run({ uri: '/?q=x' });
    expect(ids(on.log)).toEqual(['tx-1', 'tx-3']);
    const off = setup('SecAuditEngine Off');
    off.run({ uri: '/?q=attack' });
    off.run({ uri: '/?audit=on' });
    expect(ids(off.log)).toEqual(['tx-2']);
  });

  it('ctl:auditLogParts adds and removes parts for one transaction', () => {
    const s = setup('SecAuditEngine On\nSecAuditLogParts ABHZ');
    s.run({ uri: '/?parts=more' });
    s.run({ uri: '/?parts=less' });
    s.run({ uri: '/' });
    const records = parseNativeLog(readLatin1(s.log));
    expect(records.map((r) => r.sections.map((x) => x.letter).join(''))).toEqual(['ABHKZ', 'AHZ', 'ABHZ']);
  });

  it('an invalid SecAuditLogRelevantStatus is a configuration error', () => {
    expect(() => makeWaf('SecAuditEngine RelevantOnly\nSecAuditLog /tmp/x.log\nSecAuditLogRelevantStatus "(["')).toThrow(/SecAuditLogRelevantStatus/);
    const settings = { ...makeWaf('SecAuditEngine RelevantOnly').settings, auditLog: '/tmp/x.log', auditLogRelevantStatus: '([' };
    expect(() => createAuditLogger(settings, { onError: () => undefined })).toThrow(/SecAuditLogRelevantStatus/);
  });

  it('no SecAuditLog: no logger, and a warning when the engine is on', () => {
    const warnings: string[] = [];
    expect(createAuditLogger(makeWaf('SecAuditEngine On').settings, { onWarning: (m) => warnings.push(m) })).toBeUndefined();
    expect(warnings).toEqual(['SecAuditEngine On without SecAuditLog: no audit records are written']);
  });
});

describe('Serial and Concurrent writing', () => {
  it('Serial JSON: one object per line, appended', () => {
    const s = setup('SecAuditEngine On\nSecAuditLogFormat JSON\nSecAuditLogParts ABHZ');
    s.run({ uri: '/?q=attack' });
    s.run({ uri: '/clean' });
    const records = parseJsonLog(readLatin1(s.log));
    expect(records.map((r) => [r.transaction.unique_id, r.transaction.response.http_code, r.transaction.messages!.length])).toEqual([
      ['tx-1', 403, 1],
      ['tx-2', 200, 0],
    ]);
  });

  it('Concurrent: one file per record under SecAuditLogStorageDir, with modes, and an index line with its md5', () => {
    const dir = tempDir();
    const storage = path.join(dir, 'audit');
    const second = path.join(dir, 'index2.log');
    const s = setup(
      `SecAuditEngine RelevantOnly\nSecAuditLogType Concurrent\nSecAuditLogStorageDir ${storage}\nSecAuditLog2 ${second}\nSecAuditLogDirMode 0750\nSecAuditLogFileMode 0640`,
    );
    const oldMask = process.umask(0o022);
    try {
      s.run({ id: 'abc/../def', uri: '/?q=attack' });
    } finally {
      process.umask(oldMask);
    }
    const index = readLatin1(s.log);
    expect(readLatin1(second)).toBe(index);
    // v3's line: Host, client, remote user, time, request line, status, response bytes, Referer, User-Agent,
    // unique id, Referer again, the file's full path, 0, the size as %f, md5.
    const m = /^www\.example\.com 192\.0\.2\.10 - \[[^\]]+\] "GET \/\?q=attack HTTP\/1\.1" 403 0 - "-" abc\/\.\.\/def - (\S+) 0 (\d+)\.000000 md5:([0-9a-f]{32})\n$/.exec(index);
    expect(m).not.toBeNull();
    const [, file, size, md5] = m!;
    expect(file).toBe(`${storage}/20261122/20261122-0855/20261122-085515-abc_.._def`);
    const content = fs.readFileSync(file!);
    expect(content.length).toBe(Number(size));
    expect(crypto.createHash('md5').update(content).digest('hex')).toBe(md5);
    expect(parseNativeRecord(content.toString('latin1')).header.uniqueId).toBe('abc/../def');
    expect(fs.statSync(file!).mode & 0o777).toBe(0o640);
    expect(fs.statSync(path.dirname(file!)).mode & 0o777).toBe(0o750);
  });

  it('Concurrent: the index line carries the Referer and User-Agent the request sent', () => {
    const dir = tempDir();
    const s = setup(`SecAuditEngine On\nSecAuditLogType Concurrent\nSecAuditLogStorageDir ${dir}/store`);
    const headers: Array<[string, string]> = [['Host', 'shop.example.com'], ['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64)'], ['Referer', 'http://shop.example.com/a?b=1']];
    s.run({ id: 'ua-1', uri: '/item', headers, response: { status: 200, headers: [['Content-Type', 'text/html']], body: '<p>hello</p>' } });
    const [line] = readIndexLog(readLatin1(s.log));
    expect(line).toMatchObject({
      host: 'shop.example.com',
      request_line: 'GET /item HTTP/1.1',
      status: '200',
      referer: 'http://shop.example.com/a?b=1',
      user_agent: 'Mozilla/5.0 (X11; Linux x86_64)',
      unique_id: 'ua-1',
      referer_again: 'http://shop.example.com/a?b=1',
    });
    expect(line!.file.startsWith(`${dir}/store/`)).toBe(true);
    expect(readNativeLog(readLatin1(line!.file))).toHaveLength(1);
  });

  it('Concurrent: bytes a request controls cannot forge index fields', () => {
    const dir = tempDir();
    const s = setup(`SecAuditEngine On\nSecAuditLogType Concurrent\nSecAuditLogStorageDir ${dir}/store`);
    s.run({ id: 'forge-1', headers: [['Host', 'a b'], ['User-Agent', 'x" 200 0 - "y'], ['Referer', 'r\tq']] });
    const [line] = readIndexLog(readLatin1(s.log));
    expect(line).toMatchObject({ host: 'a\\x20b', user_agent: 'x\\x22 200 0 - \\x22y', referer: 'r\\x09q', unique_id: 'forge-1' });
  });

  it('Concurrent: two records of one id in the same second are both kept, appended to one file', () => {
    const dir = tempDir();
    const s = setup(`SecAuditEngine On\nSecAuditLogType Concurrent\nSecAuditLogStorageDir ${dir}/store`);
    s.run({ id: 'same', uri: '/one' });
    s.run({ id: 'same', uri: '/two' });
    const lines = readIndexLog(readLatin1(s.log));
    expect(lines).toHaveLength(2);
    expect(lines[0]!.file).toBe(lines[1]!.file);
    expect(readNativeLog(readLatin1(lines[0]!.file)).map((r) => r.sections.length)).toEqual([5, 5]);
  });

  it("nativeLayout 'v2': ModSecurity v2's record and index line (path relative to the storage directory)", () => {
    const dir = tempDir();
    const s = setup(`SecAuditEngine On\nSecAuditLogType Concurrent\nSecAuditLogStorageDir ${dir}/store`, { nativeLayout: 'v2' });
    s.run({ id: 'v2-1', uri: '/?q=attack' });
    const index = readLatin1(s.log);
    const m = /^www\.example\.com 192\.0\.2\.10 - - \[[^\]]+\] "GET \/\?q=attack HTTP\/1\.1" 403 0 "-" "-" v2-1 "-" (\S+) 0 (\d+) md5:[0-9a-f]{32} \n$/.exec(index);
    expect(m).not.toBeNull();
    expect(m![1]).toBe('/20261122/20261122-0855/20261122-085515-v2-1');
    const [record] = readNativeLog(readLatin1(`${dir}/store${m![1]!}`));
    expect(record!.layout).toBe('v2');
  });

  it('Concurrent JSON: the file holds the JSON record', () => {
    const dir = tempDir();
    const s = setup(`SecAuditEngine On\nSecAuditLogType Concurrent\nSecAuditLogFormat JSON\nSecAuditLogStorageDir ${dir}/store`);
    s.run({ id: 'json-1', uri: '/?q=attack' });
    const [line] = readIndexLog(readLatin1(s.log));
    const [record] = parseJsonLog(readLatin1(line!.file));
    expect(record!.transaction.unique_id).toBe('json-1');
    expect(record!.transaction.response.http_code).toBe(403);
  });

  it('SecAuditLog2 with Serial is reported as unused', () => {
    const s = setup(`SecAuditEngine On\nSecAuditLog2 /tmp/unused-${process.pid}.log`);
    expect(s.warnings).toEqual([expect.stringContaining('SecAuditLog2 is only used with SecAuditLogType Concurrent')]);
  });
});

describe('failures never stop request processing', () => {
  it('an unwritable path is reported once; transactions still complete', () => {
    const s = setup('SecAuditEngine On', { path: '/nonexistent-dir/for/sure/audit.log' });
    for (let i = 0; i < 5; i++) s.run({ uri: '/?q=attack' });
    expect(s.errors).toHaveLength(1);
    expect(s.errors[0]).toMatch(/^cannot open \/nonexistent-dir\/for\/sure\/audit\.log: ENOENT/);
    expect(s.logger.stats).toEqual({ written: 0, failed: 5 });
  });

  it('a full disk (/dev/full) is reported once per outage', () => {
    if (!fs.existsSync('/dev/full')) return;
    const s = setup('SecAuditEngine On', { path: '/dev/full' });
    let completed = 0;
    for (let i = 0; i < 3; i++) {
      s.run({ uri: '/?q=attack' });
      completed++;
    }
    expect(completed).toBe(3);
    expect(s.errors).toHaveLength(1);
    expect(s.errors[0]).toMatch(/ENOSPC/);
    expect(s.logger.stats.failed).toBe(3);
  });

  it('after close, nothing more is written', () => {
    const s = setup('SecAuditEngine On');
    s.run({ uri: '/' });
    s.logger.close();
    s.run({ uri: '/' });
    expect(ids(s.log)).toEqual(['tx-1']);
  });
});
