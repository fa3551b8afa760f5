import { LmdbCollectionStore } from '../src';
import { T0, removeDir, request, seen, tempDataDir, wafWith } from './helpers';

// ModSecurity semantics of persistent collections, through the engine's actions with this store underneath.

let dir: string;
let store: LmdbCollectionStore;

beforeEach(() => {
  dir = tempDataDir();
  store = LmdbCollectionStore.open(dir, { sweepIntervalMs: 0 });
});

afterEach(async () => {
  await store.close();
  removeDir(dir);
});

async function reopen(): Promise<void> {
  await store.close();
  store = LmdbCollectionStore.open(dir, { sweepIntervalMs: 0 });
}

describe('initcol and the built-in fields', () => {
  const rules = `SecCollectionTimeout 600
SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecAction "id:10,phase:1,pass,nolog,setvar:ip.seen=+1"`;

  it('fills CREATE_TIME, IS_NEW, KEY, KEY_NAME, LAST_UPDATE_TIME, TIMEOUT, UPDATE_COUNTER, UPDATE_RATE', () => {
    const waf = wafWith(store, rules);
    const first = request(waf, { ip: '198.51.100.7', at: T0 }).tx;
    expect(seen(first, 'IP', 'IS_NEW')).toBe('1');
    expect(seen(first, 'IP', 'CREATE_TIME')).toBe(String(T0));
    expect(seen(first, 'IP', 'LAST_UPDATE_TIME')).toBe(String(T0));
    expect(seen(first, 'IP', 'KEY')).toBe('198.51.100.7');
    expect(seen(first, 'IP', 'KEY_NAME')).toBe('ip');
    expect(seen(first, 'IP', 'TIMEOUT')).toBe('600');
    expect(seen(first, 'IP', 'UPDATE_COUNTER')).toBe('0');
    expect(seen(first, 'IP', 'UPDATE_RATE')).toBe('0');

    for (let i = 1; i <= 4; i++) request(waf, { ip: '198.51.100.7', at: T0 + 30 * i });
    const sixth = request(waf, { ip: '198.51.100.7', at: T0 + 240 }).tx;
    expect(seen(sixth, 'IP', 'IS_NEW')).toBe('0');
    expect(seen(sixth, 'IP', 'CREATE_TIME')).toBe(String(T0));
    expect(seen(sixth, 'IP', 'LAST_UPDATE_TIME')).toBe(String(T0 + 120));
    expect(seen(sixth, 'IP', 'UPDATE_COUNTER')).toBe('5');
    // Five updates in four minutes: 5 * 60 / 240.
    expect(seen(sixth, 'IP', 'UPDATE_RATE')).toBe('1');
    expect(seen(sixth, 'IP', 'seen')).toBe('6');
  });

  it('lets rules read the built-in fields', () => {
    const waf = wafWith(store, `${rules}
SecRule IP:IS_NEW "@eq 1" "id:2,phase:1,pass,log,msg:'new client'"
SecRule IP:UPDATE_COUNTER "@ge 2" "id:3,phase:1,deny,status:403"`);
    expect(request(waf, { at: T0 }).tx.matchedRules.map((r) => r.id)).toEqual([1, 10, 2]);
    expect(request(waf, { at: T0 + 1 }).interruption).toBeUndefined();
    expect(request(waf, { at: T0 + 2 }).interruption?.status).toBe(403);
  });

  it('opens GLOBAL and RESOURCE with initcol and setrsc', () => {
    const waf = wafWith(store, `SecAction "id:1,phase:1,pass,nolog,initcol:global=global"
SecAction "id:2,phase:1,pass,nolog,setrsc:%{REQUEST_FILENAME}"
SecAction "id:3,phase:1,pass,nolog,setvar:global.hits=+1,setvar:resource.hits=+1"`);
    request(waf, { uri: '/a', at: T0 });
    request(waf, { uri: '/b', at: T0 });
    const tx = request(waf, { uri: '/a', at: T0 }).tx;
    expect(seen(tx, 'GLOBAL', 'hits')).toBe('3');
    expect(seen(tx, 'RESOURCE', 'hits')).toBe('2');
    expect(seen(tx, 'RESOURCE', 'KEY')).toBe('/a');
    expect(seen(tx, 'RESOURCE', 'KEY_NAME')).toBe('resource');
    expect(store.read('RESOURCE', '/b', T0)!.values.hits!.value).toBe('1');
    expect(store.read('GLOBAL', 'global', T0)!.values.hits!.value).toBe('3');
  });

  it('opens SESSION with setsid and USER with setuid', () => {
    const waf = wafWith(store, `SecRule REQUEST_COOKIES:sid "@rx ." "id:1,phase:1,pass,nolog,setsid:%{REQUEST_COOKIES.sid}"
SecRule REQUEST_HEADERS:X-User "@rx ." "id:2,phase:1,pass,nolog,setuid:%{REQUEST_HEADERS.X-User}"
SecAction "id:3,phase:1,pass,nolog,setvar:session.views=+1,setvar:user.logins=+1"`);
    const headers: Array<[string, string]> = [['Host', 'example.com'], ['Cookie', 'sid=abc123'], ['X-User', 'alice']];
    request(waf, { headers, at: T0 });
    const tx = request(waf, { headers, at: T0 + 1 }).tx;
    expect(tx.vars.get('SESSIONID')).toBe('abc123');
    expect(tx.vars.get('USERID')).toBe('alice');
    expect(seen(tx, 'SESSION', 'views')).toBe('2');
    expect(seen(tx, 'USER', 'logins')).toBe('2');
    expect(store.read('SESSION', 'abc123', T0 + 1)!.values.views!.value).toBe('2');
    expect(store.read('USER', 'alice', T0 + 1)!.values.logins!.value).toBe('2');
  });
});

describe('setvar on persistent collections', () => {
  it('supports =value, =+N, =-N, no value and !', async () => {
    const waf = wafWith(store, `SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecRule ARGS:step "@streq 1" "id:2,phase:1,pass,nolog,setvar:ip.text=hello,setvar:ip.count=+5,setvar:ip.flag,setvar:ip.method=%{REQUEST_METHOD},setvar:ip.%{ARGS.name}=named"
SecRule ARGS:step "@streq 2" "id:3,phase:1,pass,nolog,setvar:ip.count=-2,setvar:!ip.text,setvar:ip.count=+10"`);
    const tx1 = request(waf, { uri: '/?step=1&name=Dynamic', at: T0 }).tx;
    expect(seen(tx1, 'IP', 'text')).toBe('hello');
    expect(seen(tx1, 'IP', 'count')).toBe('5');
    expect(seen(tx1, 'IP', 'flag')).toBe('1');
    const tx2 = request(waf, { uri: '/?step=2', at: T0 + 1 }).tx;
    expect(seen(tx2, 'IP', 'text')).toBeUndefined();
    expect(seen(tx2, 'IP', 'count')).toBe('13');

    await reopen();
    const tx3 = request(wafWith(store, 'SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"'), { at: T0 + 2 }).tx;
    expect(seen(tx3, 'IP', 'count')).toBe('13');
    expect(seen(tx3, 'IP', 'flag')).toBe('1');
    expect(seen(tx3, 'IP', 'method')).toBe('GET');
    expect(seen(tx3, 'IP', 'Dynamic')).toBe('named');
    expect(seen(tx3, 'IP', 'text')).toBeUndefined();
    expect(store.read('IP', '192.0.2.1', T0 + 2)!.values).toEqual({
      count: { name: 'count', value: '13' },
      flag: { name: 'flag', value: '1' },
      method: { name: 'method', value: 'GET' },
      dynamic: { name: 'Dynamic', value: 'named' },
    });
  });

  it('counts from 0 when the variable does not exist or is not a number', () => {
    const waf = wafWith(store, `SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecAction "id:3,phase:1,pass,nolog,setvar:ip.word=abc"
SecAction "id:2,phase:1,pass,nolog,setvar:ip.word=+3,setvar:ip.fresh=-4"`);
    const tx = request(waf, { at: T0 }).tx;
    expect(seen(tx, 'IP', 'word')).toBe('3');
    expect(seen(tx, 'IP', 'fresh')).toBe('-4');
    expect(store.read('IP', '192.0.2.1', T0)!.values.fresh!.value).toBe('-4');
  });

  it('ignores setvar on a collection no initcol opened yet (v3 runs setvar before initcol in the same rule)', () => {
    const waf = wafWith(store, `SecAction "id:1,phase:1,pass,nolog,setvar:ip.x=1"
SecAction "id:2,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR},setvar:ip.y=1"`);
    request(waf, { at: T0 });
    expect(store.count()).toBe(0);
  });

  it('merges concurrent transactions: increments from overlapping transactions all count', () => {
    const waf = wafWith(store, `SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecAction "id:2,phase:1,pass,nolog,setvar:ip.n=+1"`);
    // Both read n before either persists, as two workers handling requests at the same time would.
    const a = waf.newTransaction({ now: new Date(T0 * 1000) });
    const b = waf.newTransaction({ now: new Date(T0 * 1000) });
    for (const tx of [a, b]) {
      tx.processConnection('192.0.2.1', 1, '192.0.2.200', 80);
      tx.processUri('/', 'GET', 'HTTP/1.1');
      tx.processRequestHeaders();
    }
    expect(seen(a, 'IP', 'n')).toBe('1');
    expect(seen(b, 'IP', 'n')).toBe('1');
    a.processLogging();
    b.processLogging();
    expect(store.read('IP', '192.0.2.1', T0)!.values.n!.value).toBe('2');
  });
});

describe('expiry with the transaction clock', () => {
  it('expirevar removes a single variable after N seconds', () => {
    const waf = wafWith(store, `SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecRule ARGS:block "@streq 1" "id:2,phase:1,pass,nolog,setvar:ip.blocked=1,setvar:ip.other=1,expirevar:ip.blocked=30"`);
    request(waf, { uri: '/?block=1', at: T0 });
    expect(seen(request(waf, { at: T0 + 29 }).tx, 'IP', 'blocked')).toBe('1');
    const later = request(waf, { at: T0 + 30 }).tx;
    expect(seen(later, 'IP', 'blocked')).toBeUndefined();
    expect(seen(later, 'IP', 'other')).toBe('1');
  });

  it('SecCollectionTimeout expires the whole record after that many idle seconds', () => {
    const waf = wafWith(store, `SecCollectionTimeout 30
SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecAction "id:2,phase:1,pass,nolog,setvar:ip.n=+1"`);
    request(waf, { at: T0 });
    expect(seen(request(waf, { at: T0 + 29 }).tx, 'IP', 'n')).toBe('2');
    // Idle from T0+29: still there at T0+58, gone at T0+59.
    expect(seen(request(waf, { at: T0 + 58 }).tx, 'IP', 'n')).toBe('3');
    const fresh = request(waf, { at: T0 + 88 }).tx;
    expect(seen(fresh, 'IP', 'IS_NEW')).toBe('1');
    expect(seen(fresh, 'IP', 'n')).toBe('1');
    expect(seen(fresh, 'IP', 'CREATE_TIME')).toBe(String(T0 + 88));
    // The stale-time index points at the last update plus 30 s.
    expect(store.sweep(T0 + 117)).toBe(0);
    expect(store.sweep(T0 + 118)).toBe(1);
  });

  it('deprecatevar lowers a value by N for every S seconds since the last update', () => {
    const waf = wafWith(store, `SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecRule ARGS:score "@rx ^\\d+$" "id:2,phase:1,pass,nolog,setvar:ip.score=%{ARGS.score}"
SecAction "id:3,phase:5,pass,nolog,deprecatevar:ip.score=10/60"`);
    request(waf, { uri: '/?score=100', at: T0 });
    // 150 s after the last update: two whole periods.
    request(waf, { at: T0 + 150 });
    expect(store.read('IP', '192.0.2.1', T0 + 150)!.values.score!.value).toBe('80');
    // Never below zero (3000 s is 50 periods; the record's timeout is the default 3600 s).
    request(waf, { at: T0 + 3150 });
    expect(store.read('IP', '192.0.2.1', T0 + 3150)!.values.score!.value).toBe('0');
  });
});

describe('restart', () => {
  it('keeps records, creation time and counters across a reopen of the store', async () => {
    const rules = `SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecAction "id:2,phase:1,pass,nolog,setvar:ip.n=+1"`;
    request(wafWith(store, rules), { at: T0 });
    request(wafWith(store, rules), { at: T0 + 1 });
    await reopen();
    const tx = request(wafWith(store, rules), { at: T0 + 2 }).tx;
    expect(seen(tx, 'IP', 'n')).toBe('3');
    expect(seen(tx, 'IP', 'IS_NEW')).toBe('0');
    expect(seen(tx, 'IP', 'CREATE_TIME')).toBe(String(T0));
    expect(seen(tx, 'IP', 'UPDATE_COUNTER')).toBe('2');
  });
});
