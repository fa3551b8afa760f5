import * as path from 'node:path';
import { createWaf, type Transaction, type Waf } from '@rampart/engine';
import { RedisCollectionStore } from '../src';
import { rawCommand, startRedisServer, type RedisServer } from './helpers/redis-server';

/**
 * Round trips to a real redis-server per phase of a transaction: the engine holds the reads of the records
 * opened in a phase until the first rule that uses one of those collections (or the end of the phase), and
 * the store sends everything it was given until then in one pipeline. Counted by the store's onRoundTrip,
 * which is called once per pipeline sent to the server.
 */
const SHARED = path.resolve(__dirname, '../../../../shared');

let server: RedisServer;
const stores: RedisCollectionStore[] = [];

beforeAll(async () => {
  server = await startRedisServer({ durable: false });
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  await rawCommand(server.port, 'FLUSHALL');
});
afterAll(async () => {
  await server.stop();
});

/** A connected store and the number of round trips it made so far. */
async function countingStore(): Promise<{ store: RedisCollectionStore; trips: () => number }> {
  let n = 0;
  // A generous timeout: the machine may be loaded, and these tests are not about timeouts.
  const store = RedisCollectionStore.fromUrl(server.url, { timeoutMs: 5000, onRoundTrip: (_s, ok) => ok && n++ });
  stores.push(store);
  expect(await store.whenConnected(5000)).toBe(true);
  return { store, trips: () => n };
}

interface PhaseTrips {
  status: number;
  /** Round trips made during phase 1, phase 2, and the end (phase 5 and the writes). */
  trips: [number, number, number];
  tx: Transaction;
}

async function request(waf: Waf, trips: () => number, headers: Array<[string, string]> = []): Promise<PhaseTrips> {
  const tx = waf.newTransaction();
  tx.processConnection('192.0.2.1', 40000, '10.0.0.2', 80);
  tx.processUri('/index.html?q=hello', 'GET', 'HTTP/1.1');
  tx.addRequestHeader('Host', 'example.com');
  tx.addRequestHeader('User-Agent', 'Mozilla/5.0 (round-trip test)');
  tx.addRequestHeader('Accept', 'text/html');
  for (const [k, v] of headers) tx.addRequestHeader(k, v);
  const t0 = trips();
  let it = await tx.processRequestHeadersAsync();
  const t1 = trips();
  if (!it) it = await tx.processRequestBodyAsync();
  const t2 = trips();
  await tx.processLoggingAsync();
  const t3 = trips();
  expect(tx.collectionErrors).toBeUndefined();
  return { status: it?.status ?? 200, trips: [t1 - t0, t2 - t1, t3 - t2], tx };
}

describe('one round trip per phase against a real redis-server', () => {
  test('two records opened by two rules, then one rule reading them: one round trip for the reads, one for the writes', async () => {
    const { store, trips } = await countingStore();
    const waf = createWaf({
      collectionStore: store,
      directives: `SecRuleEngine On
SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecRule REQUEST_COOKIES:sid "@rx ." "id:2,phase:1,pass,nolog,setsid:%{REQUEST_COOKIES.sid}"
SecRule IP:requests|SESSION:requests "@ge 3" "id:3,phase:1,deny,status:429,log"
SecAction "id:4,phase:1,pass,nolog,setvar:ip.requests=+1,setvar:session.requests=+1,expirevar:ip.requests=60"`,
    });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await request(waf, trips, [['Cookie', 'sid=s1']]));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    // Phase 1 reads IP and SESSION in one pipeline; phase 2 has nothing to read; the end writes both records
    // in one (the denied request writes nothing: rule 4 did not run).
    expect(results.map((r) => r.trips)).toEqual([[1, 0, 1], [1, 0, 1], [1, 0, 1], [1, 0, 0]]);
    expect(results[2]!.tx.collection('SESSION')!.first('requests')).toBe('3');
  });

  test('CRS 4 (with its IP and GLOBAL collections) and a rate limit: one round trip to read, one to write', async () => {
    const { store, trips } = await countingStore();
    const waf = createWaf({
      collectionStore: store,
      onWarning: () => undefined,
      directives: [
        'SecRuleEngine On',
        'SecRequestBodyAccess On',
        `Include ${SHARED}/crs4/crs-setup.conf.example`,
        // CRS's rule 901320 opens GLOBAL and IP (keyed by address and user agent) when asked to.
        'SecAction "id:900130,phase:1,pass,nolog,setvar:tx.enable_default_collections=1"',
        // The rate limit counts per address in a collection of its own opened before CRS: a second rule
        // opening records in phase 1, before any rule reads one.
        'SecAction "id:9001,phase:1,pass,nolog,initcol:resource=%{REMOTE_ADDR}"',
        `Include ${SHARED}/crs4/rules/*.conf`,
        'SecRule RESOURCE:requests "@ge 3" "id:9002,phase:1,deny,status:429,log,msg:\'rate limited\'"',
        'SecAction "id:9003,phase:1,pass,nolog,setvar:resource.requests=+1,setvar:global.requests=+1,setvar:ip.requests=+1"',
      ].join('\n'),
    });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await request(waf, trips));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(results.map((r) => r.trips)).toEqual([[1, 0, 1], [1, 0, 1], [1, 0, 1], [1, 0, 0]]);
    const tx = results[2]!.tx;
    expect([...tx.persistent.keys()].sort()).toEqual(['GLOBAL', 'IP', 'RESOURCE']);
    expect(tx.collection('GLOBAL')!.first('requests')).toBe('3');
  }, 120_000);

  test('a record opened after a rule that waited for another, with a key no rule can change: read ahead, one round trip', async () => {
    const { store, trips } = await countingStore();
    const waf = createWaf({
      collectionStore: store,
      directives: `SecRuleEngine On
SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecRule IP:requests "@ge 100" "id:2,phase:1,deny,status:429,log"
SecRule REQUEST_COOKIES:sid "@rx ." "id:3,phase:1,pass,nolog,setsid:%{REQUEST_COOKIES.sid}"
SecRule SESSION:requests "@ge 2" "id:4,phase:1,deny,status:429,log"
SecAction "id:5,phase:1,pass,nolog,setvar:ip.requests=+1,setvar:session.requests=+1"`,
    });
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await request(waf, trips, [['Cookie', 'sid=s2']]));
    expect(results.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(results.map((r) => r.trips)).toEqual([[1, 0, 1], [1, 0, 1], [1, 0, 0]]);
    expect(results[1]!.tx.collection('IP')!.first('requests')).toBe('2');
  });

  test('a key that depends on a record still on its way: a second round trip, as it must', async () => {
    const { store, trips } = await countingStore();
    await store.apply('IP', '192.0.2.1', [{ op: 'set', name: 'account', value: 'acct-7' }], Math.floor(Date.now() / 1000), 3600);
    const before = trips();
    const waf = createWaf({
      collectionStore: store,
      directives: `SecRuleEngine On
SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecAction "id:2,phase:1,pass,nolog,setuid:%{ip.account}"
SecRule USER:requests "@ge 100" "id:3,phase:1,deny,status:429"
SecAction "id:4,phase:1,pass,nolog,setvar:user.requests=+1"`,
    });
    expect(before).toBe(1);
    const r = await request(waf, trips);
    expect(r.trips).toEqual([2, 0, 1]);
    expect(r.tx.persistent.get('USER')?.key).toBe('acct-7');
    expect(r.tx.collection('USER')!.first('requests')).toBe('1');
  });
});
