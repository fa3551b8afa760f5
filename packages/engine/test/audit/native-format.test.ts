import { formatNativeRecord, newBoundary, parseNativeLog, parseNativeRecord } from '../../src/audit';
import { nativeV3Fields, readNativeLog, readRuleMessage } from './audit-log-reader';
import { FIXED_TIME, makeWaf, runTx, tempDir, writeRules } from './helpers';

const pad = (n: number): string => String(n).padStart(2, '0');
const off = -FIXED_TIME.getTimezoneOffset();
const TIME = `22/Nov/2026:08:55:15 ${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}${pad(Math.abs(off) % 60)}`;

const BASE = `
SecRuleEngine On
SecRequestBodyAccess On
SecResponseBodyAccess On
`;

describe('Native format (libmodsecurity v3 layout): a blocked request with a body, every part', () => {
  const dir = tempDir();
  const file = writeRules(
    dir,
    [
      `SecRule REQUEST_HEADERS:User-Agent "@contains scanner" "id:913100,phase:1,pass,log,msg:'Scanner',severity:'WARNING',tag:'attack-reputation-scanner'"`,
      `SecRule ARGS "@rx union\\s+select" "id:942100,phase:2,deny,status:403,log,t:lowercase,msg:'SQL Injection',logdata:'Matched Data: %{MATCHED_VAR}',severity:'CRITICAL',tag:'attack-sqli',ver:'OWASP_CRS/4.28.0'"`,
      '',
    ].join('\n'),
  );
  const tx = runTx(makeWaf(BASE, { files: [file] }), {
    method: 'POST',
    uri: '/login?next=/home',
    headers: [
      ['Host', 'www.example.com'],
      ['User-Agent', 'scanner/1.0'],
      ['Content-Type', 'application/x-www-form-urlencoded'],
    ],
    body: 'user=admin&q=1 UNION select password from users',
  });
  const text = formatNativeRecord(tx, 'ABCDEFGHIJKZ', { boundary: 'Q3zX9aB1' });
  const common = `[hostname "198.51.100.2"] [uri "/login"] [unique_id "YXVkaXQtdGVzdA"]`;

  it('is written line for line as libmodsecurity v3 writes it', () => {
    expect(text).toBe(
      [
        '---Q3zX9aB1---A--',
        `[${TIME}] YXVkaXQtdGVzdA 192.0.2.10 51234 198.51.100.2 8080`,
        '---Q3zX9aB1---B--',
        'POST /login?next=/home HTTP/1.1',
        'Host: www.example.com',
        'User-Agent: scanner/1.0',
        'Content-Type: application/x-www-form-urlencoded',
        '',
        '---Q3zX9aB1---C--',
        'user=admin&q=1 UNION select password from users',
        '',
        '---Q3zX9aB1---D--',
        '',
        '---Q3zX9aB1---F--',
        'HTTP/1.1 403',
        '',
        '---Q3zX9aB1---G--',
        '',
        '---Q3zX9aB1---H--',
        `ModSecurity: Warning. Matched "Operator \`Contains' with parameter \`scanner' against variable \`REQUEST_HEADERS:User-Agent' (Value: \`scanner/1.0' ) [file "${file}"] [line "1"] [id "913100"] [rev ""] [msg "Scanner"] [data ""] [severity "4"] [ver ""] [maturity "0"] [accuracy "0"] [tag "attack-reputation-scanner"] ${common} [ref "o0,7v66,11"]`,
        `ModSecurity: Access denied with code 403 (phase 2). Matched "Operator \`Rx' with parameter \`union\\s+select' against variable \`ARGS:q' (Value: \`1 UNION select password from users' ) [file "${file}"] [line "2"] [id "942100"] [rev ""] [msg "SQL Injection"] [data "Matched Data: 1 union select password from users"] [severity "2"] [ver "OWASP_CRS/4.28.0"] [maturity "0"] [accuracy "0"] [tag "attack-sqli"] ${common} [ref "o2,12v140,34t:lowercase"]`,
        '',
        '---Q3zX9aB1---I--',
        '',
        '---Q3zX9aB1---J--',
        '',
        '---Q3zX9aB1---K--',
        '',
        '---Q3zX9aB1---Z--',
        '',
        '',
      ].join('\n'),
    );
  });

  it('an independent reader of the v3 layout reads every field', () => {
    const records = readNativeLog(text + text);
    expect(records).toHaveLength(2);
    const f = nativeV3Fields(records[0]!);
    expect(f.get('sections')).toBe('ABCDFGHIJKZ');
    expect(f.get('A.unique_id')).toBe('YXVkaXQtdGVzdA');
    expect(f.get('B.header.3')).toBe('Content-Type: application/x-www-form-urlencoded');
    expect(f.get('C.body')).toBe('user=admin&q=1 UNION select password from users');
    expect(f.get('F.status')).toBe('HTTP/1.1 403');
    expect(f.get('H.ids')).toBe('913100,942100');
    expect(f.get('H.942100.kind')).toBe('Access denied with code 403 (phase 2).');
    expect(f.get('H.942100.hostname')).toBe('198.51.100.2');
    expect(f.get('H.913100.tags')).toBe('attack-reputation-scanner');
  });

  it("the engine's own parser reads it too", () => {
    const r = parseNativeRecord(text);
    expect(r.layout).toBe('v3');
    expect(r.sections.map((s) => s.letter).join('')).toBe('ABCDFGHIJKZ');
    expect(r.request!.line).toBe('POST /login?next=/home HTTP/1.1');
    expect(r.response).toEqual({ protocol: 'HTTP/1.1', status: 403, reason: '', headers: [] });
    expect(r.trailer!.messages).toHaveLength(2);
    expect(parseNativeLog(text + text)).toHaveLength(2);
  });
});

describe('Native format (v3): sections', () => {
  const waf = makeWaf(`${BASE}\nSecRule RESPONSE_BODY "@contains secret" "id:950100,phase:4,pass,log,msg:'Leak'"`);
  const leak = (): ReturnType<typeof runTx> =>
    runTx(waf, { response: { status: 200, headers: [['Content-Type', 'text/html'], ['X-Id', '7']], body: '<p>the secret</p>\n\tend' } });

  it('E holds the response body with non-printable bytes as \\xNN, before F (v3 order)', () => {
    const text = formatNativeRecord(leak(), 'AEFZ', { boundary: 'aaaaaaaa' });
    expect(text).toBe(
      [
        '---aaaaaaaa---A--',
        `[${TIME}] YXVkaXQtdGVzdA 192.0.2.10 51234 198.51.100.2 8080`,
        '---aaaaaaaa---E--',
        '<p>the secret</p>\\x0a\\x09end',
        '',
        '---aaaaaaaa---F--',
        'HTTP/1.1 200',
        'Content-Type: text/html',
        'X-Id: 7',
        '',
        '---aaaaaaaa---Z--',
        '',
        '',
      ].join('\n'),
    );
  });

  it('the blank line of the response part is written also without F', () => {
    expect(formatNativeRecord(leak(), 'AZ', { boundary: 'aaaaaaaa' })).toBe(`---aaaaaaaa---A--\n[${TIME}] YXVkaXQtdGVzdA 192.0.2.10 51234 198.51.100.2 8080\n\n---aaaaaaaa---Z--\n\n`);
    const r = readNativeLog(formatNativeRecord(leak(), 'ABHZ'))[0]!;
    expect(r.skeleton.join('|')).toBe('[A]|.|[B]|.|.|||[H]|.||[Z]|');
  });

  it('C only when a body was sent, E only when a response body was inspected; D, G, I, J, K always empty', () => {
    const tx = runTx(waf, { uri: '/' });
    const r = readNativeLog(formatNativeRecord(tx, 'ABCDEFGHIJKZ'))[0]!;
    expect(r.sections.map((s) => s.letter).join('')).toBe('ABDFGHIJKZ');
    for (const s of r.sections.filter((x) => 'DGIJK'.includes(x.letter))) expect(s.text).toBe('\n');
  });

  it('F: the request\'s protocol and the status sent; 200 when no response is known', () => {
    const tx = runTx(makeWaf('SecRuleEngine On\nSecRule ARGS "@streq x" "id:1,phase:1,deny,status:406,log"'), { uri: '/?a=x' });
    expect(nativeV3Fields(readNativeLog(formatNativeRecord(tx, 'AFZ'))[0]!).get('F.status')).toBe('HTTP/1.1 406');
    const noResponse = makeWaf('SecRuleEngine On').newTransaction({ id: 'n' });
    noResponse.processConnection('1.1.1.1', 1, '2.2.2.2', 2);
    noResponse.processUri('/', 'GET', 'HTTP/1.0');
    expect(nativeV3Fields(readNativeLog(formatNativeRecord(noResponse, 'AFZ'))[0]!).get('F.status')).toBe('HTTP/1.0 200');
  });

  it('a multipart body is section C as sent; v3 writes I and J empty', () => {
    const body = '--XyZ\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\nabc\r\n--XyZ--\r\n';
    const tx = runTx(waf, { method: 'POST', uri: '/up', headers: [['Host', 'h'], ['Content-Type', 'multipart/form-data; boundary=XyZ']], body });
    const f = nativeV3Fields(readNativeLog(formatNativeRecord(tx, 'ACIJZ'))[0]!);
    expect(f.get('C.body')).toBe(body);
    expect(f.get('I.text')).toBe('\n');
    expect(f.get('J.text')).toBe('\n');
  });

  it('C is written when SecRequestBodyAccess is Off too (v3 keeps what the connector passed)', () => {
    const tx = runTx(makeWaf('SecRuleEngine On'), { method: 'POST', headers: [['Host', 'h'], ['Content-Type', 'text/plain']], body: 'hello' });
    expect(nativeV3Fields(readNativeLog(formatNativeRecord(tx, 'ACZ'))[0]!).get('C.body')).toBe('hello');
  });
});

describe('Native format (v3): rule messages in H', () => {
  const h = (directives: string, req: Parameters<typeof runTx>[1]): ReturnType<typeof readRuleMessage>[] => {
    const tx = runTx(makeWaf(directives), req);
    const r = readNativeLog(formatNativeRecord(tx, 'HZ'))[0]!;
    return r.sections
      .find((s) => s.letter === 'H')!
      .text.split('\n')
      .filter((l) => l !== '')
      .map(readRuleMessage);
  };

  it('the operator argument is shown as written (\\" kept), cut at 200 bytes with the count of what was left out', () => {
    const [q] = h(`SecRule ARGS "@rx [\\"']x" "id:1,phase:1,pass,log"`, { uri: '/?q=%22x' });
    expect(q!.match).toBe(`Matched "Operator \`Rx' with parameter \`[\\"']x' against variable \`ARGS:q' (Value: \`"x' )`);
    const [m] = h(`SecRule ARGS "@rx (?:${'a'.repeat(250)}|x)" "id:1,phase:1,pass,log"`, { uri: '/?q=x' });
    expect(m!.match).toBe(`Matched "Operator \`Rx' with parameter \`(?:${'a'.repeat(197)} (56 characters omitted)' against variable \`ARGS:q' (Value: \`x' )`);
  });

  it('the value is the one the request had (before transformations), escaped, cut at 100 bytes', () => {
    const value = `${'B'.repeat(120)}`;
    const [m] = h(`SecRule ARGS "@rx ^b+$" "id:1,phase:1,pass,log,t:lowercase"`, { uri: `/?q=${value}` });
    expect(m!.match).toContain(`(Value: \`${'B'.repeat(100)} (20 characters omitted)' )`);
    const [n] = h(`SecRule ARGS "@rx x" "id:1,phase:1,pass,log"`, { uri: '/?q=x%0A%C3%A9' });
    expect(n!.match).toContain("(Value: `x\\x0a\\xc3\\xa9' )");
  });

  it('macros in the argument of @ge, @rx and kin are expanded; others print the literal parts', () => {
    const [m] = h(`SecAction "id:1,phase:1,pass,nolog,setvar:tx.threshold=5,setvar:tx.blocking_score=7"\nSecRule TX:BLOCKING_SCORE "@ge %{tx.threshold}" "id:2,phase:1,pass,log"`, { uri: '/' });
    expect(m!.match).toBe("Matched \"Operator `Ge' with parameter `5' against variable `TX:BLOCKING_SCORE' (Value: `7' )");
    const [e] = h(`SecAction "id:1,phase:1,pass,nolog,setvar:tx.want=abc"\nSecRule ARGS:q "@streq %{tx.want}" "id:2,phase:1,pass,log"`, { uri: '/?q=abc' });
    expect(e!.match).toBe("Matched \"Operator `StrEq' with parameter `' against variable `ARGS:q' (Value: `abc' )");
  });

  it('libinjection operators describe their match in their own words', () => {
    const [m] = h(`SecRule ARGS "@detectSQLi" "id:1,phase:1,pass,log"`, { uri: "/?q=1'%20OR%20'1'='1" });
    expect(m!.match).toBe('detected SQLi using libinjection.');
  });

  it('SecAction has no match text (two spaces before [file])', () => {
    const tx = runTx(makeWaf(`SecAction "id:9,phase:1,pass,log,msg:'always'"`), {});
    expect(formatNativeRecord(tx, 'HZ')).toMatch(/\nModSecurity: Warning\. {2}\[file "[^"]*"\] \[line "1"\] \[id "9"\]/);
  });

  it('[hostname] is the server address, [uri] the decoded path; nolog matches are not listed; the code is the status sent', () => {
    const ms = h(
      `SecRuleEngine On\nSecRule ARGS "@streq a" "id:1,phase:1,pass,nolog"\nSecRule ARGS "@streq a" "id:2,phase:1,deny,status:418,log,msg:'teapot'"`,
      { uri: '/p%61th/x?q=a', headers: [['Host', 'www.example.com']] },
    );
    expect(ms.map((m) => [m.id, m.kind, m.hostname, m.uri])).toEqual([['2', 'Access denied with code 418 (phase 1).', '198.51.100.2', '/path/x']]);
  });

  it('the last of log, nolog, auditlog, noauditlog decides whether a match is listed (v3 m_saveMessage)', () => {
    const ms = h(
      [
        `SecRule ARGS "@streq a" "id:1,phase:1,pass,nolog,auditlog"`,
        `SecRule ARGS "@streq a" "id:2,phase:1,pass,log,noauditlog"`,
        `SecRule ARGS "@streq a" "id:3,phase:1,pass,auditlog,nolog"`,
        `SecRule ARGS "@streq a" "id:4,phase:1,pass,noauditlog,log"`,
      ].join('\n'),
      { uri: '/?q=a' },
    );
    expect(ms.map((m) => m.id)).toEqual(['1', '4']);
    // A match listed only through auditlog carries its reference too (@streq gives no o part, as v3's).
    expect(ms.map((m) => m.ref)).toEqual(['v8,1', 'v8,1']);
  });

  it('in DetectionOnly a deny is a Warning', () => {
    const [m] = h(`SecRuleEngine DetectionOnly\nSecRule ARGS "@streq a" "id:2,phase:1,deny,log"`, { uri: '/?q=a' });
    expect(m!.kind).toBe('Warning.');
  });

  it('fields escape what would break the line: data, tags and versions as \\xNN (with " and \\), msg only non-printables', () => {
    const [m] = h(`SecRule ARGS "@rx ." "id:3,phase:1,pass,log,msg:'say \\"hi\\"',logdata:'%{MATCHED_VAR}',tag:'a\\"b',ver:'v\\1'"`, { uri: '/?q=%22%0A' });
    expect(m!.msg).toBe('say "hi"');
    expect(m!.data).toBe('\\x22\\x0a');
    expect(m!.tags).toEqual(['a\\x22b']);
    expect(m!.ver).toBe('v\\x5c1');
  });
});

describe('Native format (v3): boundaries', () => {
  it('are 8 letters and digits, as v3 makes them', () => {
    for (let i = 0; i < 50; i++) expect(newBoundary()).toMatch(/^[0-9A-Za-z]{8}$/);
  });

  it('a boundary that occurs in the content is replaced, so a body cannot forge a section or a record', () => {
    const forged = 'x=1\n---DeadBeef---Z--\n\n---DeadBeef---A--\n[forged]';
    const tx = runTx(makeWaf('SecRequestBodyAccess On'), { method: 'POST', headers: [['Host', 'h'], ['Content-Type', 'text/plain']], body: forged });
    const boundaries = ['DeadBeef', 'CafeF00d'];
    const text = formatNativeRecord(tx, 'ACZ', { randomBoundary: () => boundaries.shift() ?? '00000000' });
    const records = readNativeLog(text);
    expect(records).toHaveLength(1);
    expect(records[0]!.boundary).toBe('CafeF00d');
    expect(nativeV3Fields(records[0]!).get('C.body')).toBe(forged);
  });
});
