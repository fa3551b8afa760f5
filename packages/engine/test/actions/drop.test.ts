import { run, ON } from './helpers';

// Reference manual: "drop: Initiates an immediate close of the TCP connection by sending a FIN packet."
// ModSecurity v3 reports it as a disruptive intervention with status 403 unless `status` is given.
describe('drop', () => {
  test('interrupts with action drop and status 403', () => {
    const r = run(ON + `SecRule ARGS:a "@streq x" "id:1,phase:1,drop,log"\nSecAction "id:2,phase:2,pass,log"`, { uri: '/?a=x' });
    expect(r.interruption).toMatchObject({ action: 'drop', status: 403, ruleId: 1 });
    expect(r.matched).toEqual([1]);
    expect(r.lines[0]).toContain('Access denied with code 403 (phase 1)');
  });

  test('status applies to drop', () => {
    expect(run(ON + `SecRule ARGS:a "@streq x" "id:1,phase:1,drop,status:400"`, { uri: '/?a=x' }).interruption?.status).toBe(400);
  });

  test('under DetectionOnly it does not interrupt', () => {
    const r = run(`SecRuleEngine DetectionOnly\nSecRule ARGS:a "@streq x" "id:1,phase:1,drop,log"`, { uri: '/?a=x' });
    expect(r.interruption).toBeUndefined();
    expect(r.logged).toEqual([1]);
  });

  test('block with a drop SecDefaultAction drops', () => {
    const r = run(ON + `SecDefaultAction "phase:2,log,drop"\nSecRule ARGS "@rx x" "id:1,phase:2,block"`, { uri: '/?a=x' });
    expect(r.interruption?.action).toBe('drop');
  });
});
