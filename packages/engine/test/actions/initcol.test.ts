import { loadErrors, runTx, waf } from './helpers';

// Reference manual: "initcol: Initializes a named persistent collection, either by loading data from storage or by
// creating a new collection in memory." Example: initcol:ip=%{REMOTE_ADDR}. Built-in fields: KEY, IS_NEW,
// CREATE_TIME, LAST_UPDATE_TIME, TIMEOUT, UPDATE_COUNTER. Records older than SecCollectionTimeout (default 3600 s)
// since their last update are gone.
describe('initcol', () => {
  const T0 = new Date('2026-01-01T00:00:00Z');
  const at = (s: number): Date => new Date(T0.getTime() + s * 1000);
  // The collection is opened when rule 1 has matched; setvar of the same rule runs as each value matches (before),
  // so the writes go in the next rule, as the reference manual's examples do.
  const counter = `SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"\nSecAction "id:4,phase:1,pass,nolog,setvar:ip.hits=+1"\nSecAction "id:2,phase:1,pass,nolog,setvar:'tx.hits=%{ip.hits}',setvar:'tx.is_new=%{ip.is_new}',setvar:'tx.key=%{ip.key}'"`;
  const tx = (t: ReturnType<typeof runTx>, name: string): string | undefined => t.tx.collection('TX')!.first(name);

  test('values persist across transactions of the same key', () => {
    const w = waf(counter);
    const r1 = runTx(w, {}, { now: at(0) });
    expect(tx(r1, 'hits')).toBe('1');
    expect(tx(r1, 'is_new')).toBe('1');
    expect(tx(r1, 'key')).toBe('10.0.0.1');
    const r2 = runTx(w, {}, { now: at(10) });
    expect(tx(r2, 'hits')).toBe('2');
    expect(tx(r2, 'is_new')).toBe('0');
    expect(tx(runTx(w, {}, { now: at(20) }), 'hits')).toBe('3');
  });

  test('each key has its own record', () => {
    const w = waf(counter);
    runTx(w, {}, { now: at(0), clientIp: '192.0.2.1' });
    runTx(w, {}, { now: at(1), clientIp: '192.0.2.1' });
    expect(tx(runTx(w, {}, { now: at(2), clientIp: '192.0.2.2' }), 'hits')).toBe('1');
    expect(tx(runTx(w, {}, { now: at(3), clientIp: '192.0.2.1' }), 'hits')).toBe('3');
  });

  test('the IP collection is readable as a rule target (the DoS-protection pattern)', () => {
    const cfg = `SecRuleEngine On\nSecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"\nSecRule IP:blocked "@eq 1" "id:2,phase:1,deny,status:429"\nSecRule ARGS:attack "@rx ." "id:3,phase:1,pass,nolog,setvar:ip.blocked=1"`;
    const w = waf(cfg);
    expect(runTx(w, { uri: '/?attack=1' }, { now: at(0) }).interruption).toBeUndefined();
    expect(runTx(w, { uri: '/' }, { now: at(5) }).interruption).toMatchObject({ ruleId: 2, status: 429 });
    expect(runTx(w, { uri: '/' }, { now: at(6), clientIp: '10.9.9.9' }).interruption).toBeUndefined();
  });

  test('built-in fields: CREATE_TIME, LAST_UPDATE_TIME, TIMEOUT, UPDATE_COUNTER', () => {
    const cfg = `SecAction "id:1,phase:1,pass,nolog,initcol:global=global"\nSecAction "id:2,phase:1,pass,nolog,setvar:global.x=+1"`;
    const w = waf(cfg);
    runTx(w, {}, { now: at(0) });
    const r = runTx(w, {}, { now: at(30) });
    const g = r.tx.collection('GLOBAL')!;
    expect(g.first('CREATE_TIME')).toBe(String(T0.getTime() / 1000));
    expect(g.first('LAST_UPDATE_TIME')).toBe(String(T0.getTime() / 1000));
    expect(g.first('TIMEOUT')).toBe('3600');
    expect(g.first('UPDATE_COUNTER')).toBe('1');
    expect(g.first('KEY')).toBe('global');
    expect(g.first('x')).toBe('2');
  });

  test('a record not updated for SecCollectionTimeout seconds is gone', () => {
    const w = waf(`SecCollectionTimeout 600\n` + counter);
    runTx(w, {}, { now: at(0) });
    expect(tx(runTx(w, {}, { now: at(599) }), 'hits')).toBe('2');
    const late = runTx(w, {}, { now: at(599 + 600) });
    expect(tx(late, 'hits')).toBe('1');
    expect(tx(late, 'is_new')).toBe('1');
  });

  test('the key expands macros and is taken when the rule matches only', () => {
    const cfg = `SecRule ARGS:user "@rx ." "id:1,phase:1,pass,nolog,initcol:user=%{ARGS.user}"\nSecAction "id:3,phase:1,pass,nolog,setvar:user.n=+1"\nSecAction "id:2,phase:1,pass,nolog,setvar:'tx.n=%{user.n}'"`;
    const w = waf(cfg);
    runTx(w, { uri: '/?user=alice' }, { now: at(0) });
    expect(tx(runTx(w, { uri: '/?user=alice' }, { now: at(1) }), 'n')).toBe('2');
    expect(tx(runTx(w, { uri: '/?user=bob' }, { now: at(2) }), 'n')).toBe('1');
    const none = runTx(w, { uri: '/' }, { now: at(3) });
    expect(none.tx.collection('USER')).toBeUndefined();
  });

  test('the collection name is case-insensitive', () => {
    const w = waf(`SecAction "id:1,phase:1,pass,nolog,initcol:IP=%{REMOTE_ADDR}"\nSecAction "id:2,phase:1,pass,nolog,setvar:Ip.n=+1"`);
    runTx(w, {}, { now: at(0) });
    expect(runTx(w, {}, { now: at(1) }).tx.collection('IP')!.first('n')).toBe('2');
  });

  test('a second initcol of the same collection in a transaction is ignored', () => {
    const w = waf(`SecAction "id:1,phase:1,pass,nolog,initcol:ip=a"\nSecAction "id:2,phase:1,pass,nolog,setvar:ip.n=+1"\nSecAction "id:3,phase:1,pass,nolog,initcol:ip=b"\nSecAction "id:4,phase:1,pass,nolog,setvar:ip.n=+1"`);
    const r = runTx(w, {}, { now: at(0) });
    expect(r.tx.collection('IP')!.first('KEY')).toBe('a');
    expect(r.tx.collection('IP')!.first('n')).toBe('2');
  });

  test('bad collection names and a missing key are load errors', () => {
    expect(loadErrors(`SecAction "id:1,phase:1,pass,initcol:tx=1"`).join('\n')).toMatch(/initcol opens IP, SESSION, USER, GLOBAL or RESOURCE/);
    expect(loadErrors(`SecAction "id:1,phase:1,pass,initcol:foo=1"`).join('\n')).toMatch(/initcol opens/);
    expect(loadErrors(`SecAction "id:1,phase:1,pass,initcol:ip"`).join('\n')).toMatch(/initcol needs collection=key/);
  });

  test('the CRS 901321 form: two collections in one action list, keys from macros', () => {
    const cfg = `SecAction "id:1,phase:1,pass,nolog,setvar:tx.ua_hash=abc"\nSecAction "id:901321,phase:1,pass,nolog,initcol:global=global,initcol:ip=%{remote_addr}_%{tx.ua_hash}"`;
    const r = runTx(waf(cfg), {}, { now: at(0) });
    expect(r.tx.collection('GLOBAL')!.first('KEY')).toBe('global');
    expect(r.tx.collection('IP')!.first('KEY')).toBe('10.0.0.1_abc');
  });

  // ModSecurity v3 runs setvar as each value matches (executeActionsIndependentOfChainedRuleResult) and initcol
  // after the full match (executeActionsAfterFullMatch), so a setvar on the collection in the initcol's own rule
  // comes too early. (ModSecurity v2 ran the actions in the order written.)
  test('a setvar in the same rule as the initcol runs before the collection is open (ModSecurity v3 order)', () => {
    const w = waf(`SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR},setvar:ip.n=+1"\nSecAction "id:2,phase:1,pass,nolog,setvar:ip.m=+1"`);
    runTx(w, {}, { now: at(0) });
    const ip = runTx(w, {}, { now: at(1) }).tx.collection('IP')!;
    expect(ip.first('n')).toBeUndefined();
    expect(ip.first('m')).toBe('2');
  });
});
