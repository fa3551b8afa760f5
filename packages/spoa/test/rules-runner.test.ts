import { compileRules, RulesRunner, singleAppRules, verdictActions, type RequestInput } from '../src';
import { varsOf } from './helpers/spop-client';

const RULES = `
SecRuleEngine On
SecRequestBodyAccess On
SecResponseBodyAccess On
SecResponseBodyMimeType text/plain text/html
SecRule REQUEST_HEADERS:Content-Type "^application/x-www-form-urlencoded" "id:10,phase:1,pass,nolog,ctl:requestBodyProcessor=URLENCODED"
SecRule REQUEST_HEADERS:User-Agent "@contains evilbot" "id:1002,phase:1,deny,status:406,log,msg:'bad bot'"
SecRule ARGS:watch "@streq me" "id:1003,phase:2,pass,log,msg:'watched'"
SecRule ARGS "@contains attack" "id:1001,phase:2,deny,status:403,log,msg:'attack in args'"
SecRule INBOUND_DATA_ERROR "@eq 1" "id:1004,phase:2,pass,log,msg:'body truncated by the proxy'"
SecRule REQUEST_URI "@beginsWith /go" "id:1005,phase:1,redirect:https://example.com/,log"
SecRule RESPONSE_BODY "@contains secret-leak" "id:1006,phase:4,deny,status:403,log,msg:'leak'"
SecAction "id:1007,phase:1,pass,nolog,setvar:tx.blocking_inbound_anomaly_score=7"
`;

function request(over: Partial<RequestInput> = {}): RequestInput {
  return {
    app: undefined,
    uniqueId: 'tx-1',
    clientIp: '10.0.0.1',
    clientPort: 40000,
    serverIp: '10.0.0.2',
    serverPort: 80,
    method: 'GET',
    path: '/',
    query: undefined,
    version: '1.1',
    headers: [['host', 'example.com']],
    body: undefined,
    declaredBodySize: undefined,
    ...over,
  };
}

function runner(responseCheck = false, ttl = 10_000, now?: () => number): RulesRunner {
  const rules = compileRules(singleAppRules({ kind: 'directives', directives: RULES, baseDir: __dirname, origin: 'test' }, { responseCheck, transactionTtlMs: ttl, maxCachedTransactions: 3 }));
  return new RulesRunner(rules, now ? { now } : {});
}

describe('RulesRunner', () => {
  it('passes a clean request: code 0, the anomaly score, no rule ids', async () => {
    const v = await runner().inspectRequest(request({ query: 'q=hello' }));
    expect(v).toMatchObject({ id: 'tx-1', app: 'default', code: 0, ruleIds: [], anomalyScore: 7, bodyTruncated: false });
    expect(v.error).toBeUndefined();
    expect(varsOf(verdictActions(v, true))).toEqual({ code: 0, id: 'tx-1', anomaly_score: 7 });
  });

  it('denies in phase 2 from the query, with status, action, rule id and the error-log line', async () => {
    const v = await runner().inspectRequest(request({ query: 'x=an+attack', uniqueId: '' }));
    expect(v).toMatchObject({ code: 403, action: 'deny', ruleId: 1001, ruleIds: [1001] });
    expect(v.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(v.logLines.join('\n')).toMatch(/Access denied with code 403 \(phase 2\).*\[id "1001"\]/);
    expect(varsOf(verdictActions(v, true))).toMatchObject({ code: 403, status: 403, action: 'deny', ruleid: 1001, rule_ids: '1001' });
    expect(varsOf(verdictActions(v, false)).rule_ids).toBeUndefined();
  });

  it('denies in phase 1 from a header, and reads urlencoded bodies', async () => {
    const r = runner();
    expect((await r.inspectRequest(request({ headers: [['user-agent', 'evilbot/1.0']] }))).code).toBe(406);
    const body = Buffer.from('a=1&b=attack');
    const v = await r.inspectRequest(request({ method: 'POST', headers: [['content-type', 'application/x-www-form-urlencoded']], body, declaredBodySize: body.length }));
    expect(v).toMatchObject({ code: 403, ruleId: 1001 });
  });

  it('lists every logged rule, not only the interrupting one', async () => {
    const v = await runner().inspectRequest(request({ query: 'watch=me&x=attack' }));
    expect(v.ruleIds).toEqual([1003, 1001]);
  });

  it('tells the rules when HAProxy truncated the body (INBOUND_DATA_ERROR) and says so in the verdict', async () => {
    const body = Buffer.from('a=1');
    const v = await runner().inspectRequest(request({ method: 'POST', body, declaredBodySize: 20000 }));
    expect(v.bodyTruncated).toBe(true);
    expect(v.ruleIds).toContain(1004);
    expect(varsOf(verdictActions(v, true)).truncated).toBe(1);
    const whole = await runner().inspectRequest(request({ method: 'POST', body, declaredBodySize: 3 }));
    expect(whole.bodyTruncated).toBe(false);
    expect(whole.ruleIds).not.toContain(1004);
  });

  it('returns the redirect target as data', async () => {
    const v = await runner().inspectRequest(request({ path: '/go/there' }));
    expect(v).toMatchObject({ code: 302, action: 'redirect', url: 'https://example.com/' });
    expect(varsOf(verdictActions(v, true)).data).toBe('https://example.com/');
  });

  it('runs phases 3-4 on the same transaction with response checking', async () => {
    const r = runner(true);
    const req = await r.inspectRequest(request({ uniqueId: 'tx-r' }));
    expect(req.code).toBe(0);
    expect(r.pendingTransactions).toBe(1);
    const res = await r.inspectResponse({ app: undefined, id: 'tx-r', status: 200, version: '1.1', headers: [['content-type', 'text/html']], body: Buffer.from('<p>secret-leak</p>') });
    expect(res).toMatchObject({ id: 'tx-r', code: 403, ruleId: 1006, ruleIds: [1006] });
    expect(res.logLines.join()).toMatch(/\[id "1006"\].*\[unique_id "tx-r"\]/);
    expect(r.pendingTransactions).toBe(0);
    const again = await r.inspectResponse({ app: undefined, id: 'tx-r', status: 200, version: '1.1', headers: [], body: undefined });
    expect(again.error?.code).toBe(1003);
  });

  it('answers a response message with error 1005 when response checking is off', async () => {
    const v = await runner(false).inspectResponse({ app: undefined, id: 'x', status: 200, version: '1.1', headers: [], body: undefined });
    expect(v.error?.code).toBe(1005);
    expect(varsOf(verdictActions(v, true))).toEqual({ error: 1005, id: 'x' });
  });

  it('bounds the transaction cache: expired and evicted transactions are logged and forgotten', async () => {
    let now = 1000;
    const lines: string[][] = [];
    const rules = compileRules(singleAppRules({ kind: 'directives', directives: RULES, baseDir: __dirname, origin: 'test' }, { responseCheck: true, transactionTtlMs: 50, maxCachedTransactions: 2 }));
    const r = new RulesRunner(rules, { now: () => now, lateLog: (l) => lines.push(l) });
    for (const id of ['a', 'b', 'c']) await r.inspectRequest(request({ uniqueId: id }));
    expect(r.pendingTransactions).toBe(2);
    expect((await r.inspectResponse({ app: undefined, id: 'a', status: 200, version: '1.1', headers: [], body: undefined })).error?.code).toBe(1003);
    now += 51;
    expect((await r.inspectResponse({ app: undefined, id: 'b', status: 200, version: '1.1', headers: [], body: undefined })).error?.code).toBe(1003);
    await r.close();
    expect(r.pendingTransactions).toBe(0);
  });
});
