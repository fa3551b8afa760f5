import { loadErrors, runTx, waf } from './helpers';

// Reference manual: "expirevar: Configures a collection variable to expire after the given time period (in
// seconds)." Example: SecRule REQUEST_COOKIES:JSESSIONID "!^$" "phase:1,id:143,nolog,pass,setsid:%{...},
// setvar:session.suspicious=1,expirevar:session.suspicious=3600". ModSecurity v2 stores an expiry time; the
// variable is removed when the record is next read after that time (it stays visible in the current transaction).
describe('expirevar', () => {
  const T0 = new Date('2026-01-01T00:00:00Z');
  const at = (s: number): Date => new Date(T0.getTime() + s * 1000);
  const cfg = `SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"\nSecRule ARGS:bad "@rx ." "id:2,phase:1,pass,nolog,setvar:ip.blocked=1,expirevar:ip.blocked=60"\nSecRule &IP:blocked "@eq 1" "id:3,phase:1,pass,log"`;

  test('the variable is there before the period ends and gone after', () => {
    const w = waf(cfg);
    const first = runTx(w, { uri: '/?bad=1' }, { now: at(0) });
    expect(first.matched).toEqual([1, 2, 3]);
    expect(runTx(w, {}, { now: at(59) }).matched).toEqual([1, 3]);
    expect(runTx(w, {}, { now: at(60) }).matched).toEqual([1]);
  });

  test('a period of 0 removes the variable at once, for the rest of the transaction too (libmodsecurity v3)', () => {
    const w = waf(cfg.replace('expirevar:ip.blocked=60', 'expirevar:ip.blocked=0'));
    expect(runTx(w, { uri: '/?bad=1' }, { now: at(0) }).matched).toEqual([1, 2]);
    expect(runTx(w, {}, { now: at(0) }).matched).toEqual([1]);
  });

  test('setting the variable again with a new expiry extends it', () => {
    const w = waf(cfg);
    runTx(w, { uri: '/?bad=1' }, { now: at(0) });
    runTx(w, { uri: '/?bad=1' }, { now: at(50) });
    expect(runTx(w, {}, { now: at(100) }).matched).toEqual([1, 3]);
    expect(runTx(w, {}, { now: at(111) }).matched).toEqual([1]);
  });

  test('the period expands macros', () => {
    const w = waf(`SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"\nSecRule ARGS:ttl "@rx ^\\d+$" "id:2,phase:1,pass,nolog,setvar:tx.ttl=%{MATCHED_VAR},setvar:ip.x=1,expirevar:'ip.x=%{tx.ttl}'"`);
    runTx(w, { uri: '/?ttl=30' }, { now: at(0) });
    expect(runTx(w, {}, { now: at(29) }).tx.collection('IP')!.first('x')).toBe('1');
    expect(runTx(w, {}, { now: at(30) }).tx.collection('IP')!.first('x')).toBeUndefined();
  });

  test('other variables of the record are kept', () => {
    const w = waf(`SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"\nSecRule ARGS:set "@rx ." "id:2,phase:1,pass,nolog,setvar:ip.a=1,setvar:ip.b=2,expirevar:ip.a=10"`);
    runTx(w, { uri: '/?set=1' }, { now: at(0) });
    const ip = runTx(w, {}, { now: at(20) }).tx.collection('IP')!;
    expect(ip.first('a')).toBeUndefined();
    expect(ip.first('b')).toBe('2');
  });

  test('expirevar on a collection that no initcol opened does nothing', () => {
    const r = runTx(waf(`SecAction "id:1,phase:1,pass,nolog,expirevar:ip.x=10"`), {}, { now: at(0) });
    expect(r.matched).toEqual([1]);
  });

  test('a name without collection is a load error', () => {
    expect(loadErrors(`SecAction "id:1,phase:1,pass,expirevar:x=10"`).join('\n')).toMatch(/expirevar needs collection.variable/);
  });

  // ModSecurity keeps a variable's expiry when the variable is set again — v2 stores it as a separate
  // __expire_<name> variable, v3's collections change only the value (updateFirst / setValue).
  test('setting the variable again without expirevar keeps its expiry', () => {
    const w = waf(`SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"\nSecRule ARGS:v "@rx ." "id:2,phase:1,pass,nolog,setvar:ip.blocked=%{MATCHED_VAR}"\nSecRule ARGS:ttl "@rx ." "id:3,phase:1,pass,nolog,expirevar:ip.blocked=60"`);
    runTx(w, { uri: '/?v=1&ttl=1' }, { now: at(0) });
    runTx(w, { uri: '/?v=2' }, { now: at(30) });
    expect(runTx(w, {}, { now: at(31) }).tx.collection('IP')!.first('blocked')).toBe('2');
    expect(runTx(w, {}, { now: at(61) }).tx.collection('IP')!.first('blocked')).toBeUndefined();
  });
});
