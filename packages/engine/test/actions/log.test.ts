import { run, runAudited, ON } from './helpers';

// Reference manual: "log: Indicates that a successful match of the rule needs to be logged." It writes the
// error-log line and marks the transaction for the audit log. ModSecurity's default action list is
// "phase:2,log,auditlog,pass", so a rule without log/nolog logs.
describe('log', () => {
  test('writes one error-log line and marks the audit log', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log"`, { uri: '/?a=x' });
    expect(r.logged).toEqual([1]);
    expect(r.lines).toHaveLength(1);
    expect(r.tx.matchedRules[0]?.logLine).toBe(r.lines[0]);
    expect(r.tx.auditLogMarked).toBe(true);
  });

  test('the line has ModSecurity v3 fields in order', () => {
    const r = run(`SecRule ARGS:a "@rx x" "id:7,phase:2,pass,log,rev:1,msg:'m',logdata:'d',severity:2,ver:'v',maturity:3,accuracy:4,tag:'t'"`, { uri: '/p?a=x' });
    expect(r.lines[0]).toMatch(
      /^ModSecurity: Warning\. Matched "Operator `Rx' with parameter `x' against variable `ARGS:a' \(Value: `x' \) \[file "[^"]*"\] \[line "1"\] \[id "7"\] \[rev "1"\] \[msg "m"\] \[data "d"\] \[severity "2"\] \[ver "v"\] \[maturity "3"\] \[accuracy "4"\] \[tag "t"\] \[hostname "example.com"\] \[uri "\/p"\] \[unique_id "test-tx"\] \[ref "o0,1v9,1"\]$/,
    );
  });

  test('a rule without log or nolog logs (ModSecurity default)', () => {
    expect(run(`SecRule ARGS "@rx x" "id:1,phase:2,pass"`, { uri: '/?a=x' }).logged).toEqual([1]);
  });

  test('log overrides a nolog SecDefaultAction', () => {
    const r = run(`SecDefaultAction "phase:2,nolog,pass"\nSecRule ARGS "@rx x" "id:1,phase:2"\nSecRule ARGS "@rx x" "id:2,phase:2,log"`, { uri: '/?a=x' });
    expect(r.logged).toEqual([2]);
  });

  test('a non-matching rule logs nothing', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log"`, { uri: '/?a=y' });
    expect(r.lines).toEqual([]);
    expect(r.tx.auditLogMarked).toBe(false);
  });

  test('with SecAuditEngine RelevantOnly a logged match writes an audit record holding the message', () => {
    const { audit } = runAudited(`SecAuditEngine RelevantOnly\nSecRule ARGS "@rx x" "id:1,phase:2,pass,log,msg:'found x'"`, { uri: '/?a=x' });
    expect(audit).toMatch(/---[0-9A-Za-z]{8}---A--/);
    expect(audit).toContain('[msg "found x"]');
  });

  test('the interruption carries the line of a logged deny', () => {
    const r = run(ON + `SecRule ARGS "@rx x" "id:1,phase:2,deny,log"`, { uri: '/?a=x' });
    expect(r.interruption?.log).toBe(r.lines[0]);
  });

  test('the last of log and nolog wins', () => {
    expect(run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,nolog"`, { uri: '/?a=x' }).logged).toEqual([]);
    expect(run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,nolog,log"`, { uri: '/?a=x' }).logged).toEqual([1]);
  });
});
