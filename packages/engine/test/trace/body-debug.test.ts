import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createWaf } from '../../src';
import { parseMultipart } from '../../src/body/multipart';
import { runTransaction, type TestRequest } from '../engine/helpers';

/** The debug log's messages (`[level] message`) for one request. */
function debugLog(level: number, directives: string, req: TestRequest = {}): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-body-debug-'));
  const file = path.join(dir, 'debug.log');
  const waf = createWaf({ directives: `SecDebugLog ${file}\nSecDebugLogLevel ${level}\n${directives}`, onWarning: () => undefined });
  const { tx } = runTransaction(waf, req);
  waf.close();
  const lines = fs.readFileSync(file, 'latin1').split('\n').filter(Boolean).map((l) => l.replace(/^\[[^\]]*\] \[[^\]]*\] \[[^\]]*\] /, ''));
  fs.rmSync(dir, { recursive: true, force: true });
  return Object.assign(lines, { tx });
}

const BOUNDARY = '--------------------------756b6d74fa1a8ee2';
const multipart = (boundaryParam: string, parts: string): TestRequest => ({
  method: 'POST',
  uri: '/',
  headers: [
    ['Host', 'localhost'],
    ['Content-Type', `multipart/form-data; ${boundaryParam}`],
  ],
  body: parts,
});
const body = [
  `--${BOUNDARY}`,
  'Content-Disposition: form-data; name="a"',
  '',
  '1',
  `--${BOUNDARY}`,
  'Content-Disposition: form-data; name="image"; filename="image.jpg"',
  'Content-Type: image/jpeg',
  '',
  'BINARYDATA',
  `--${BOUNDARY}--`,
  '',
].join('\r\n');

// Expected lines are libmodsecurity v3's (src/request_body_processor/multipart.cc, src/transaction.cc).
describe('the request-body processors write v3 debug-log lines', () => {
  it('multipart: boundary, headers, parts with v3 offsets, arguments, at their levels', () => {
    const lines = debugLog(9, 'SecRuleEngine On\nSecRequestBodyAccess On', multipart(`boundary=${BOUNDARY}`, body));
    expect(lines).toEqual(
      expect.arrayContaining([
        `[9] Multipart: Boundary: ${BOUNDARY}`,
        '[9] Multipart: Added part header "Content-Disposition" "form-data; name="a"".',
        '[9] Multipart: Content-Disposition name: a.',
        '[9] Multipart: Added data to variable: 1',
        // offset: where the part's data starts in the body, counted as v3 counts it.
        '[9] Multipart: Added part to the list: name "a" (offset 90, length 1)',
        '[9] Multipart: Content-Disposition filename: image.jpg.',
        '[9] Multipart: Added file part to the list: name "image" file name "image.jpg" (offset 235, length 10)',
        '[4] Adding request argument (BODY): name "a", value "1"',
      ]),
    );
    expect(body.slice(90, 91)).toBe('1');
    expect(body.slice(235, 245)).toBe('BINARYDATA');
  });

  it('multipart: warnings for the flags and the parse error', () => {
    const lines = debugLog(9, 'SecRuleEngine On', multipart(`boundary="${BOUNDARY}"`, body.replace(`--${BOUNDARY}--\r\n`, '')));
    expect(lines).toContain(`[9] Multipart: Boundary (quoted): ${BOUNDARY}`);
    expect(lines).toContain('[4] Multipart: Warning: boundary was quoted.');
    expect(lines).toContain('[1] Multipart: Final boundary missing.');
    // Form fields become arguments only when the body parsed whole.
    expect(lines.some((l) => l.startsWith('[4] Adding request argument (BODY)'))).toBe(false);
    const bad = debugLog(4, 'SecRuleEngine On', multipart(`boundary=${BOUNDARY}`, body.replace('Content-Disposition: form-data; name="a"', 'Content-Disposition: form-data; name="a"; name="b"')));
    expect(bad).toContain('[4] Multipart: Warning: Duplicate Content-Disposition name: b. Previously: a');
    expect(bad).toContain('[1] Multipart: Invalid Content-Disposition header (-14): form-data; name="a"; name="b"');
    expect(debugLog(4, 'SecRuleEngine On', multipart('boundary="abc', body))).toContain('[4] Multipart: Invalid boundary in C-T (quote).');
  });

  it('below the level of a message, the parser builds nothing', () => {
    const seen: Array<[number, string]> = [];
    const r = parseMultipart(`multipart/form-data; boundary="${BOUNDARY}"`, body, { debug: { level: 4, log: (l, m) => seen.push([l, m]) } });
    expect(r.args).toEqual([{ name: 'a', value: '1' }]);
    expect(seen.every(([l]) => l <= 4)).toBe(true);
    expect(seen.map(([, m]) => m)).toEqual(['Multipart: Warning: boundary was quoted.', 'Adding request argument (BODY): name "a", value "1"']);
  });

  it('urlencoded and JSON arguments, the arguments limit, the no-files limit', () => {
    const get = debugLog(4, 'SecArgumentsLimit 1', { uri: '/?a=1&b=2' });
    expect(get).toContain('[4] Adding request argument (GET): name "a", value "1"');
    expect(get).toContain('[4] Skipping request argument, over limit (1)');
    const json = debugLog(4, 'SecRequestBodyAccess On\nSecRule REQUEST_HEADERS:Content-Type "@rx json" "id:1,phase:1,pass,nolog,ctl:requestBodyProcessor=JSON"', {
      method: 'POST',
      headers: [['Content-Type', 'application/json']],
      body: '{"k":"v"}',
    });
    expect(json).toContain('[4] Adding request argument (JSON): name "json.k", value "v"');
    const big = debugLog(5, 'SecRequestBodyAccess On\nSecRequestBodyNoFilesLimit 3', { method: 'POST', headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: 'a=1234' });
    expect(big).toContain('[5] Request body excluding files is bigger than the maximum expected. Limit: 3');
  });

  it('says why the body is not processed', () => {
    const req: TestRequest = { method: 'POST', headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: 'a=1' };
    expect(debugLog(4, 'SecRequestBodyAccess Off', req)).toContain('[4] Request body processing is disabled');
    const ctl = 'SecRule REQUEST_METHOD "@streq POST" "id:1,phase:1,pass,nolog,ctl:requestBodyAccess=Off"';
    expect(debugLog(4, `SecRequestBodyAccess On\n${ctl}`, req)).toContain('[4] Request body processing is enabled, but disabled to this transaction due to ctl:requestBodyAccess action');
  });
});

describe('SecResponseBodyMimeType', () => {
  const rule = 'SecResponseBodyAccess On\nSecRule RESPONSE_BODY "@contains secret" "id:9,phase:4,pass,log"';
  const req: TestRequest = { response: { headers: [['Content-Type', 'text/html; charset=utf-8']], body: 'a secret' } };
  const inspected = (directives: string): boolean => {
    const waf = createWaf({ directives: `${directives}\n${rule}`, onWarning: () => undefined });
    return runTransaction(waf, req).tx.matchedRules.some((r) => r.id === 9);
  };

  it('the first one replaces the default list (text/plain, text/html), later ones add to it (v2 and v3 alike)', () => {
    expect(inspected('')).toBe(true);
    expect(inspected('SecResponseBodyMimeType application/json')).toBe(false);
    expect(inspected('SecResponseBodyMimeType application/json\nSecResponseBodyMimeType text/html')).toBe(true);
    expect(inspected('SecResponseBodyMimeType text/plain text/html text/xml')).toBe(true);
    expect(inspected('SecResponseBodyMimeType text/html\nSecResponseBodyMimeTypesClear')).toBe(false);
  });

  it('the debug log says why a body is not inspected', () => {
    const lines = debugLog(8, `SecResponseBodyMimeType application/json\n${rule}`, req);
    expect(lines).toContain('[5] Response Content-Type is text/html. It is not marked to be inspected.');
    expect(lines).toContain('[8] Content-Type(s) marked to be inspected: application/json ');
  });
});

describe('URLENCODED_ERROR', () => {
  const rule = 'SecRule URLENCODED_ERROR "@eq 1" "id:1,phase:2,pass,log"';
  const matched = (req: TestRequest): boolean => {
    const waf = createWaf({ directives: `SecRequestBodyAccess On\n${rule}`, onWarning: () => undefined });
    return runTransaction(waf, req).tx.matchedRules.some((r) => r.id === 1);
  };

  it('is 0 from the start and 1 after an invalid %-encoding in the query string or the body (libmodsecurity v3)', () => {
    const waf = createWaf({ directives: 'SecRule URLENCODED_ERROR "@eq 0" "id:1,phase:1,pass,log"', onWarning: () => undefined });
    expect(runTransaction(waf, { uri: '/?a=1' }).tx.matchedRules.map((r) => r.id)).toEqual([1]);
    expect(matched({ uri: '/?a=%2' })).toBe(true);
    expect(matched({ uri: '/?a=%20' })).toBe(false);
    const form = (b: string, uri = '/'): TestRequest => ({ method: 'POST', uri, headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: b });
    expect(matched(form('a=%zz'))).toBe(true);
    // A valid body does not clear what the query string set.
    expect(matched(form('a=1', '/?b=%'))).toBe(true);
  });
});
