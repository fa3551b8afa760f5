import { run, runAudited, ON } from './helpers';

// Reference manual: "nolog: Prevents rule matches from appearing in both the error and audit logs. ... Although
// nolog implies noauditlog, you can override the former by using nolog,auditlog."
describe('nolog', () => {
  test('the match is recorded but neither logged nor marked for the audit log', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,nolog"`, { uri: '/?a=x' });
    expect(r.matched).toEqual([1]);
    expect(r.logged).toEqual([]);
    expect(r.lines).toEqual([]);
    expect(r.tx.matchedRules[0]?.logLine).toBeUndefined();
    expect(r.tx.auditLogMarked).toBe(false);
  });

  test('nolog,auditlog marks the audit log without an error-log line', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,nolog,auditlog"`, { uri: '/?a=x' });
    expect(r.lines).toEqual([]);
    expect(r.tx.auditLogMarked).toBe(true);
  });

  test('a nolog SecDefaultAction is inherited', () => {
    expect(run(`SecDefaultAction "phase:2,nolog,pass"\nSecRule ARGS "@rx x" "id:1,phase:2"`, { uri: '/?a=x' }).logged).toEqual([]);
  });

  test('a nolog deny still interrupts', () => {
    const r = run(ON + `SecRule ARGS "@rx x" "id:1,phase:2,deny,nolog"`, { uri: '/?a=x' });
    expect(r.interruption?.ruleId).toBe(1);
    expect(r.lines).toEqual([]);
  });

  // ModSecurity v2 (re.c) and v3 (Severity::evaluate) track the highest severity apart from logging.
  test('a nolog match still counts for HIGHEST_SEVERITY', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,nolog,severity:2"\nSecRule HIGHEST_SEVERITY "@eq 2" "id:2,phase:2,pass,log"`, { uri: '/?a=x' });
    expect(r.tx.vars.get('HIGHEST_SEVERITY')).toBe('2');
    expect(r.logged).toEqual([2]);
  });

  test('with SecAuditEngine RelevantOnly a nolog match writes no audit record', () => {
    expect(runAudited(`SecAuditEngine RelevantOnly\nSecRule ARGS "@rx x" "id:1,phase:2,pass,nolog"`, { uri: '/?a=x' }).audit).toBe('');
  });
});
