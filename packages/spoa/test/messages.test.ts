import { spopValue, type SpopMessage } from '@rampart/spop';
import { parseNotify } from '../src';
import { checkRequest, fixtureMessages } from './helpers/spop-client';

describe('parseNotify', () => {
  it('reads the 12-arg check-request HAProxy 2.6 sent (fixture 10: GET /)', () => {
    const p = parseNotify(fixtureMessages('10-notify-get-root'));
    expect(p.problems).toEqual([]);
    const r = p.request!.input;
    expect(p.request!.message).toBe('check-request');
    expect(r.method).toBe('GET');
    expect(r.path).toBe('/');
    expect(r.query).toBeUndefined();
    expect(r.version).toBe('1.1');
    expect(r.clientIp).toBe('127.0.0.1');
    expect(r.clientPort).toBe(53734);
    expect(r.serverPort).toBe(18080);
    expect(r.uniqueId).toMatch(/^7F000001:D1E6_/);
    expect(r.headers.length).toBeGreaterThan(0);
    expect(r.headers.every(([n]) => n === n.toLowerCase())).toBe(true);
    expect(r.declaredBodySize).toBe(0);
    expect(r.body?.length).toBe(0);
  });

  it('keeps an empty query apart from no query (fixture 14: trailing ?)', () => {
    expect(parseNotify(fixtureMessages('14-notify-empty-query')).request!.input.query).toBe('');
  });

  it('sees the truncation of a 20 KB body (fixture 17: 15095 of 20000 bytes)', () => {
    const r = parseNotify(fixtureMessages('17-notify-post-20k-truncated')).request!.input;
    expect(r.declaredBodySize).toBe(20000);
    expect(r.body!.length).toBeLessThan(20000);
  });

  it('reads the older 8-arg layout positionally', () => {
    const twelve = checkRequest({ method: 'POST', path: '/p', query: 'a=1', body: 'x=1', uniqueId: 'u1' });
    const keep = [0, 5, 6, 7, 8, 9, 10, 11];
    const eight: SpopMessage = { name: 'check-request', args: keep.map((i) => twelve.args[i]!) };
    const r = parseNotify([eight]).request!.input;
    expect(r).toMatchObject({ uniqueId: 'u1', method: 'POST', path: '/p', query: 'a=1', version: '1.1', clientIp: '', clientPort: 0, declaredBodySize: 3 });
    expect(r.body!.toString()).toBe('x=1');
    expect(r.headers).toEqual([['host', 'localhost']]);
  });

  it('reports a check-request with another arg count instead of guessing', () => {
    const p = parseNotify([{ name: 'check-request', args: [{ name: '', value: spopValue.string('GET') }] }]);
    expect(p.request).toBeUndefined();
    expect(p.problems[0]).toMatch(/expected 12 args .* or the older 8 .* got 1/);
  });

  it('takes the first request message and ignores the duplicate (fixture 23: check-request + coraza-req, IPv6)', () => {
    const p = parseNotify(fixtureMessages('23-notify-ipv6-two-messages'));
    expect(p.request!.message).toBe('check-request');
    expect(p.ignored).toEqual(['coraza-req']);
    expect(p.request!.input.clientIp).toBe('::1');
  });

  it("reads coraza-req's named args and text headers", () => {
    const msgs = fixtureMessages('23-notify-ipv6-two-messages').filter((m) => m.name === 'coraza-req');
    const p = parseNotify(msgs);
    const r = p.request!.input;
    expect(p.request!.message).toBe('coraza-req');
    expect(r.method).toBe('GET');
    expect(r.clientIp).toBe('::1');
    expect(r.headers.find(([n]) => n === 'host')).toBeDefined();
  });

  it("reads coraza-res (fixture 24: response event, detect-only)", () => {
    const p = parseNotify(fixtureMessages('24-notify-response-event'));
    const r = p.response!;
    expect(r.message).toBe('coraza-res');
    expect(r.input.app).toBe('sample_app');
    expect(r.input.status).toBe(200);
    expect(r.input.version).toBe('1.0');
    expect(r.input.body!.toString()).toBe('hello\n');
    expect(r.input.headers).toContainEqual(['content-type', 'text/html']);
    expect(r.detectOnly).toBe(true);
  });

  it('reads check-response (positional: id status version hdrs_bin body)', () => {
    const hdrs = Buffer.from([12, ...Buffer.from('content-type'), 9, ...Buffer.from('text/html'), 0, 0]);
    const p = parseNotify([
      {
        name: 'check-response',
        args: [spopValue.string('tx-1'), spopValue.int64(500), spopValue.string('1.1'), spopValue.binary(hdrs), spopValue.binary(Buffer.from('boom'))].map((value) => ({ name: '', value })),
      },
    ]);
    expect(p.response!.input).toMatchObject({ id: 'tx-1', status: 500, version: '1.1', headers: [['content-type', 'text/html']] });
  });

  it('rejects a response message without an id, and lists unknown messages as ignored', () => {
    const p = parseNotify([
      { name: 'coraza-res', args: [{ name: 'app', value: spopValue.null() }, { name: 'status', value: spopValue.int64(200) }] },
      { name: 'something-else', args: [] },
    ]);
    expect(p.response).toBeUndefined();
    expect(p.problems[0]).toMatch(/response id is empty/);
    expect(p.ignored).toEqual(['something-else']);
  });

  it('survives hostile values: huge ints, wrong types, truncated hdrs_bin', () => {
    const m = checkRequest({});
    m.args[2] = { name: '', value: spopValue.int64(2n ** 63n - 1n) };
    m.args[9] = { name: '', value: spopValue.binary(Buffer.from([5, 0x61])) };
    m.args[10] = { name: '', value: spopValue.uint64(2n ** 64n - 1n) };
    m.args[11] = { name: '', value: spopValue.bool(true) };
    const p = parseNotify([m]);
    expect(p.request!.input.clientPort).toBe(0);
    expect(p.request!.input.declaredBodySize).toBe(Number.MAX_SAFE_INTEGER);
    expect(p.request!.input.body).toBeUndefined();
    expect(p.problems.some((x) => /truncated/.test(x))).toBe(true);
  });
});
