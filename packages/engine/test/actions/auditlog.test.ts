import { run, runAudited } from './helpers';

// Reference manual: "auditlog: Marks the transaction for logging in the audit log." With SecAuditEngine
// RelevantOnly only marked (or status-relevant) transactions are written.
describe('auditlog', () => {
  test('marks the transaction', () => {
    expect(run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,nolog,auditlog"`, { uri: '/?a=x' }).tx.auditLogMarked).toBe(true);
  });

  test('a non-matching rule does not mark', () => {
    expect(run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,auditlog"`, { uri: '/?a=y' }).tx.auditLogMarked).toBe(false);
  });

  test('with RelevantOnly the marked transaction is written, an unmarked one is not', () => {
    const cfg = `SecAuditEngine RelevantOnly\nSecRule ARGS "@rx x" "id:1,phase:2,pass,nolog,auditlog"`;
    expect(runAudited(cfg, { uri: '/?a=x' }).audit).toMatch(/---[0-9A-Za-z]{8}---A--/);
    expect(runAudited(cfg, { uri: '/?a=y' }).audit).toBe('');
  });

  test('auditlog after noauditlog wins (the last one counts)', () => {
    expect(run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,noauditlog,auditlog"`, { uri: '/?a=x' }).tx.auditLogMarked).toBe(true);
  });

  test('the default (no log actions) marks the transaction', () => {
    expect(run(`SecRule ARGS "@rx x" "id:1,phase:2,pass"`, { uri: '/?a=x' }).tx.auditLogMarked).toBe(true);
  });
});
