import { run, txVar } from './helpers';

// Reference manual: "multiMatch: If enabled, ModSecurity will perform multiple operator invocations for every
// target, before and after every anti-evasion transformation is performed." Normally the operator runs once, on
// the fully transformed value.
describe('multiMatch', () => {
  test('the operator also sees the value before the transformations', () => {
    const without = `SecRule ARGS "@streq ATTACK" "id:1,phase:2,pass,log,t:lowercase"`;
    const withMm = `SecRule ARGS "@streq ATTACK" "id:1,phase:2,pass,log,t:lowercase,multiMatch"`;
    expect(run(without, { uri: '/?q=ATTACK' }).logged).toEqual([]);
    expect(run(withMm, { uri: '/?q=ATTACK' }).logged).toEqual([1]);
  });

  test('the operator sees every intermediate value', () => {
    // "%2541" -> urlDecode "%41" -> urlDecode "A" -> lowercase "a": "%41" exists only in the middle.
    const cfg = (mm: string): string => `SecRule ARGS "@streq %41" "id:1,phase:2,pass,log,t:urlDecode,t:urlDecode,t:lowercase${mm}"`;
    expect(run(cfg(',multiMatch'), { uri: '/?q=%252541' }).logged).toEqual([1]);
    expect(run(cfg(''), { uri: '/?q=%252541' }).logged).toEqual([]);
  });

  test('each matching stage is a match: setvar runs per matched stage', () => {
    const cfg = `SecRule ARGS "@rx a" "id:1,phase:2,pass,nolog,t:lowercase,t:removeWhitespace,multiMatch,setvar:tx.n=+1,setvar:'tx.v_%{tx.n}=%{MATCHED_VAR}'"`;
    const r = run(cfg, { uri: '/?q=A+a' });
    // Stages: "A a" (matches), "a a" (matches), "aa" (matches).
    expect(txVar(r.tx, 'n')).toBe('3');
    expect([txVar(r.tx, 'v_1'), txVar(r.tx, 'v_2'), txVar(r.tx, 'v_3')]).toEqual(['A a', 'a a', 'aa']);
  });

  test('a transformation that changes nothing adds no stage', () => {
    const r = run(`SecRule ARGS "@rx ." "id:1,phase:2,pass,nolog,t:lowercase,t:trim,multiMatch,setvar:tx.n=+1"`, { uri: '/?q=abc' });
    expect(txVar(r.tx, 'n')).toBe('1');
  });

  test('without transformations multiMatch changes nothing', () => {
    const r = run(`SecRule ARGS "@rx ." "id:1,phase:2,pass,nolog,multiMatch,setvar:tx.n=+1"`, { uri: '/?q=abc' });
    expect(txVar(r.tx, 'n')).toBe('1');
  });

  test('a rule without multiMatch sharing the transformation chain still sees only the final value', () => {
    const cfg = `SecRule ARGS "@streq ABC" "id:1,phase:2,pass,log,t:lowercase,multiMatch"\nSecRule ARGS "@streq ABC" "id:2,phase:2,pass,log,t:lowercase"\nSecRule ARGS "@streq abc" "id:3,phase:2,pass,log,t:lowercase"`;
    expect(run(cfg, { uri: '/?q=ABC' }).logged).toEqual([1, 3]);
    const reversed = `SecRule ARGS "@streq ABC" "id:2,phase:2,pass,log,t:lowercase"\nSecRule ARGS "@streq ABC" "id:1,phase:2,pass,log,t:lowercase,multiMatch"`;
    expect(run(reversed, { uri: '/?q=ABC' }).logged).toEqual([1]);
  });

  test('with capture, TX:0 holds the match of the last matching stage', () => {
    const r = run(`SecRule ARGS "@rx [a-z]+" "id:1,phase:2,pass,nolog,capture,t:lowercase,multiMatch"`, { uri: '/?q=ABc' });
    expect(txVar(r.tx, '0')).toBe('abc');
  });
});
