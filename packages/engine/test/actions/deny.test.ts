import { run, ON } from './helpers';

// Reference manual: "deny: Stops rule processing and intercepts transaction." ModSecurity v3 answers 403 unless
// `status` says otherwise; in DetectionOnly the match is only logged ("Warning.").
describe('deny', () => {
  test('interrupts with 403 and the rule id; later rules and phases do not run', () => {
    const r = run(ON + `SecRule ARGS:a "@streq x" "id:1,phase:1,deny"\nSecAction "id:2,phase:1,pass,log"\nSecAction "id:3,phase:2,pass,log"`, { uri: '/?a=x' });
    expect(r.interruption).toMatchObject({ status: 403, ruleId: 1, action: 'deny' });
    expect(r.matched).toEqual([1]);
    expect(r.tx.matchedRules[0]?.disruptive).toBe(true);
  });

  // v3 names the operator StrEq (Operator::m_op), not Streq.
  test('the log line says "Access denied with code 403 (phase N)" and the interruption carries it', () => {
    const r = run(ON + `SecRule ARGS:a "@streq x" "id:1,phase:2,deny,log,msg:'no'"`, { uri: '/?a=x' });
    expect(r.lines[0]).toMatch(/^ModSecurity: Access denied with code 403 \(phase 2\)\. Matched "Operator `StrEq' with parameter `x' against variable `ARGS:a' \(Value: `x' \)/);
    expect(r.interruption?.log).toBe(r.lines[0]);
  });

  test('deny,nolog interrupts without an error-log line', () => {
    const r = run(ON + `SecRule ARGS:a "@streq x" "id:1,phase:2,deny,nolog"`, { uri: '/?a=x' });
    expect(r.interruption?.status).toBe(403);
    expect(r.lines).toEqual([]);
    expect(r.interruption?.log).toBeUndefined();
  });

  test('under DetectionOnly it logs a warning and does not interrupt', () => {
    const r = run(`SecRuleEngine DetectionOnly\nSecRule ARGS:a "@streq x" "id:1,phase:1,deny,log"\nSecAction "id:2,phase:2,pass,log"`, { uri: '/?a=x' });
    expect(r.interruption).toBeUndefined();
    expect(r.logged).toEqual([1, 2]);
    expect(r.lines[0]).toMatch(/^ModSecurity: Warning\. /);
    expect(r.tx.matchedRules[0]?.disruptive).toBe(false);
  });

  test('with SecRuleEngine Off no rule runs', () => {
    expect(run(`SecRuleEngine Off\nSecRule ARGS:a "@streq x" "id:1,phase:1,deny"`, { uri: '/?a=x' }).matched).toEqual([]);
  });

  test('a deny in phase 3 interrupts the response', () => {
    const r = run(ON + `SecRule RESPONSE_STATUS "@streq 500" "id:1,phase:3,deny,status:502"`, { response: { status: 500 } });
    expect(r.interruption).toMatchObject({ status: 502, ruleId: 1 });
  });

  test('phase 5 rules still run after a deny', () => {
    const r = run(ON + `SecRule ARGS "@rx ." "id:1,phase:1,deny"\nSecAction "id:2,phase:5,pass,log"`, { uri: '/?a=1' });
    expect(r.matched).toEqual([1, 2]);
  });
});
