import { runTx, waf } from './helpers';

// Reference manual: "setuid: Special-purpose action that initializes the USER collection using the username
// provided as parameter." Example: SecRule ARGS:username ".*" "phase:2,id:137,t:none,pass,nolog,
// setuid:%{TX.0}" (with capture). It also sets USERID.
describe('setuid', () => {
  const T0 = new Date('2026-01-01T00:00:00Z');
  const cfg = `SecRule ARGS:username "@rx .+" "id:1,phase:2,t:none,pass,nolog,capture,setuid:%{TX.0}"\nSecRule &USER:KEY "@eq 1" "id:3,phase:2,pass,nolog,setvar:user.logins=+1"\nSecRule USERID "@streq admin" "id:2,phase:2,pass,log,msg:'logins %{user.logins}'"`;

  test('sets USERID and opens the USER record', () => {
    const w = waf(cfg);
    const r1 = runTx(w, { uri: '/?username=admin' }, { now: T0 });
    expect(r1.tx.vars.get('USERID')).toBe('admin');
    expect(r1.tx.collection('USER')!.first('KEY')).toBe('admin');
    expect(r1.tx.matchedRules.find((m) => m.id === 2)?.msg).toBe('logins 1');
    const r2 = runTx(w, { uri: '/?username=admin' }, { now: new Date(T0.getTime() + 5000) });
    expect(r2.tx.matchedRules.find((m) => m.id === 2)?.msg).toBe('logins 2');
  });

  test('users have separate records', () => {
    const w = waf(cfg);
    runTx(w, { uri: '/?username=admin' }, { now: T0 });
    const r = runTx(w, { uri: '/?username=guest' }, { now: T0 });
    expect(r.tx.vars.get('USERID')).toBe('guest');
    expect(r.tx.collection('USER')!.first('logins')).toBe('1');
    expect(r.matched).toEqual([1, 3]);
  });

  test('does nothing when the rule does not match', () => {
    const r = runTx(waf(cfg), { uri: '/' }, { now: T0 });
    expect(r.tx.vars.get('USERID')).toBeUndefined();
    expect(r.tx.collection('USER')).toBeUndefined();
  });
});
