import { formatJsonRecord, formatNativeRecord, formatNativeV2Record, parseJsonRecord, parseNativeRecord } from '../../src/audit';
import { makeWaf, runTx } from './helpers';

const CONFIG = `
SecRuleEngine On
SecRequestBodyAccess On
SecRule ARGS_NAMES "@streq password" "id:10,phase:2,pass,nolog,sanitiseArg:password"
SecRule REQUEST_HEADERS_NAMES "@streq authorization" "id:11,phase:1,t:lowercase,pass,nolog,sanitiseRequestHeader:Authorization"
SecAction "id:12,phase:3,pass,nolog,sanitiseResponseHeader:Set-Cookie"
SecRule ARGS:card "@rx ^\\d{16}$" "id:13,phase:2,pass,log,msg:'card',sanitiseMatched"
SecRule REQUEST_HEADERS:X-Token "@rx ." "id:14,phase:1,pass,nolog,sanitiseMatched"
`;

const headers: Array<[string, string]> = [
  ['Host', 'www.example.com'],
  ['Authorization', 'Basic dXNlcjpwYXNz'],
  ['X-Token', 'tok-123'],
];

describe('sanitise* actions mask values in the audit record', () => {
  const waf = makeWaf(CONFIG);

  it("query string, urlencoded body, headers, response headers; v2's trailer lists what was masked", () => {
    const tx = runTx(waf, {
      method: 'POST',
      uri: '/login?password=s3cr%65t&keep=1',
      headers: [...headers, ['Content-Type', 'application/x-www-form-urlencoded']],
      body: 'user=bob&Password=hunter2&card=4111111111111111',
      response: { status: 200, headers: [['Set-Cookie', 'sid=abcdef'], ['Content-Type', 'text/html']] },
    });
    const r = parseNativeRecord(formatNativeRecord(tx, 'ABCFHZ'));
    expect(r.request!.line).toBe('POST /login?password=********&keep=1 HTTP/1.1');
    expect(r.request!.headers).toEqual([
      { name: 'Host', value: 'www.example.com' },
      { name: 'Authorization', value: '******************' },
      { name: 'X-Token', value: '*******' },
      { name: 'Content-Type', value: 'application/x-www-form-urlencoded' },
    ]);
    expect(r.requestBody).toBe('user=bob&Password=*******&card=****************');
    expect(r.response!.headers).toEqual([
      { name: 'Set-Cookie', value: '**********' },
      { name: 'Content-Type', value: 'text/html' },
    ]);
    const v2 = parseNativeRecord(formatNativeV2Record(tx, 'ABCFHZ'));
    expect(v2.request!.line).toBe(r.request!.line);
    expect(v2.requestBody).toBe(r.requestBody);
    expect(r.trailer!.fields).toEqual([]);
    const fields = Object.fromEntries(v2.trailer!.fields.map((f) => [f.name, f.value]));
    expect(fields['Sanitised-Args']).toBe('"password", "card".');
    expect(fields['Sanitised-Request-Headers']).toBe('"Authorization", "X-Token".');
    expect(fields['Sanitised-Response-Headers']).toBe('"Set-Cookie".');

    // The card number quoted by rule 13's message is masked too.
    expect(r.trailer!.messages).toHaveLength(1);
    expect(r.trailer!.messages[0]).toContain("against variable `ARGS:card' (Value: `****************' )");
    expect(r.trailer!.messages[0]).not.toContain('4111111111111111');

    const j = parseJsonRecord(formatJsonRecord(tx, 'ABCFHZ')).transaction;
    expect(j.messages![0]!.details.match).toContain('****************');
    expect(JSON.stringify(j)).not.toMatch(/4111111111111111|hunter2|s3cr|dXNlcjpwYXNz|tok-123|sid=abcdef/);
    expect(j.request.uri).toBe('/login?password=********&keep=1');
    expect(j.request.body).toBe('user=bob&Password=*******&card=****************');
    expect(j.request.headers!.Authorization).toBe('******************');
    expect(j.response.headers!['Set-Cookie']).toBe('**********');
  });

  it("multipart form fields are masked in C and in v2's I; files are not form fields", () => {
    const body = [
      '--b1',
      'Content-Disposition: form-data; name="user"',
      '',
      'bob',
      '--b1',
      'Content-Disposition: form-data; name="password"',
      '',
      'hunter2',
      '--b1',
      'Content-Disposition: form-data; name="password"; filename="password.txt"',
      '',
      'file content',
      '--b1--',
      '',
    ].join('\r\n');
    const tx = runTx(waf, {
      method: 'POST',
      uri: '/up',
      headers: [['Host', 'h'], ['Content-Type', 'multipart/form-data; boundary=b1']],
      body,
    });
    const r = parseNativeRecord(formatNativeRecord(tx, 'ACIZ'));
    expect(r.requestBody).toBe(body.replace('\r\n\r\nhunter2\r\n', '\r\n\r\n*******\r\n'));
    expect(r.requestBody).toContain('file content');
    // v3 writes section I empty.
    expect(r.formFields).toBeUndefined();
    expect(r.sections.find((x) => x.letter === 'I')!.content).toBe('');
    const v2 = parseNativeRecord(formatNativeV2Record(tx, 'ACIZ'));
    expect(v2.requestBody).toBe(r.requestBody);
    expect(v2.formFields).toBe('user=bob&password=*******');
  });
});
