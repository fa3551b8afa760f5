import { parseNativeRecord, formatNativeRecord, formatNativeV2Record } from '../../src/audit';
import { loadErrors, run, runAudited } from './helpers';

// Reference manual: "sanitiseArg: Prevents sensitive request parameter data from being logged to audit log. Each
// byte of the named parameter(s) is replaced with an asterisk." sanitiseRequestHeader / sanitiseResponseHeader do
// the same for headers, sanitiseMatched for the variable the rule matched, sanitiseMatchedBytes for the matched
// bytes (optionally keeping first/last N: sanitiseMatchedBytes:1/4). The American spellings are aliases.
describe('sanitise* actions', () => {
  test('each action is recorded on its rule', () => {
    const cfg = [
      `SecAction "id:1,phase:2,pass,nolog,sanitiseArg:password,sanitiseArg:pin"`,
      `SecAction "id:2,phase:1,pass,nolog,sanitiseRequestHeader:Authorization"`,
      `SecAction "id:3,phase:3,pass,nolog,sanitiseResponseHeader:Set-Cookie"`,
      `SecRule ARGS "@rx \\d{16}" "id:4,phase:2,pass,sanitiseMatched"`,
      `SecRule ARGS "@rx \\d{16}" "id:5,phase:2,pass,sanitiseMatchedBytes:0/4"`,
      `SecRule ARGS "@rx \\d{16}" "id:6,phase:2,pass,sanitiseMatchedBytes"`,
    ].join('\n');
    const w = run(cfg).tx.waf;
    expect(w.rule(1)!.sanitise.args).toEqual(['password', 'pin']);
    expect(w.rule(2)!.sanitise.requestHeaders).toEqual(['Authorization']);
    expect(w.rule(3)!.sanitise.responseHeaders).toEqual(['Set-Cookie']);
    expect(w.rule(4)!.sanitise).toMatchObject({ matched: true, args: [] });
    expect(w.rule(4)!.sanitise.matchedBytes).toBeUndefined();
    expect(w.rule(5)!.sanitise).toMatchObject({ matched: true, matchedBytes: '0/4' });
    expect(w.rule(6)!.sanitise).toMatchObject({ matched: true, matchedBytes: '' });
  });

  test('the sanitize* spellings are aliases', () => {
    const cfg = `SecAction "id:1,phase:2,pass,nolog,sanitizeArg:a,sanitizeRequestHeader:B,sanitizeResponseHeader:C,sanitizeMatched"\nSecAction "id:2,phase:2,pass,nolog,sanitizeMatchedBytes:1/1"`;
    const w = run(cfg).tx.waf;
    expect(w.rule(1)!.sanitise).toMatchObject({ args: ['a'], requestHeaders: ['B'], responseHeaders: ['C'], matched: true });
    expect(w.rule(2)!.sanitise.matchedBytes).toBe('1/1');
  });

  test('they change nothing in rule processing', () => {
    const r = run(`SecRule ARGS:password "@rx ." "id:1,phase:2,pass,log,sanitiseArg:password,msg:'%{MATCHED_VAR}'"`, { uri: '/?password=secret' });
    expect(r.tx.matchedRules[0]?.msg).toBe('secret');
    expect(r.tx.collection('ARGS')!.first('password')).toBe('secret');
  });

  test('sanitiseArg masks the argument in the audit record (query string and body)', () => {
    const cfg = `SecAuditEngine On\nSecRequestBodyAccess On\nSecAuditLogParts ABCHZ\nSecAction "id:1,phase:2,pass,nolog,sanitiseArg:password"`;
    const { audit, tx } = runAudited(cfg, {
      method: 'POST',
      uri: '/login?password=abc&keep=1',
      headers: [['Host', 'h'], ['Content-Type', 'application/x-www-form-urlencoded']],
      body: 'user=bob&password=hunter2',
    });
    expect(audit).toContain('POST /login?password=***&keep=1 HTTP/1.1');
    expect(audit).toContain('user=bob&password=*******');
    expect(audit).not.toContain('hunter2');
    // ModSecurity v2's layout lists what was masked in its trailer (v3's has no such line).
    expect(formatNativeV2Record(tx, 'AHZ')).toContain('Sanitised-Args: "password".');
  });

  test('a sanitise action of a rule that did not match masks nothing', () => {
    const cfg = `SecAuditEngine On\nSecRule ARGS:x "@rx ." "id:1,phase:2,pass,nolog,sanitiseArg:password"`;
    const { audit } = runAudited(cfg, { uri: '/?password=abc' });
    expect(audit).toContain('password=abc');
  });

  test('sanitiseRequestHeader and sanitiseResponseHeader mask header values', () => {
    const cfg = `SecAuditEngine On\nSecAuditLogParts ABFHZ\nSecAction "id:1,phase:1,pass,nolog,sanitiseRequestHeader:Authorization"\nSecAction "id:2,phase:3,pass,nolog,sanitiseResponseHeader:Set-Cookie"`;
    const { audit } = runAudited(cfg, {
      headers: [['Host', 'h'], ['Authorization', 'Basic dXNlcjpwYXNz']],
      response: { headers: [['Set-Cookie', 'sid=1234'], ['Content-Type', 'text/html']] },
    });
    expect(audit).toContain('Authorization: ******************');
    expect(audit).toContain('Set-Cookie: ********');
    expect(audit).not.toContain('dXNlcjpwYXNz');
  });

  test('sanitiseMatched masks the matched argument', () => {
    const cfg = `SecAuditEngine On\nSecRule ARGS "@rx ^\\d{16}$" "id:1,phase:2,pass,nolog,sanitiseMatched"`;
    const { tx } = runAudited(cfg, { uri: '/?card=4111111111111111&n=1' });
    const rec = parseNativeRecord(formatNativeRecord(tx, 'ABZ'));
    expect(rec.request!.line).toBe('GET /?card=****************&n=1 HTTP/1.1');
  });

  // Reference manual: "sanitiseMatchedBytes:1/4 ... keep the first 1 and the last 4 bytes" of what the operator
  // matched (ModSecurity v2; v3 refuses the action). The rest of the value stays readable.
  test('sanitiseMatchedBytes:0/4 keeps the last 4 bytes of the match', () => {
    const cfg = `SecAuditEngine On\nSecRule ARGS "@rx \\d{16}" "id:1,phase:2,pass,nolog,capture,sanitiseMatchedBytes:0/4"`;
    const { tx } = runAudited(cfg, { uri: '/?card=4111111111111111' });
    const rec = parseNativeRecord(formatNativeRecord(tx, 'ABZ'));
    expect(rec.request!.line).toBe('GET /?card=************1111 HTTP/1.1');
  });

  test('sanitiseMatchedBytes masks only the matched bytes of the value, in the query string and the body', () => {
    const cfg = `SecAuditEngine On\nSecRequestBodyAccess On\nSecAuditLogParts ABCZ\nSecRule ARGS "@rx \\d{16}" "id:1,phase:2,pass,nolog,sanitiseMatchedBytes:1/4"`;
    const { audit } = runAudited(cfg, {
      method: 'POST',
      uri: '/pay?card=card:4111111111111111:ok',
      headers: [['Host', 'h'], ['Content-Type', 'application/x-www-form-urlencoded']],
      body: 'note=hi&cc=x5500000000000004y',
    });
    expect(audit).toContain('POST /pay?card=card:4***********1111:ok HTTP/1.1');
    expect(audit).toContain('note=hi&cc=x5***********0004y');
    expect(audit).not.toContain('4111111111111111');
  });

  test('sanitiseMatchedBytes without first/last masks every matched byte', () => {
    const cfg = `SecAuditEngine On\nSecRule ARGS "@rx secret" "id:1,phase:2,pass,nolog,sanitiseMatchedBytes"`;
    const { tx } = runAudited(cfg, { uri: '/?q=my-secret-word' });
    expect(parseNativeRecord(formatNativeRecord(tx, 'ABZ')).request!.line).toBe('GET /?q=my-******-word HTTP/1.1');
  });

  test('sanitiseMatchedBytes masks the whole value when the match cannot be found in it', () => {
    // t:lowercase: the matched bytes are not in the value as received; @streq: the operator cannot say where.
    const cfg = `SecAuditEngine On\nSecRule ARGS:a "@rx secret" "id:1,phase:2,pass,nolog,t:lowercase,sanitiseMatchedBytes"\nSecRule ARGS:b "@streq x" "id:2,phase:2,pass,nolog,sanitiseMatchedBytes"`;
    const { tx } = runAudited(cfg, { uri: '/?a=SECRET1&b=x&c=SECRET' });
    expect(parseNativeRecord(formatNativeRecord(tx, 'ABZ')).request!.line).toBe('GET /?a=*******&b=*&c=SECRET HTTP/1.1');
  });

  test('sanitiseMatchedBytes on a request header', () => {
    const cfg = `SecAuditEngine On\nSecAuditLogParts ABZ\nSecRule REQUEST_HEADERS:X-Token "@rx [0-9]{6}" "id:1,phase:1,pass,nolog,sanitiseMatchedBytes:0/2"`;
    const { audit } = runAudited(cfg, { headers: [['Host', 'h'], ['X-Token', 'tok-123456-end']] });
    expect(audit).toContain('X-Token: tok-****56-end');
  });

  test('a sanitise action without a name is a load error', () => {
    expect(loadErrors(`SecAction "id:1,phase:2,pass,sanitiseArg"`).join('\n')).toMatch(/sanitiseArg.*needs a value/);
    expect(loadErrors(`SecAction "id:1,phase:2,pass,sanitiseRequestHeader"`).join('\n')).toMatch(/needs a value/);
  });
});
