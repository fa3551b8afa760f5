import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { splitNativeLog } from '@rampart/engine';
import { AuditLogReadError, findAuditEntry, readAuditLogs, requestFromAuditEntry, requestFromRaw, type AuditEntry } from '../../src';
import { auditingWaf, runRequest, tempDir } from '../helpers';

const requests = [
  requestFromRaw('GET /search?q=1%20union%20select%20pass HTTP/1.1\r\nHost: shop\r\nUser-Agent: Mozilla\r\n\r\n'),
  requestFromRaw('POST /comments HTTP/1.1\r\nHost: shop\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 27\r\n\r\ntext=a%0Aunion select 1&x=2'),
  requestFromRaw('GET / HTTP/1.1\r\nHost: shop\r\nUser-Agent: nikto/2.1\r\n\r\n'),
  requestFromRaw('GET /plain HTTP/1.1\r\nHost: shop\r\nX-Marker: ---abcdefgh---Z--\r\n\r\n'),
];

async function readAll(paths: string[], problems: string[] = []): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for await (const e of readAuditLogs(paths, { onProblem: (f, m) => problems.push(`${path.basename(f)}: ${m}`) })) out.push(e);
  return out;
}

function writeLog(format: 'Native' | 'JSON', layout: 'v3' | 'v2' = 'v3'): string {
  const file = path.join(tempDir(), `audit-${format}-${layout}.log`);
  const waf = auditingWaf(file, format, layout);
  requests.forEach((r, i) => runRequest(waf, r, `tx-${i}`));
  waf.close();
  return file;
}

describe.each([
  ['Native', 'v3', 'native-v3'],
  ['Native', 'v2', 'native-v2'],
  ['JSON', 'v3', 'json'],
] as const)('readAuditLogs: %s %s', (format, layout, expected) => {
  let file: string;
  beforeAll(() => {
    file = writeLog(format, layout);
  });

  it('reads every transaction with its rule messages', async () => {
    const problems: string[] = [];
    const entries = await readAll([file], problems);
    expect(problems).toEqual([]);
    expect(entries.map((e) => e.id)).toEqual(['tx-0', 'tx-1', 'tx-2', 'tx-3']);
    expect(entries.every((e) => e.format === expected)).toBe(true);
    const sqli = entries[0]!.messages.find((m) => m.ruleId === 942100)!;
    expect(sqli.variable).toBe('ARGS:q');
    expect(sqli.severity).toBe(2);
    expect(sqli.paranoiaLevel).toBe(1);
    expect(entries[1]!.messages.map((m) => [m.ruleId, m.variable])).toEqual([[942100, 'ARGS:text']]);
    const scanner = entries[2]!.messages.find((m) => m.ruleId === 913100)!;
    expect(scanner.variable).toBe('REQUEST_HEADERS:User-Agent');
    if (format === 'Native') {
      expect(scanner.disruptive).toBe(true);
      expect(scanner.status).toBe(403);
      expect(sqli.uri).toBe('/search');
    }
    expect(entries[3]!.messages).toEqual([]);
  });

  it('gives back each request as it was run', async () => {
    const entries = await readAll([file]);
    entries.forEach((e, i) => {
      const r = requestFromAuditEntry(e);
      const original = requests[i]!;
      expect(r.method).toBe(original.method);
      expect(r.target).toBe(original.target);
      expect(r.headers).toEqual(original.headers);
      expect(r.body).toBe(original.body);
      expect(r.id).toBe(`tx-${i}`);
    });
  });

  it('reads gzip files and several files in order; finds a record by id', async () => {
    const gz = `${file}.1.gz`;
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(file)));
    const entries = await readAll([gz, file]);
    expect(entries.map((e) => e.id)).toEqual(['tx-0', 'tx-1', 'tx-2', 'tx-3', 'tx-0', 'tx-1', 'tx-2', 'tx-3']);
    expect((await findAuditEntry([gz], 'tx-2'))?.request?.target).toBe('/');
    expect(await findAuditEntry([gz], 'nope')).toBeUndefined();
  });
});

describe('readAuditLogs on damaged input', () => {
  it('skips a torn record and garbage, reporting them, and keeps the whole ones', async () => {
    const file = writeLog('Native');
    const text = fs.readFileSync(file, 'latin1');
    const second = text.indexOf('---', text.indexOf('---Z--') + 6);
    const damaged = `junk line\n${text.slice(0, second + 200)}${text.slice(second)}`;
    const out = path.join(tempDir(), 'damaged.log');
    fs.writeFileSync(out, damaged, 'latin1');
    const problems: string[] = [];
    const entries = await readAll([out], problems);
    expect(entries.map((e) => e.id)).toEqual(['tx-0', 'tx-1', 'tx-2', 'tx-3']);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(/not part of a whole record/);
  });

  it('reports JSON lines that are not records, and refuses a file that is no audit log', async () => {
    const file = writeLog('JSON');
    const out = path.join(tempDir(), 'mixed.log');
    fs.writeFileSync(out, `${fs.readFileSync(file, 'latin1')}{"not":"a record"}\n{broken\n`, 'latin1');
    const problems: string[] = [];
    expect((await readAll([out], problems)).length).toBe(4);
    expect(problems).toEqual([expect.stringMatching(/line 5: not a JSON audit record/), expect.stringMatching(/line 6: not a JSON audit record/)]);
    const bad = path.join(tempDir(), 'index');
    fs.writeFileSync(bad, 'shop 10.0.0.1 - - [..] "GET / HTTP/1.1" 200 0\n');
    await expect(readAll([bad])).rejects.toThrow(AuditLogReadError);
    await expect(readAll([path.join(tempDir(), 'missing.log')])).rejects.toThrow(/no such file/);
  });

  it('reads a directory (a Concurrent log storage) file by file', async () => {
    const dir = tempDir();
    const file = writeLog('Native');
    const text = fs.readFileSync(file, 'latin1');
    fs.mkdirSync(path.join(dir, 'sub'));
    const recs = splitNativeLog(text).records;
    expect(recs.length).toBe(4);
    recs.forEach((r, i) => fs.writeFileSync(path.join(dir, 'sub', `r${i}`), r, 'latin1'));
    const entries = await readAll([dir]);
    expect(entries.map((e) => e.id)).toEqual(['tx-0', 'tx-1', 'tx-2', 'tx-3']);
  });
});
