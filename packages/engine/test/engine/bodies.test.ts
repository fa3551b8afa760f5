import { run } from './helpers';

const post = (contentType: string, body: string, extraHeaders: Array<[string, string]> = []) => ({
  method: 'POST',
  uri: '/submit',
  headers: [['Host', 'example.com'], ['Content-Type', contentType], ['Content-Length', String(body.length)], ...extraHeaders] as Array<[string, string]>,
  body,
});

const ON = 'SecRuleEngine On\nSecRequestBodyAccess On\n';

describe('request body processors through a transaction', () => {
  test('URLENCODED fills ARGS_POST and ARGS, and REQUEST_BODY', () => {
    const r = run(ON + `SecRule ARGS_POST:name "@streq a b" "id:1,phase:2,pass,log"\nSecRule REQUEST_BODY "@contains name=a+b" "id:2,phase:2,pass,log"\nSecRule REQBODY_PROCESSOR "@streq URLENCODED" "id:3,phase:1,pass,log"`,
      post('application/x-www-form-urlencoded', 'name=a+b&x=%41'));
    expect(r.logged).toEqual([3, 1, 2]);
    expect(r.tx.collection('ARGS')!.entries().map((e) => [e.key, e.value])).toEqual([['name', 'a b'], ['x', 'A']]);
  });

  test('invalid %-encoding sets URLENCODED_ERROR', () => {
    const r = run(ON + `SecRule URLENCODED_ERROR "@eq 1" "id:1,phase:2,pass,log"`, post('application/x-www-form-urlencoded', 'a=%zz'));
    expect(r.logged).toEqual([1]);
  });

  test('JSON (selected by ctl) fills ARGS with ModSecurity v3 names; malformed JSON sets REQBODY_ERROR with a message', () => {
    const cfg = ON + `SecRule REQUEST_HEADERS:Content-Type "^application/json" "id:200001,phase:1,pass,nolog,t:lowercase,ctl:requestBodyProcessor=JSON"\nSecRule REQBODY_ERROR "!@eq 0" "id:200002,phase:2,pass,log,msg:'%{REQBODY_ERROR_MSG}'"`;
    const ok = run(cfg, post('application/json', '{"a":[1,{"b":"x"}],"c":null}'));
    expect(ok.tx.collection('ARGS')!.entries().map((e) => [e.key, e.value])).toEqual([
      ['json.a.array_0', '1'],
      ['json.a.array_1.b', 'x'],
      ['json.c', ''],
    ]);
    expect(ok.tx.collection('ARGS_POST')!.size).toBe(0);
    expect(ok.logged).toEqual([]);
    const bad = run(cfg, post('application/json', '{"a":'));
    expect(bad.logged).toEqual([200002]);
    expect(bad.tx.matchedRules[1]!.msg).toMatch(/^JSON parsing error/);
  });

  test('XML (selected by ctl) is searched with XML:/* and XML://@*', () => {
    const cfg = ON + `SecRule REQUEST_HEADERS:Content-Type "^text/xml" "id:200000,phase:1,pass,nolog,ctl:requestBodyProcessor=XML"\nSecRule XML:/* "@contains secret" "id:1,phase:2,pass,log"\nSecRule XML://@* "@streq evil" "id:2,phase:2,pass,log"\nSecRule REQBODY_ERROR "!@eq 0" "id:3,phase:2,pass,log"`;
    expect(run(cfg, post('text/xml', '<a x="evil"><b>the secret</b></a>')).logged).toEqual([1, 2]);
    expect(run(cfg, post('text/xml', '<a><b></a>')).logged).toEqual([3]);
  });

  test('MULTIPART fills ARGS_POST, FILES and FILES_NAMES; a broken body sets the strict-error flags', () => {
    const body = ['--XyZ', 'Content-Disposition: form-data; name="field"', '', 'value', '--XyZ', 'Content-Disposition: form-data; name="up"; filename="a.php"', 'Content-Type: text/plain', '', '<?php', '--XyZ--', ''].join('\r\n');
    const cfg = ON + `SecRule FILES "@rx \\.php$" "id:1,phase:2,pass,log"\nSecRule ARGS_POST:field "@streq value" "id:2,phase:2,pass,log"\nSecRule MULTIPART_STRICT_ERROR "!@eq 0" "id:3,phase:2,pass,log"`;
    const ok = run(cfg, post('multipart/form-data; boundary=XyZ', body));
    expect(ok.logged).toEqual([1, 2]);
    expect(ok.tx.collection('FILES_NAMES')!.entries().map((e) => e.value)).toEqual(['up']);
    expect(ok.tx.vars.has('REQUEST_BODY')).toBe(false); // not URLENCODED, not forced: as ModSecurity v2
    // LF-only line endings are a strictness violation (MULTIPART_LF_LINE, so MULTIPART_STRICT_ERROR).
    const lf = run(cfg, post('multipart/form-data; boundary=XyZ', body.replace(/\r\n/g, '\n')));
    expect(lf.logged).toContain(3);
    expect(lf.tx.vars.get('MULTIPART_LF_LINE')).toBe('1');
    // A missing final boundary is a processing error: REQBODY_ERROR with ModSecurity's message. Like v3, the
    // strict-error aggregate is computed before that check, so it stays 0.
    const unfinished = run(cfg, post('multipart/form-data; boundary=XyZ', body.replace('--XyZ--\r\n', '')));
    expect(unfinished.tx.vars.get('REQBODY_ERROR')).toBe('1');
    expect(unfinished.tx.vars.get('REQBODY_ERROR_MSG')).toMatch(/Final boundary missing/);
  });

  test('ctl:forceRequestBodyVariable exposes a body no processor handles', () => {
    const cfg = ON + `SecRule REQBODY_PROCESSOR "!@rx (?:URLENCODED|MULTIPART|XML|JSON)" "id:901340,phase:1,pass,nolog,ctl:forceRequestBodyVariable=On"\nSecRule REQUEST_BODY "@contains attack" "id:1,phase:2,pass,log"`;
    expect(run(cfg, post('text/plain', 'an attack here')).logged).toEqual([1]);
  });
});

describe('request body limits', () => {
  const big = 'a='.concat('x'.repeat(200));
  test('Reject answers 403 in On mode (libmodsecurity v3; v2 answered 413) and sets INBOUND_DATA_ERROR', () => {
    const r = run(ON + 'SecRequestBodyLimit 100\nSecRequestBodyLimitAction Reject', post('application/x-www-form-urlencoded', big));
    expect(r.interruption).toMatchObject({ status: 403, ruleId: 0 });
    expect(r.tx.vars.get('INBOUND_DATA_ERROR')).toBe('1');
  });

  test('Reject only logs in DetectionOnly; ProcessPartial inspects the prefix', () => {
    const detect = run('SecRuleEngine DetectionOnly\nSecRequestBodyAccess On\nSecRequestBodyLimit 100\nSecRequestBodyLimitAction Reject', post('application/x-www-form-urlencoded', big));
    expect(detect.interruption).toBeUndefined();
    expect(detect.lines.join('\n')).toMatch(/Request body .* is larger than the configured limit \(100\)/);
    const partial = run(ON + `SecRequestBodyLimit 100\nSecRequestBodyLimitAction ProcessPartial\nSecRule INBOUND_DATA_ERROR "@eq 1" "id:1,phase:2,pass,log"`, post('application/x-www-form-urlencoded', big));
    expect(partial.interruption).toBeUndefined();
    expect(partial.logged).toEqual([1]);
    expect(partial.tx.collection('ARGS_POST')!.first('a')!.length).toBe(98);
  });

  test('SecRequestBodyAccess Off leaves the body alone; ctl:requestBodyAccess turns it on for one transaction', () => {
    const rule = `SecRule ARGS_POST:a "@streq 1" "id:1,phase:2,pass,log"`;
    expect(run('SecRuleEngine On\nSecRequestBodyAccess Off\n' + rule, post('application/x-www-form-urlencoded', 'a=1')).logged).toEqual([]);
    expect(run(`SecRuleEngine On\nSecRequestBodyAccess Off\nSecAction "id:9,phase:1,pass,nolog,ctl:requestBodyAccess=On"\n` + rule, post('application/x-www-form-urlencoded', 'a=1')).logged).toEqual([1]);
  });

  test('without SecRequestBodyAccess the body is processed, as libmodsecurity v3 does (only Off skips it)', () => {
    const rule = `SecRule ARGS_POST:a "@streq 1" "id:1,phase:2,pass,log"`;
    expect(run('SecRuleEngine On\n' + rule, post('application/x-www-form-urlencoded', 'a=1')).logged).toEqual([1]);
  });

  test('SecRequestBodyNoFilesLimit applies to urlencoded, JSON and XML bodies when set (libmodsecurity v3), not when unset', () => {
    const rule = `SecRule REQBODY_ERROR "@eq 1" "id:1,phase:2,deny,status:400,log,logdata:'%{REQBODY_ERROR_MSG}'"\nSecRule ARGS "@rx ." "id:2,phase:2,pass,log"`;
    const json = `SecRule REQUEST_HEADERS:Content-Type "@rx json" "id:3,phase:1,pass,nolog,ctl:requestBodyProcessor=JSON"\n`;
    const xml = `SecRule REQUEST_HEADERS:Content-Type "@rx xml" "id:3,phase:1,pass,nolog,ctl:requestBodyProcessor=XML"\n`;
    const limited = 'SecRuleEngine On\nSecRequestBodyNoFilesLimit 20\n';
    const big = post('application/x-www-form-urlencoded', 'param1=value1&param2=value2&param3=value3');
    const r = run(limited + rule, big);
    expect(r.interruption?.status).toBe(400);
    expect(r.lines.join()).toMatch(/\[data "Request body excluding files is bigger than the maximum expected."\]/);
    expect(r.tx.vars.get('INBOUND_DATA_ERROR')).toBe('1');
    expect(r.tx.collection('ARGS_POST')!.size).toBe(0);
    expect(run(limited + json + rule, post('application/json', '{"param1":{"param2":"value2","param3":"v"}}')).interruption?.status).toBe(400);
    expect(run(limited + xml + rule, post('text/xml', '<a><b>value2 value3 value4</b></a>')).interruption?.status).toBe(400);
    expect(run('SecRuleEngine On\n' + rule, big).interruption).toBeUndefined();
  });

  test('a response body over SecResponseBodyLimit with Reject answers 403 (libmodsecurity v3; v2 answered 500)', () => {
    const r = run('SecRuleEngine On\nSecResponseBodyAccess On\nSecResponseBodyLimitAction Reject\nSecResponseBodyLimit 5', {
      response: { headers: [['Content-Type', 'text/html']], body: '<html>0123456789</html>' },
    });
    expect(r.interruption).toMatchObject({ status: 403, ruleId: 0 });
    expect(r.tx.vars.get('OUTBOUND_DATA_ERROR')).toBe('1');
    // v3 checks the limit of a listed type even without SecResponseBodyAccess.
    const off = run('SecRuleEngine On\nSecResponseBodyLimitAction Reject\nSecResponseBodyLimit 5', {
      response: { headers: [['Content-Type', 'text/html']], body: '<html>0123456789</html>' },
    });
    expect(off.interruption).toMatchObject({ status: 403, ruleId: 0 });
  });

  test('without SecRequestBodyLimitAction an over-long body is not rejected (libmodsecurity v3): the part under the limit is inspected', () => {
    const r = run('SecRuleEngine On\nSecRequestBodyLimit 5\nSecRule ARGS_POST:a "@streq 123" "id:1,phase:2,deny,log"', post('application/x-www-form-urlencoded', 'a=123456789'));
    expect(r.tx.vars.get('INBOUND_DATA_ERROR')).toBe('1');
    expect(r.interruption?.ruleId).toBe(1);
  });

  test('SecArgumentsLimit bounds the number of arguments', () => {
    const body = Array.from({ length: 50 }, (_, i) => `a${i}=1`).join('&');
    const r = run(ON + 'SecArgumentsLimit 10', post('application/x-www-form-urlencoded', body));
    expect(r.tx.collection('ARGS')!.size).toBe(10);
  });
});

describe('response bodies', () => {
  const leak = 'You have an error in your SQL syntax';
  const rule = `SecRule RESPONSE_BODY "@contains SQL syntax" "id:1,phase:4,pass,log"`;

  test('inspected when SecResponseBodyAccess is on and the MIME type is listed (parameters ignored)', () => {
    const cfg = `SecRuleEngine On\nSecResponseBodyAccess On\nSecResponseBodyMimeType text/plain text/html\n${rule}`;
    expect(run(cfg, { response: { headers: [['Content-Type', 'text/plain; charset=utf-8']], body: leak } }).logged).toEqual([1]);
    expect(run(cfg, { response: { headers: [['Content-Type', 'application/octet-stream']], body: leak } }).logged).toEqual([]);
    expect(run(`SecRuleEngine On\nSecResponseBodyAccess Off\n${rule}`, { response: { headers: [['Content-Type', 'text/html']], body: leak } }).logged).toEqual([]);
  });

  test('over SecResponseBodyLimit: ProcessPartial inspects the prefix and sets OUTBOUND_DATA_ERROR', () => {
    const cfg = `SecRuleEngine On\nSecResponseBodyAccess On\nSecResponseBodyLimit 40\nSecResponseBodyLimitAction ProcessPartial\n${rule}\nSecRule OUTBOUND_DATA_ERROR "@eq 1" "id:2,phase:4,pass,log"`;
    const r = run(cfg, { response: { headers: [['Content-Type', 'text/html']], body: leak + 'x'.repeat(1000) } });
    expect(r.logged).toEqual([1, 2]);
    expect(r.tx.vars.get('RESPONSE_BODY')!.length).toBe(40);
  });

  test('RESPONSE_STATUS, RESPONSE_HEADERS and STATUS_LINE in phase 3', () => {
    const cfg = `SecRule RESPONSE_STATUS "@streq 500" "id:1,phase:3,pass,log"\nSecRule RESPONSE_HEADERS:X-Powered-By "@contains PHP" "id:2,phase:3,pass,log"`;
    expect(run(cfg, { response: { status: 500, headers: [['X-Powered-By', 'PHP/8.2']] } }).logged).toEqual([1, 2]);
  });
});
