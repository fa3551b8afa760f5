import { run, ON } from './helpers';

// Reference manual: "pass: Continues processing with the next rule in spite of a successful match."
describe('pass', () => {
  test('a match does not interrupt and later rules run', () => {
    const r = run(ON + `SecRule ARGS "@rx x" "id:1,phase:1,pass,log"\nSecRule ARGS "@rx x" "id:2,phase:2,pass,log"`, { uri: '/?a=x' });
    expect(r.interruption).toBeUndefined();
    expect(r.logged).toEqual([1, 2]);
    expect(r.tx.matchedRules.every((m) => !m.disruptive)).toBe(true);
  });

  test('the log line is a Warning', () => {
    const r = run(ON + `SecRule ARGS "@rx x" "id:1,phase:1,pass,log"`, { uri: '/?a=x' });
    expect(r.lines[0]).toMatch(/^ModSecurity: Warning\. Matched "Operator `Rx' with parameter `x' against variable `ARGS:a'/);
  });

  test('a rule pass overrides a deny SecDefaultAction', () => {
    const r = run(ON + `SecDefaultAction "phase:2,log,deny"\nSecRule ARGS "@rx x" "id:1,phase:2,pass"`, { uri: '/?a=x' });
    expect(r.interruption).toBeUndefined();
    expect(r.matched).toEqual([1]);
  });

  test('a later deny still interrupts', () => {
    const r = run(ON + `SecRule ARGS "@rx x" "id:1,phase:2,pass"\nSecRule ARGS "@rx x" "id:2,phase:2,deny"`, { uri: '/?a=x' });
    expect(r.interruption?.ruleId).toBe(2);
  });
});
