import { loadErrors, run } from './helpers';

// Reference manual: "severity: Assigns severity to the rule in which it is used. ... 0 - EMERGENCY, 1 - ALERT,
// 2 - CRITICAL, 3 - ERROR, 4 - WARNING, 5 - NOTICE, 6 - INFO, 7 - DEBUG". Names and numbers are both accepted;
// logs show the number. HIGHEST_SEVERITY holds the lowest number seen in logged matches (255 when none).
describe('severity', () => {
  test.each([
    ['EMERGENCY', 0], ['ALERT', 1], ['CRITICAL', 2], ['ERROR', 3], ['WARNING', 4], ['NOTICE', 5], ['INFO', 6], ['DEBUG', 7],
    ['critical', 2], ['5', 5], ['0', 0],
  ])("severity:'%s' is %d", (name, n) => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,severity:'${name}'"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.severity).toBe(n);
    expect(r.lines[0]).toContain(`[severity "${n}"]`);
  });

  test('HIGHEST_SEVERITY is the most severe of the logged matches', () => {
    const cfg = `SecRule ARGS "@rx x" "id:1,phase:1,pass,log,severity:'WARNING'"\nSecRule ARGS "@rx x" "id:2,phase:1,pass,log,severity:'CRITICAL'"\nSecRule ARGS "@rx x" "id:3,phase:1,pass,log,severity:'NOTICE'"\nSecRule HIGHEST_SEVERITY "@eq 2" "id:4,phase:2,pass,log"`;
    const r = run(cfg, { uri: '/?a=x' });
    expect(r.tx.vars.get('HIGHEST_SEVERITY')).toBe('2');
    expect(r.logged).toEqual([1, 2, 3, 4]);
  });

  test('a chain that does not match leaves HIGHEST_SEVERITY alone', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:1,pass,log,severity:'ALERT',chain"\nSecRule ARGS "@rx nomatch"`, { uri: '/?a=x' });
    expect(r.tx.vars.get('HIGHEST_SEVERITY')).toBe('255');
  });

  test('HIGHEST_SEVERITY stays 255 when nothing with a severity matched', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:1,pass,log"`, { uri: '/?a=x' });
    expect(r.tx.vars.get('HIGHEST_SEVERITY')).toBe('255');
  });

  test('%{RULE.severity} expands to the number', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,severity:'ERROR',msg:'s=%{RULE.severity}'"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.msg).toBe('s=3');
  });

  test.each(['HUGE', '8', '-1', 'CRIT'])("severity:'%s' is a load error", (v) => {
    expect(loadErrors(`SecAction "id:1,phase:1,pass,severity:'${v}'"`).join('\n')).toMatch(/severity must be 0-7 or one of/);
  });

  test('SecRuleUpdateActionById changes the severity that is logged and counted', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:1,pass,log,severity:'CRITICAL'"\nSecRuleUpdateActionById 1 "severity:'NOTICE'"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.severity).toBe(5);
    expect(r.lines[0]).toContain('[severity "5"]');
    expect(r.tx.vars.get('HIGHEST_SEVERITY')).toBe('5');
  });
});
