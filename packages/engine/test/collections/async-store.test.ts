import { createWaf, MemoryCollectionStore, type CollectionStore, type RecordOp, type StoredRecord, type Transaction, type Waf } from '../../src';

/**
 * A store that answers later, like one across the network: it wraps the in-memory store, records every call
 * with the number of the batch it belongs to (calls made before the engine waits share a batch), and can be
 * told to fail.
 */
class SlowStore implements CollectionStore {
  readonly inner = new MemoryCollectionStore();
  readonly calls: Array<{ kind: 'read' | 'apply'; collection: string; key: string; batch: number; ops?: readonly RecordOp[] }> = [];
  failReads = false;
  failWrites = false;
  private batch = 0;
  private batchOpen = false;

  private join(): number {
    if (!this.batchOpen) {
      this.batchOpen = true;
      this.batch++;
      queueMicrotask(() => (this.batchOpen = false));
    }
    return this.batch;
  }

  read(collection: string, key: string, now: number): Promise<StoredRecord | undefined> {
    this.calls.push({ kind: 'read', collection, key, batch: this.join() });
    return new Promise((resolve, reject) =>
      setTimeout(() => (this.failReads ? reject(new Error('connection refused')) : resolve(this.inner.read(collection, key, now))), 2),
    );
  }

  apply(collection: string, key: string, ops: readonly RecordOp[], now: number, timeout: number): Promise<void> {
    this.calls.push({ kind: 'apply', collection, key, batch: this.join(), ops });
    return new Promise((resolve, reject) =>
      setTimeout(() => {
        if (this.failWrites) reject(new Error('timed out'));
        else {
          this.inner.apply(collection, key, ops, now, timeout);
          resolve();
        }
      }, 2),
    );
  }
}

const T0 = Date.parse('2026-01-01T00:00:00Z');
/** Unix seconds `at` seconds after T0, as the stores see time. */
const S = (at: number): number => T0 / 1000 + at;
const RATE_LIMIT = `SecRuleEngine On
SecAction "id:100,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR},initcol:global=global"
SecRule &IP:requests "@eq 0" "id:101,phase:1,pass,nolog,setvar:ip.requests=0,expirevar:ip.requests=60"
SecAction "id:102,phase:1,pass,nolog,setvar:ip.requests=+1,setvar:global.requests=+1"
SecRule IP:requests "@gt 10" "id:103,phase:1,deny,status:429,log"`;

function newTx(waf: Waf, at: number, ip = '192.0.2.1'): Transaction {
  const tx = waf.newTransaction({ now: new Date(T0 + at * 1000) });
  tx.processConnection(ip, 40000, '10.0.0.2', 80);
  tx.processUri('/', 'GET', 'HTTP/1.1');
  tx.addRequestHeader('Host', 'example.com');
  return tx;
}

async function request(waf: Waf, at: number, ip?: string): Promise<{ tx: Transaction; status: number }> {
  const tx = newTx(waf, at, ip);
  let it = await tx.processRequestHeadersAsync();
  if (!it) it = await tx.processRequestBodyAsync();
  await tx.processLoggingAsync();
  return { tx, status: it?.status ?? 200 };
}

describe('an asynchronous collection store', () => {
  test('counts across transactions: the 11th request of an IP is denied, another IP passes', async () => {
    const store = new SlowStore();
    const waf = createWaf({ directives: RATE_LIMIT, collectionStore: store });
    const statuses = [];
    for (let i = 0; i < 12; i++) statuses.push((await request(waf, i)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 429, 429]);
    expect((await request(waf, 12, '192.0.2.2')).status).toBe(200);
    expect(store.inner.read('IP', '192.0.2.1', S(12))?.values.requests?.value).toBe('12');
    expect(store.inner.read('GLOBAL', 'global', S(12))?.values.requests?.value).toBe('13');
  });

  test('the records one rule opens are read in one batch, and written in one batch at the end', async () => {
    const store = new SlowStore();
    const waf = createWaf({ directives: RATE_LIMIT, collectionStore: store });
    await request(waf, 0);
    expect(store.calls.map((c) => `${c.kind} ${c.collection} ${c.batch}`)).toEqual(['read IP 1', 'read GLOBAL 1', 'apply IP 2', 'apply GLOBAL 2']);
  });

  test('rules after the opening rule see the stored values; the opening rule\'s own later actions are kept', async () => {
    const store = new SlowStore();
    const rules = `SecRuleEngine On
SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR},setvar:tx.before=1,expirevar:ip.hits=100"
SecAction "id:2,phase:1,pass,nolog,setvar:ip.hits=+1"
SecAction "id:3,phase:1,pass,nolog,setvar:'tx.hits=%{ip.hits}',setvar:'tx.is_new=%{ip.is_new}'"`;
    const waf = createWaf({ directives: rules, collectionStore: store });
    const first = await request(waf, 0);
    expect(first.tx.collection('TX')!.first('hits')).toBe('1');
    expect(first.tx.collection('TX')!.first('is_new')).toBe('1');
    const second = await request(waf, 10);
    expect(second.tx.collection('TX')!.first('hits')).toBe('2');
    expect(second.tx.collection('TX')!.first('is_new')).toBe('0');
    // expirevar ran in rule 1 before the record arrived (on the first request the variable did not exist yet,
    // so ModSecurity sets no expiry; on the second it did): gone 100 s after the second request.
    expect(store.inner.read('IP', '192.0.2.1', S(109))?.values.hits?.value).toBe('2');
    expect(store.inner.read('IP', '192.0.2.1', S(110))?.values.hits).toBeUndefined();
  });

  test('deprecatevar lowers the value later rules see and the stored one, as with the in-memory store', async () => {
    const rules = `SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecAction "id:2,phase:1,pass,nolog,deprecatevar:ip.score=20/300"
SecAction "id:3,phase:1,pass,nolog,setvar:'tx.score=%{ip.score}'"`;
    const seed = `SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"\nSecAction "id:2,phase:1,pass,nolog,setvar:ip.score=100"`;
    const store = new SlowStore();
    await request(createWaf({ directives: seed, collectionStore: store }), 0);
    const later = await request(createWaf({ directives: rules, collectionStore: store }), 650);
    expect(later.tx.collection('TX')!.first('score')).toBe('60');
    expect(store.inner.read('IP', '192.0.2.1', S(650))?.values.score?.value).toBe('60');
  });

  test('an interrupting rule that opens a record waits for it before the phase ends', async () => {
    const store = new SlowStore();
    const rules = `SecRuleEngine On\nSecAction "id:1,phase:1,deny,status:403,initcol:ip=%{REMOTE_ADDR}"`;
    const waf = createWaf({ directives: rules, collectionStore: store });
    const tx = newTx(waf, 0);
    expect(await tx.processRequestHeadersAsync()).toMatchObject({ status: 403, ruleId: 1 });
    expect(tx.pendingLoads).toBeUndefined();
    expect(tx.persistent.get('IP')?.loaded).toBe(true);
  });

  test('a failed read leaves the collection closed: its rules see nothing, nothing is written, the error is listed', async () => {
    const store = new SlowStore();
    const waf = createWaf({ directives: RATE_LIMIT, collectionStore: store });
    for (let i = 0; i < 5; i++) await request(waf, i);
    store.failReads = true;
    const callsBefore = store.calls.length;
    const down = await request(waf, 5);
    expect(down.status).toBe(200);
    expect(down.tx.collection('IP')).toBeUndefined();
    expect(down.tx.collectionErrors?.map((e) => e.code)).toEqual(['collection-read-failed', 'collection-read-failed']);
    expect(down.tx.collectionErrors?.[0]?.message).toMatch(/collection IP could not be read \(connection refused\)/);
    // Rule 101 saw no IP:requests but setvar:ip.requests=0 had no open record to reset.
    expect(store.calls.slice(callsBefore).map((c) => c.kind)).toEqual(['read', 'read']);
    store.failReads = false;
    expect(store.inner.read('IP', '192.0.2.1', S(6))?.values.requests?.value).toBe('5');
    const back = await request(waf, 6);
    expect(back.tx.collection('IP')!.first('requests')).toBe('6');
    expect(back.tx.collectionErrors).toBeUndefined();
  });

  test('a failed write is listed and processLoggingAsync still resolves', async () => {
    const store = new SlowStore();
    store.failWrites = true;
    const waf = createWaf({ directives: RATE_LIMIT, collectionStore: store });
    const r = await request(waf, 0);
    expect(r.tx.collectionErrors?.map((e) => e.code)).toEqual(['collection-write-failed', 'collection-write-failed']);
    expect(store.inner.read('IP', '192.0.2.1', S(0))).toBeUndefined();
  });

  test('the synchronous phase methods refuse clearly instead of running rules without their collections', () => {
    const waf = createWaf({ directives: RATE_LIMIT, collectionStore: new SlowStore() });
    expect(() => newTx(waf, 0).processRequestHeaders()).toThrow(/collection store: use the \*Async transaction methods/);
  });

  test('a synchronous store keeps the synchronous path: no pending reads, the phase methods answer at once', () => {
    const waf = createWaf({ directives: RATE_LIMIT });
    for (let i = 0; i < 10; i++) {
      const tx = newTx(waf, i);
      expect(tx.processRequestHeaders()).toBeUndefined();
      tx.processLogging();
    }
    const tx = newTx(waf, 10);
    expect(tx.processRequestHeaders()).toMatchObject({ status: 429, ruleId: 103 });
    expect(tx.pendingLoads).toBeUndefined();
  });
});

describe('reads held until a rule needs them: one wait per phase', () => {
  /** `kind collection batch` of every store call, in order. */
  const trace = (store: SlowStore): string[] => store.calls.map((c) => `${c.kind} ${c.collection} ${c.batch}`);

  function withCookie(waf: Waf, at: number, cookie: string): Transaction {
    const tx = newTx(waf, at);
    tx.addRequestHeader('Cookie', cookie);
    return tx;
  }

  test('records opened by several rules before the first rule that uses them are read in one batch', async () => {
    const store = new SlowStore();
    const rules = `SecRuleEngine On
SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecRule REQUEST_HEADERS:Host "@rx ." "id:2,phase:1,pass,nolog,setvar:tx.host_seen=1"
SecRule REQUEST_COOKIES:sid "@rx ." "id:3,phase:1,pass,nolog,setsid:%{REQUEST_COOKIES.sid}"
SecAction "id:4,phase:1,pass,nolog,initcol:global=global"
SecAction "id:5,phase:1,pass,nolog,setvar:ip.hits=+1,setvar:session.hits=+1,setvar:global.hits=+1"
SecRule IP:hits "@gt 2" "id:6,phase:1,deny,status:429,log"`;
    const waf = createWaf({ directives: rules, collectionStore: store });
    for (let i = 0; i < 2; i++) {
      const tx = withCookie(waf, i, 'sid=abc');
      expect(await tx.processRequestHeadersAsync()).toBeUndefined();
      await tx.processLoggingAsync();
    }
    expect(trace(store).slice(0, 6)).toEqual(['read IP 1', 'read SESSION 1', 'read GLOBAL 1', 'apply IP 2', 'apply SESSION 2', 'apply GLOBAL 2']);
    const third = withCookie(waf, 2, 'sid=abc');
    expect(await third.processRequestHeadersAsync()).toMatchObject({ status: 429, ruleId: 6 });
    await third.processLoggingAsync();
    expect(third.collection('SESSION')!.first('hits')).toBe('3');
    expect(store.inner.read('GLOBAL', 'global', S(2))?.values.hits?.value).toBe('3');
  });

  test('a phase that only opens records waits for them at its end; the next phase reads them without a wait', async () => {
    const store = new SlowStore();
    const rules = `SecRuleEngine On
SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecAction "id:2,phase:1,pass,nolog,initcol:resource=%{REQUEST_FILENAME}"
SecAction "id:3,phase:2,pass,nolog,setvar:ip.n=+1,setvar:resource.n=+1"`;
    const waf = createWaf({ directives: rules, collectionStore: store });
    const tx = newTx(waf, 0);
    await tx.processRequestHeadersAsync();
    expect(tx.pendingLoads).toBeUndefined();
    expect(tx.persistent.get('RESOURCE')?.loaded).toBe(true);
    await tx.processRequestBodyAsync();
    await tx.processLoggingAsync();
    expect(trace(store)).toEqual(['read IP 1', 'read RESOURCE 1', 'apply IP 2', 'apply RESOURCE 2']);
  });

  test('a key taken from a record still on its way needs a second round trip', async () => {
    const store = new SlowStore();
    store.inner.apply('IP', '192.0.2.1', [{ op: 'set', name: 'account', value: 'acct-7' }], S(0), 3600);
    const rules = `SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecAction "id:2,phase:1,pass,nolog,setuid:%{ip.account}"
SecAction "id:3,phase:1,pass,nolog,setvar:user.n=+1"`;
    const waf = createWaf({ directives: rules, collectionStore: store });
    const { tx } = await request(waf, 1);
    expect(tx.persistent.get('USER')?.key).toBe('acct-7');
    expect(trace(store)).toEqual(['read IP 1', 'read USER 2', 'apply USER 3']);
  });

  test('a chain waits before its first rule when a later rule of the chain reads the record', async () => {
    const store = new SlowStore();
    store.inner.apply('IP', '192.0.2.1', [{ op: 'set', name: 'failed', value: '6' }], S(0), 3600);
    const rules = `SecRuleEngine On
SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecRule REQUEST_URI "@rx ^/" "id:2,phase:1,deny,status:403,log,chain"
  SecRule IP:failed "@gt 5" "t:none"`;
    const waf = createWaf({ directives: rules, collectionStore: store });
    expect((await request(waf, 1)).status).toBe(403);
  });

  test('targets added by SecRuleUpdateTargetById and macros in operator arguments and messages see the stored values', async () => {
    const store = new SlowStore();
    store.inner.apply('IP', '192.0.2.1', [{ op: 'set', name: 'limit', value: '3' }, { op: 'set', name: 'score', value: '9' }], S(0), 3600);
    const rules = `SecRuleEngine On
SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecRule TX:none "@gt 0" "id:2,phase:1,pass,nolog,setvar:tx.updated=1"
SecRuleUpdateTargetById 2 IP:score
SecRule REQUEST_HEADERS:X-Count "@gt %{ip.limit}" "id:3,phase:1,pass,log,msg:'over %{ip.limit}'"`;
    const waf = createWaf({ directives: rules, collectionStore: store });
    const tx = newTx(waf, 1);
    tx.addRequestHeader('X-Count', '4');
    await tx.processRequestHeadersAsync();
    await tx.processLoggingAsync();
    expect(tx.collection('TX')!.first('updated')).toBe('1');
    expect(tx.matchedRules.find((m) => m.id === 3)?.msg).toBe('over 3');
    expect(trace(store)).toEqual(['read IP 1']);
  });
});

describe('opens read ahead: a later rule whose key cannot change during the phase joins the first wait', () => {
  const trace = (store: SlowStore): string[] => store.calls.map((c) => `${c.kind} ${c.collection} ${c.batch}`);

  function tx(waf: Waf, at: number, headers: Array<[string, string]>): Transaction {
    const t = newTx(waf, at);
    for (const [k, v] of headers) t.addRequestHeader(k, v);
    return t;
  }

  test('initcol, a rule counting in it, then setsid on a cookie: one batch of reads, and the counts are right', async () => {
    const store = new SlowStore();
    const rules = `SecRuleEngine On
SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecAction "id:2,phase:1,pass,nolog,setvar:ip.n=+1"
SecRule REQUEST_COOKIES:sid "@rx ." "id:3,phase:1,pass,nolog,setsid:%{REQUEST_COOKIES.sid}"
SecRule SESSION:n "@ge 2" "id:4,phase:1,deny,status:429,log"
SecAction "id:5,phase:1,pass,nolog,setvar:session.n=+1"`;
    const waf = createWaf({ directives: rules, collectionStore: store });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const t = tx(waf, i, [['Cookie', 'sid=abc']]);
      statuses.push((await t.processRequestHeadersAsync())?.status ?? 200);
      await t.processLoggingAsync();
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(trace(store).slice(0, 4)).toEqual(['read IP 1', 'read SESSION 1', 'apply IP 2', 'apply SESSION 2']);
    expect(store.calls.filter((c) => c.kind === 'read').map((c) => c.batch)).toEqual([1, 1, 3, 3, 5, 5]);
    expect(store.inner.read('IP', '192.0.2.1', S(3))?.values.n?.value).toBe('3');
    expect(store.inner.read('SESSION', 'abc', S(3))?.values.n?.value).toBe('2');
  });

  test('a record read ahead is opened only if its rule runs, as v3 opens it', async () => {
    const store = new SlowStore();
    const rules = `SecRuleEngine On
SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecAction "id:2,phase:1,pass,nolog,setvar:ip.n=+1"
SecRule REQUEST_HEADERS:X-Login "@streq yes" "id:3,phase:1,pass,nolog,setuid:%{REQUEST_HEADERS.X-User}"
SecAction "id:4,phase:1,pass,nolog,setvar:user.n=+1"`;
    const waf = createWaf({ directives: rules, collectionStore: store });
    const t = tx(waf, 0, [['X-Login', 'no'], ['X-User', 'alice']]);
    await t.processRequestHeadersAsync();
    await t.processLoggingAsync();
    // USER was read with IP (the rule might have run), but not opened: nothing counted, nothing written, no USERID.
    expect(trace(store)).toEqual(['read IP 1', 'read USER 1', 'apply IP 2']);
    expect(t.persistent.has('USER')).toBe(false);
    expect(t.vars.has('USERID')).toBe(false);
  });

  test('a key set by a rule evaluated in between is not read ahead: a second round trip, with the key that rule set', async () => {
    const store = new SlowStore();
    const rules = `SecRuleEngine On
SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR},setvar:tx.sid=first"
SecAction "id:2,phase:1,pass,nolog,setvar:ip.n=+1,setvar:tx.sid=second"
SecAction "id:3,phase:1,pass,nolog,setsid:%{tx.sid}"
SecAction "id:4,phase:1,pass,nolog,setvar:session.n=+1"`;
    const waf = createWaf({ directives: rules, collectionStore: store });
    const t = tx(waf, 0, []);
    await t.processRequestHeadersAsync();
    await t.processLoggingAsync();
    expect(store.calls.map((c) => `${c.kind} ${c.collection} ${c.key} ${c.batch}`)).toEqual([
      'read IP 192.0.2.1 1',
      'read SESSION second 2',
      'apply IP 192.0.2.1 3',
      'apply SESSION second 3',
    ]);
  });

  test('a read ahead that fails closes the collection when its rule opens it, as a failed read does', async () => {
    const store = new SlowStore();
    const rules = `SecRuleEngine On
SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecAction "id:2,phase:1,pass,nolog,setvar:ip.n=+1"
SecAction "id:3,phase:1,pass,nolog,initcol:global=global"
SecAction "id:4,phase:1,pass,nolog,setvar:global.n=+1"`;
    const waf = createWaf({ directives: rules, collectionStore: store });
    store.failReads = true;
    const t = tx(waf, 0, []);
    await t.processRequestHeadersAsync();
    await t.processLoggingAsync();
    expect(trace(store)).toEqual(['read IP 1', 'read GLOBAL 1']);
    expect(t.persistent.size).toBe(0);
    expect(t.collectionErrors?.map((e) => e.message.match(/IP|GLOBAL/)?.[0])).toEqual(['IP', 'GLOBAL']);
  });
});
