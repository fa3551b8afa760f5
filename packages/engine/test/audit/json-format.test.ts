import { formatJsonRecord, jsonString, parseJsonRecord, parseJsonLog } from '../../src/audit';
import { jsonFields } from './audit-log-reader';
import { FIXED_TIME, makeWaf, runTx } from './helpers';

const CONFIG = `
SecRuleEngine On
SecRequestBodyAccess On
SecResponseBodyAccess On
SecComponentSignature "OWASP_CRS/4.28.0"
SecSensorId sensor-7
SecRule ARGS "@rx union\\s+select" "id:942100,phase:2,deny,status:403,log,msg:'SQL Injection Attack',logdata:'Matched Data: %{MATCHED_VAR}',severity:'CRITICAL',tag:'attack-sqli',tag:'paranoia-level/1',ver:'OWASP_CRS/4.28.0',rev:'2',maturity:'9',accuracy:'8'"
SecRule ARGS:user "@streq admin" "id:1001,phase:2,pass,nolog"
`;

function blocked(parts: string, body = 'user=admin&q=1 union select 2'): string {
  const tx = runTx(makeWaf(CONFIG), {
    method: 'POST',
    uri: '/login?next=/home',
    headers: [
      ['Host', 'www.example.com'],
      ['Content-Type', 'application/x-www-form-urlencoded'],
    ],
    body,
  });
  return formatJsonRecord(tx, parts, { connector: 'rampart-spoa v0.1.0' });
}

describe('JSON format (ModSecurity v3 schema)', () => {
  it('one object on one line', () => {
    const line = blocked('ABCEFHZ');
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(parseJsonLog(line + line)).toHaveLength(2);
  });

  it('a blocked request with a body, field by field', () => {
    const r = parseJsonRecord(blocked('ABCEFHZ'));
    const t = r.transaction;
    expect(Object.keys(t)).toEqual(['client_ip', 'time_stamp', 'server_id', 'client_port', 'host_ip', 'host_port', 'unique_id', 'request', 'response', 'producer', 'messages']);
    expect(t.client_ip).toBe('192.0.2.10');
    expect(t.time_stamp).toBe(`${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][FIXED_TIME.getDay()]} Nov 22 08:55:15 2026`);
    expect(t.server_id).toBe('sensor-7');
    expect(t.client_port).toBe(51234);
    expect(t.host_ip).toBe('198.51.100.2');
    expect(t.host_port).toBe(8080);
    expect(t.unique_id).toBe('YXVkaXQtdGVzdA');
    expect(t.request).toEqual({
      method: 'POST',
      http_version: 1.1,
      uri: '/login?next=/home',
      body: 'user=admin&q=1 union select 2',
      headers: { Host: 'www.example.com', 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(t.response).toEqual({ body: '', http_code: 403, headers: {} });
    expect(t.producer).toEqual({ modsecurity: expect.stringMatching(/^Rampart v\d+\.\d+\.\d+ \(/), connector: 'rampart-spoa v0.1.0', secrules_engine: 'Enabled', components: ['OWASP_CRS/4.28.0'] });
    // Only logged matches are messages (rule 1001 is nolog).
    expect(t.messages).toEqual([
      {
        message: 'SQL Injection Attack',
        details: {
          match: "Matched \"Operator `Rx' with parameter `union\\s+select' against variable `ARGS:q' (Value: `1 union select 2' )",
          // o: where the pattern matched in the value; v: where the value sits in the request as v3 counts it
          // (request line, `Name: Value` headers, one byte, then the urlencoded body).
          reference: 'o2,12v116,16',
          ruleId: '942100',
          file: expect.stringContaining('<directives>'),
          lineNumber: '7',
          data: 'Matched Data: 1 union select 2',
          severity: '2',
          ver: 'OWASP_CRS/4.28.0',
          rev: '2',
          tags: ['attack-sqli', 'paranoia-level/1'],
          maturity: '9',
          accuracy: '8',
        },
      },
    ]);
  });

  it('http_version is written as the raw number text', () => {
    expect(blocked('AZ')).toContain('"http_version":1.1,');
  });

  it('parts select request/response bodies and headers, producer and messages', () => {
    const only = parseJsonRecord(blocked('AZ')).transaction;
    expect(only.request).toEqual({ method: 'POST', http_version: 1.1, uri: '/login?next=/home' });
    expect(only.response).toEqual({ http_code: 403 });
    expect(only.producer).toBeUndefined();
    expect(only.messages).toBeUndefined();
    expect(Object.keys(parseJsonRecord(blocked('B')).transaction.request)).toEqual(['method', 'http_version', 'uri', 'headers']);
    expect(Object.keys(parseJsonRecord(blocked('C')).transaction.request)).toEqual(['method', 'http_version', 'uri', 'body']);
    expect(Object.keys(parseJsonRecord(blocked('E')).transaction.response)).toEqual(['body', 'http_code']);
    expect(Object.keys(parseJsonRecord(blocked('F')).transaction.response)).toEqual(['http_code', 'headers']);
    expect(Object.keys(parseJsonRecord(blocked('H')).transaction)).toContain('messages');
  });

  it('keeps request bytes: a UTF-8 body is valid UTF-8 JSON, control bytes are escaped', () => {
    const utf8 = Buffer.from('q=1 union select \u00e9\u4e2d\n\u0001', 'utf8').toString('latin1');
    const line = blocked('CZ', utf8);
    const bytes = Buffer.from(line, 'latin1');
    const decoded = JSON.parse(bytes.toString('utf8')) as { transaction: { request: { body: string } } };
    expect(decoded.transaction.request.body).toBe('q=1 union select \u00e9\u4e2d\n\u0001');
  });

  it('strings are escaped as yajl escapes them: control bytes as \\u00XX in upper case, other bytes as they are', () => {
    expect(jsonString('a"b\\c\n\r\t\f\b\u0001\u001f\u007f\u00e9/')).toBe('"a\\"b\\\\c\\n\\r\\t\\f\\b\\u0001\\u001F\u007f\u00e9/"');
    expect(JSON.parse(jsonString('x\u0000\u001ey'))).toBe('x\u0000\u001ey');
  });

  it('a header sent twice is written twice, in order, as v3 writes it', () => {
    const tx = runTx(makeWaf(CONFIG), { headers: [['Host', 'h'], ['Cookie', 'a=1'], ['Cookie', 'b=2']] });
    const line = formatJsonRecord(tx, 'BZ');
    expect(line).toContain('"headers":{"Host":"h","Cookie":"a=1","Cookie":"b=2"}');
  });

  it('the independent reader sees every member in v3\'s order', () => {
    const f = jsonFields(blocked('ABCEFHZ').trimEnd());
    expect(f.get('keys:transaction')).toBe('client_ip,time_stamp,server_id,client_port,host_ip,host_port,unique_id,request,response,producer,messages');
    expect(f.get('keys:transaction.request')).toBe('method,http_version,uri,body,headers');
    expect(f.get('keys:transaction.response')).toBe('body,http_code,headers');
    expect(f.get('keys:transaction.producer')).toBe('modsecurity,connector,secrules_engine,components');
    expect(f.get('keys:transaction.messages.942100.details')).toBe('match,reference,ruleId,file,lineNumber,data,severity,ver,rev,tags,maturity,accuracy');
    expect(f.get('transaction.messages.942100.details.tags')).toBe('attack-sqli | paranoia-level/1');
  });

  it('a clean response keeps its status and headers', () => {
    const tx = runTx(makeWaf(CONFIG), { response: { status: 404, headers: [['Content-Type', 'text/plain']], body: 'nope' } });
    const t = parseJsonRecord(formatJsonRecord(tx, 'ABEFHZ')).transaction;
    expect(t.response).toEqual({ body: 'nope', http_code: 404, headers: { 'Content-Type': 'text/plain' } });
    expect(t.messages).toEqual([]);
  });
});
