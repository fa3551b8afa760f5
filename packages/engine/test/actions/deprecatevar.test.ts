import { loadErrors, runTx, waf } from './helpers';

// Reference manual: "deprecatevar: Decrements numerical value over time, which makes sense only applied to the
// variables stored in persistent storage." Example: deprecatevar:session.score=60/3600 (lower by 60 every 3600 s).
// ModSecurity v2 (msre_action_deprecatevar_execute): new = current - N * floor(seconds since LAST_UPDATE_TIME / S),
// never below 0, written into the collection at once (so later rules of the same transaction see it) and persisted.
describe('deprecatevar', () => {
  const T0 = new Date('2026-01-01T00:00:00Z');
  const at = (s: number): Date => new Date(T0.getTime() + s * 1000);
  const setup = `SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"\nSecRule ARGS:score "@rx ^\\d+$" "id:2,phase:1,pass,nolog,setvar:ip.score=%{MATCHED_VAR}"\n`;
  const cfg = setup + `SecRule ARGS:score "@eq -1" "id:3,phase:1,pass,nolog"\nSecRule &ARGS:score "@eq 0" "id:4,phase:5,pass,nolog,deprecatevar:ip.score=10/60"`;
  const score = (w: ReturnType<typeof waf>, s: number): string | undefined => runTx(w, {}, { now: at(s) }).tx.collection('IP')!.first('score');

  test('lowers the stored value by N for every full period since the last update', () => {
    const w = waf(cfg);
    runTx(w, { uri: '/?score=100' }, { now: at(0) });
    // Read at 150 s: 2 full periods -> 80 (this transaction persists the deprecation).
    runTx(w, {}, { now: at(150) });
    expect(score(w, 151)).toBe('80');
  });

  test('less than one period since the last update changes nothing', () => {
    const w = waf(cfg);
    runTx(w, { uri: '/?score=100' }, { now: at(0) });
    runTx(w, {}, { now: at(59) });
    expect(score(w, 60)).toBe('100');
  });

  test('never goes below 0', () => {
    const w = waf(cfg);
    runTx(w, { uri: '/?score=15' }, { now: at(0) });
    runTx(w, {}, { now: at(200) });
    expect(score(w, 201)).toBe('0');
  });

  test('later rules of the same transaction see the lowered value', () => {
    const w = waf(setup + `SecAction "id:5,phase:2,pass,nolog,deprecatevar:ip.score=10/60"\nSecRule IP:score "@eq 70" "id:6,phase:2,pass,log"`);
    runTx(w, { uri: '/?score=100' }, { now: at(0) });
    const r = runTx(w, {}, { now: at(180) });
    expect(r.tx.collection('IP')!.first('score')).toBe('70');
    expect(r.matched).toContain(6);
  });

  test('a variable that does not exist stays absent', () => {
    const w = waf(setup + `SecAction "id:5,phase:2,pass,nolog,setvar:ip.other=1"\nSecAction "id:6,phase:2,pass,nolog,deprecatevar:ip.missing=10/60"`);
    runTx(w, {}, { now: at(0) });
    expect(runTx(w, {}, { now: at(600) }).tx.collection('IP')!.first('missing')).toBeUndefined();
  });

  test('bad values are load errors', () => {
    expect(loadErrors(`SecAction "id:1,phase:1,pass,deprecatevar:ip.score=10"`).join('\n')).toMatch(/deprecatevar needs collection.variable=N\/SECONDS/);
    expect(loadErrors(`SecAction "id:1,phase:1,pass,deprecatevar:ip.score=10/0"`).join('\n')).toMatch(/at least 1 second/);
    expect(loadErrors(`SecAction "id:1,phase:1,pass,deprecatevar:score=10/60"`).join('\n')).toMatch(/collection.variable/);
  });
});
