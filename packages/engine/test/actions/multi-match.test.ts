import { ON, run, runTx, txVar, waf } from './helpers';

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

  // libmodsecurity v3 (RuleWithActions::performLogging): a multiMatch rule writes one message per matching value
  // and stage, each with that match's msg/logdata expansion and match reference.
  test('each match of a multiMatch rule that logs is its own message, with its own data and reference', () => {
    const cfg = `SecRule ARGS "@rx a" "id:1,phase:2,pass,log,t:lowercase,multiMatch,msg:'m %{MATCHED_VAR_NAME}',logdata:'%{MATCHED_VAR}'"`;
    const r = runTx(waf(cfg), { uri: '/?p=A&q=xa' });
    // p: "A" matches only after t:lowercase; q: "xa" matches as it is (t:lowercase changes nothing).
    expect(r.tx.matchedRules.map((m) => [m.id, m.msg, m.data, m.matchedVarName, m.reference])).toEqual([
      [1, 'm ARGS:p', 'a', 'ARGS:p', 'o0,1v8,1t:lowercase'],
      [1, 'm ARGS:q', 'xa', 'ARGS:q', 'o1,1v12,2'],
    ]);
    expect(r.tx.matchedRules.map((m) => m.logLine!.startsWith('ModSecurity: Warning.'))).toEqual([true, true]);
  });

  test('an interrupting multiMatch rule: the last message carries the interruption', () => {
    const cfg = `${ON}SecRule ARGS "@rx a" "id:1,phase:2,deny,status:403,log,t:lowercase,multiMatch"`;
    const r = runTx(waf(cfg), { uri: '/?p=A&q=xa' });
    expect(r.interruption?.status).toBe(403);
    expect(r.tx.matchedRules.map((m) => m.disruptive)).toEqual([false, true]);
    expect(r.tx.matchedRules[1]!.logLine).toMatch(/^ModSecurity: Access denied with code 403 \(phase 2\)\. .*\[ref "o1,1v12,2"\]/);
  });

  test('a multiMatch rule that does not log keeps one record per matched chain', () => {
    const r = runTx(waf(`SecRule ARGS "@rx a" "id:1,phase:2,pass,nolog,t:lowercase,multiMatch"`), { uri: '/?p=A&q=xa' });
    expect(r.tx.matchedRules.map((m) => m.id)).toEqual([1]);
  });

  test('the messages of a multiMatch chain are written only when the whole chain matched', () => {
    const chain = (second: string): string => `SecRule ARGS "@rx a" "id:1,phase:2,pass,log,t:lowercase,multiMatch,chain"\nSecRule REQUEST_METHOD "@streq ${second}"`;
    expect(runTx(waf(chain('POST')), { uri: '/?p=A&q=xa' }).tx.matchedRules).toEqual([]);
    expect(runTx(waf(chain('GET')), { uri: '/?p=A&q=xa' }).tx.matchedRules.map((m) => m.matchedVarName)).toEqual(['ARGS:p', 'ARGS:q']);
  });
});
