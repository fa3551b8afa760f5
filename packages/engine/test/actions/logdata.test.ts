import { run } from './helpers';

// Reference manual: "logdata: Logs a data fragment as part of the alert message. The logdata information appears in
// the error and/or audit log files. Macro expansion is performed ... The information appended is limited to 512
// bytes" (v2); ModSecurity v3's RuleMessage cuts [data] at 200 characters followed by "...".
describe('logdata', () => {
  test('is expanded, recorded and logged as [data]', () => {
    const r = run(`SecRule ARGS "@rx (\\d+)" "id:1,phase:2,pass,log,capture,logdata:'Matched Data: %{TX.0} found within %{MATCHED_VAR_NAME}: %{MATCHED_VAR}'"`, { uri: '/?id=a123b' });
    expect(r.tx.matchedRules[0]?.data).toBe('Matched Data: 123 found within ARGS:id: a123b');
    expect(r.lines[0]).toContain('[data "Matched Data: 123 found within ARGS:id: a123b"]');
  });

  test('a rule without logdata logs [data ""]', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.data).toBe('');
    expect(r.lines[0]).toContain('[data ""]');
  });

  test('the log line cuts [data] at 200 characters with "..."; the match keeps it whole', () => {
    const long = 'x'.repeat(300);
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,logdata:'%{MATCHED_VAR}'"`, { uri: `/?a=${long}` });
    expect(r.tx.matchedRules[0]?.data).toBe(long);
    expect(r.lines[0]).toContain(`[data "${'x'.repeat(200)}..."]`);
  });

  test('logdata is expanded at the time the chain matched (the last matched value)', () => {
    const r = run(`SecRule ARGS:a "@rx x" "id:1,phase:2,pass,log,logdata:'%{MATCHED_VAR}',chain"\nSecRule ARGS:b "@rx y"`, { uri: '/?a=x1&b=y2' });
    expect(r.tx.matchedRules[0]?.data).toBe('y2');
  });
});
