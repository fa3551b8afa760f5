import { run, runAudited } from './helpers';

// Reference manual: "noauditlog: Indicates that a successful match of the rule should not be used as criteria to
// determine whether the transaction should be logged to the audit log. ... If you want to prevent a rule from
// being logged to the audit log ... use noauditlog" — the error-log line is still written with log.
describe('noauditlog', () => {
  test('log,noauditlog writes the error-log line but does not mark the audit log', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,noauditlog"`, { uri: '/?a=x' });
    expect(r.logged).toEqual([1]);
    expect(r.tx.auditLogMarked).toBe(false);
  });

  test('with RelevantOnly a noauditlog match alone writes no record', () => {
    expect(runAudited(`SecAuditEngine RelevantOnly\nSecRule ARGS "@rx x" "id:1,phase:2,pass,log,noauditlog"`, { uri: '/?a=x' }).audit).toBe('');
  });

  test('another rule with auditlog still marks the transaction', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,noauditlog"\nSecRule ARGS "@rx x" "id:2,phase:2,pass,nolog,auditlog"`, { uri: '/?a=x' });
    expect(r.tx.auditLogMarked).toBe(true);
  });

  test('with SecAuditEngine On the record is written anyway', () => {
    expect(runAudited(`SecAuditEngine On\nSecRule ARGS "@rx x" "id:1,phase:2,pass,log,noauditlog"`, { uri: '/?a=x' }).audit).toMatch(/---[0-9A-Za-z]{8}---A--/);
  });
});
