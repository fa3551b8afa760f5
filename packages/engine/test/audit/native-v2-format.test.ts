import { formatNativeV2Record as formatNativeRecord, parseNativeRecord, parseNativeLog, RuleTextSource, type NativeAuditRecord } from '../../src/audit';
import { nativeV2Fields, readNativeLog } from './audit-log-reader';
import { FIXED_TIME, makeWaf, runTx, tempDir, writeRules } from './helpers';

const BASE = `
SecRuleEngine On
SecRequestBodyAccess On
SecResponseBodyAccess On
SecComponentSignature "OWASP_CRS/4.28.0"
`;

const RULES = `SecRule ARGS "@rx union\\s+select" \\
    "id:942100,phase:2,deny,status:403,log,msg:'SQL Injection Attack',logdata:'Matched Data: %{MATCHED_VAR}',severity:'CRITICAL',tag:'attack-sqli',tag:'paranoia-level/1',ver:'OWASP_CRS/4.28.0'"
SecRule REQUEST_HEADERS:User-Agent "@contains scanner" "id:913100,phase:1,pass,log,msg:'Scanner',severity:'WARNING'"
`;

function blockedRecord(parts: string): { record: NativeAuditRecord; text: string } {
  const dir = tempDir();
  const file = writeRules(dir, RULES);
  const waf = makeWaf(BASE, { files: [file] });
  const tx = runTx(waf, {
    method: 'POST',
    uri: '/login?next=/home',
    headers: [
      ['Host', 'www.example.com'],
      ['User-Agent', 'scanner/1.0'],
      ['Content-Type', 'application/x-www-form-urlencoded'],
    ],
    body: 'user=admin&q=1 union select password from users',
  });
  const text = formatNativeRecord(tx, parts, { boundary: '0123abcd', handler: 'rampart-spoa', ruleText: new RuleTextSource() });
  return { record: parseNativeRecord(text), text };
}

describe("Native v2 layout (nativeLayout 'v2'): a blocked request with a body", () => {
  const { record, text } = blockedRecord('ABCDEFGHIJKZ');

  it('an independent reader of the v2 layout reads the record', () => {
    const [r] = readNativeLog(text);
    const f = nativeV2Fields(r!);
    expect(r!.layout).toBe('v2');
    expect(f.get('sections')).toBe('ABCFHKZ');
    expect(f.get('B.line')).toBe('POST /login?next=/home HTTP/1.1');
    expect(f.get('F.status')).toBe('HTTP/1.1 403 Forbidden');
    expect(f.get('H.message.2')).toMatch(/^Access denied with code 403 \(phase 2\)\. .*\[id "942100"\]/);
    expect(f.get('H.Action')).toBe('Intercepted (phase 2)');
    expect(f.get('H.Engine-Mode')).toBe('"ENABLED"');
  });

  it('writes the sections in ModSecurity v2 order, one record ending with a blank line', () => {
    // D and G are reserved (ModSecurity writes nothing for them); I and J only apply to multipart bodies; E has
    // no response body because the request was denied before one existed.
    expect(record.sections.map((s) => s.letter).join('')).toBe('ABCFHKZ');
    expect(text.startsWith('--0123abcd-A--\n')).toBe(true);
    expect(text.endsWith('\n--0123abcd-Z--\n\n')).toBe(true);
    expect(parseNativeLog(text + text)).toHaveLength(2);
  });

  it('section A: time, unique id, addresses and ports', () => {
    const pad = (n: number): string => String(n).padStart(2, '0');
    const off = -FIXED_TIME.getTimezoneOffset();
    const zone = `${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}${pad(Math.abs(off) % 60)}`;
    expect(record.header).toEqual({
      timestamp: `22/Nov/2026:08:55:15 ${zone}`,
      uniqueId: 'YXVkaXQtdGVzdA',
      clientIp: '192.0.2.10',
      clientPort: 51234,
      serverIp: '198.51.100.2',
      serverPort: 8080,
    });
  });

  it('section B: the request line and headers in order', () => {
    expect(record.request).toEqual({
      line: 'POST /login?next=/home HTTP/1.1',
      headers: [
        { name: 'Host', value: 'www.example.com' },
        { name: 'User-Agent', value: 'scanner/1.0' },
        { name: 'Content-Type', value: 'application/x-www-form-urlencoded' },
      ],
    });
  });

  it('section C: the body byte for byte', () => {
    expect(record.requestBody).toBe('user=admin&q=1 union select password from users');
  });

  it('section F: the status sent (the deny) with its reason phrase', () => {
    expect(record.response).toEqual({ protocol: 'HTTP/1.1', status: 403, reason: 'Forbidden', headers: [] });
  });

  it('section H: every logged match, the interception, handler, stopwatch, producer and engine mode', () => {
    const h = record.trailer!;
    expect(h.messages).toHaveLength(2);
    expect(h.messages[0]).toMatch(/^Warning\. Matched "Operator `Contains' with parameter `scanner' against variable `REQUEST_HEADERS:User-Agent'/);
    expect(h.messages[0]).toContain('[id "913100"]');
    expect(h.messages[1]).toMatch(/^Access denied with code 403 \(phase 2\)\. /);
    expect(h.messages[1]).toContain('[id "942100"]');
    expect(h.messages[1]).toContain('[msg "SQL Injection Attack"]');
    expect(h.messages[1]).toContain('[data "Matched Data: 1 union select password from users"]');
    expect(h.messages[1]).toContain('[tag "attack-sqli"]');
    const fields = Object.fromEntries(h.fields.map((f) => [f.name, f.value]));
    expect(fields.Action).toBe('Intercepted (phase 2)');
    expect(fields['Apache-Handler']).toBe('rampart-spoa');
    expect(fields.Stopwatch).toMatch(new RegExp(`^${FIXED_TIME.getTime() * 1000} \\d+ \\(- - -\\)$`));
    expect(fields.Producer).toMatch(/^Rampart\/\d+\.\d+\.\d+ .*; OWASP_CRS\/4\.28\.0\.$/);
    expect(fields['Engine-Mode']).toBe('"ENABLED"');
    expect(h.fields.map((f) => f.name)).toEqual(['Action', 'Apache-Handler', 'Stopwatch', 'Producer', 'Engine-Mode']);
  });

  it('section K: each matched rule as written in its file, one line each', () => {
    expect(record.matchedRules).toEqual([
      ['SecRule REQUEST_HEADERS:User-Agent "@contains scanner" "id:913100,phase:1,pass,log,msg:\'Scanner\',severity:\'WARNING\'"'],
      [
        'SecRule ARGS "@rx union\\s+select" "id:942100,phase:2,deny,status:403,log,msg:\'SQL Injection Attack\',logdata:\'Matched Data: %{MATCHED_VAR}\',severity:\'CRITICAL\',tag:\'attack-sqli\',tag:\'paranoia-level/1\',ver:\'OWASP_CRS/4.28.0\'"',
      ],
    ]);
  });
});

describe('Native v2 layout: parts are selectable', () => {
  const cases: Array<[string, string]> = [
    ['A', 'AZ'],
    ['Z', 'AZ'],
    ['B', 'ABZ'],
    ['C', 'ACZ'],
    ['F', 'AFZ'],
    ['H', 'AHZ'],
    ['K', 'AKZ'],
    // I without a multipart body falls back to the raw body, under C, as ModSecurity v2 does.
    ['I', 'ACZ'],
    ['BH', 'ABHZ'],
    ['KHFCB', 'ABCFHKZ'],
  ];
  it.each(cases)('parts %s -> sections %s', (parts, sections) => {
    const { record } = blockedRecord(parts);
    expect(record.sections.map((s) => s.letter).join('')).toBe(sections);
  });
});

describe('Native v2 layout: response, multipart and chains', () => {
  it('section E holds the inspected response body, and H says it was dechunked', () => {
    const waf = makeWaf(`${BASE}\nSecRule RESPONSE_BODY "@contains secret" "id:950100,phase:4,pass,log,msg:'Leak'"`);
    const tx = runTx(waf, { response: { status: 200, headers: [['Content-Type', 'text/html'], ['X-Id', '7']], body: '<p>the secret</p>\n' } });
    const r = parseNativeRecord(formatNativeRecord(tx, 'ABEFHZ'));
    expect(r.sections.map((s) => s.letter).join('')).toBe('ABFEHZ');
    expect(r.responseBody).toBe('<p>the secret</p>\n');
    expect(r.response).toEqual({
      protocol: 'HTTP/1.1',
      status: 200,
      reason: 'OK',
      headers: [
        { name: 'Content-Type', value: 'text/html' },
        { name: 'X-Id', value: '7' },
      ],
    });
    expect(r.trailer!.fields.find((f) => f.name === 'Response-Body-Transformed')?.value).toBe('Dechunked');
    expect(r.trailer!.fields.find((f) => f.name === 'Action')).toBeUndefined();
    expect(r.trailer!.messages[0]).toContain('[id "950100"]');
  });

  it('sections I and J have real content for a multipart body', () => {
    const body = [
      '--XyZ',
      'Content-Disposition: form-data; name="title"',
      '',
      'hello world',
      '--XyZ',
      'Content-Disposition: form-data; name="upload"; filename="a.php"',
      'Content-Type: application/x-php',
      '',
      '<?php system($_GET[1]); ?>',
      '--XyZ',
      'Content-Disposition: form-data; name="note"',
      '',
      'a&b=c',
      '--XyZ',
      'Content-Disposition: form-data; name="second"; filename="b.txt"',
      '',
      'abc',
      '--XyZ--',
      '',
    ].join('\r\n');
    const waf = makeWaf(`${BASE}\nSecRule FILES "@rx \\.php$" "id:933110,phase:2,deny,log,msg:'PHP upload'"`);
    const tx = runTx(waf, {
      method: 'POST',
      uri: '/upload',
      headers: [
        ['Host', 'www.example.com'],
        ['Content-Type', 'multipart/form-data; boundary=XyZ'],
      ],
      body,
    });
    expect(tx.interruption?.ruleId).toBe(933110);
    const r = parseNativeRecord(formatNativeRecord(tx, 'ABCIJZ'));
    expect(r.sections.map((s) => s.letter).join('')).toBe('ABCIJZ');
    expect(r.requestBody).toBe(body);
    expect(r.formFields).toBe('title=hello+world&note=a%26b%3dc');
    expect(r.uploads).toEqual({
      files: [
        { part: 2, size: 26, filename: 'a.php', contentType: 'application/x-php' },
        { part: 4, size: 3, filename: 'b.txt', contentType: '<Unknown ContentType>' },
      ],
      total: 29,
    });
    // I without C: only the reconstructed fields, not the raw multipart body.
    const onlyI = parseNativeRecord(formatNativeRecord(tx, 'IZ'));
    expect(onlyI.sections.map((s) => s.letter).join('')).toBe('AIZ');
  });

  it('section K lists every member of a matched chain, then a blank line', () => {
    const dir = tempDir();
    const file = writeRules(
      dir,
      'SecRule ARGS:a "@streq x" "id:100,phase:1,chain,pass,log,msg:\'chained\'"\n  SecRule ARGS:b "@streq y" "t:none"\nSecAction "id:101,phase:1,pass,nolog"\n',
    );
    const tx = runTx(makeWaf(BASE, { files: [file] }), { uri: '/?a=x&b=y' });
    const r = parseNativeRecord(formatNativeRecord(tx, 'KZ'));
    expect(r.matchedRules).toEqual([
      ['SecRule ARGS:a "@streq x" "id:100,phase:1,chain,pass,log,msg:\'chained\'"', 'SecRule ARGS:b "@streq y" "t:none"'],
      ['SecAction "id:101,phase:1,pass,nolog"'],
    ]);
  });

  it('section K rebuilds a rule that has no file on disk (rules given as a string)', () => {
    const tx = runTx(makeWaf(`${BASE}\nSecRule ARGS:q "@rx ^a" "id:7,phase:1,pass,nolog"`), { uri: '/?q=abc' });
    const r = parseNativeRecord(formatNativeRecord(tx, 'KZ'));
    expect(r.matchedRules).toEqual([['SecRule ARGS:q "@rx ^a" "id:7,phase:1,pass"']]);
  });

  it('DetectionOnly shows in Engine-Mode and there is no interception', () => {
    const waf = makeWaf('SecRuleEngine DetectionOnly\nSecRule ARGS "@streq bad" "id:1,phase:1,deny,log"');
    const r = parseNativeRecord(formatNativeRecord(runTx(waf, { uri: '/?x=bad' }), 'AFHZ'));
    expect(r.trailer!.fields.find((f) => f.name === 'Engine-Mode')?.value).toBe('"DETECTION_ONLY"');
    expect(r.trailer!.fields.find((f) => f.name === 'Action')).toBeUndefined();
    expect(r.response?.status).toBe(200);
  });

  it('a boundary that occurs in the content is replaced, so a body cannot forge a section or a record', () => {
    const forged = 'x=1\n--deadbeef-Z--\n\n--deadbeef-A--\n[forged]';
    const waf = makeWaf('SecRequestBodyAccess On\nSecAuditEngine On');
    const tx = runTx(waf, { method: 'POST', headers: [['Host', 'h'], ['Content-Type', 'text/plain']], body: forged });
    const boundaries = ['deadbeef', 'cafef00d'];
    const text = formatNativeRecord(tx, 'ACZ', { randomBoundary: () => boundaries.shift() ?? '00000000' });
    const records = parseNativeLog(text);
    expect(records).toHaveLength(1);
    expect(records[0]!.boundary).toBe('cafef00d');
    expect(records[0]!.requestBody).toBe(forged);
  });
});
