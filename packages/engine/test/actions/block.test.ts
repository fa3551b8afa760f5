import { run, ON } from './helpers';

// Reference manual: "block: Performs the disruptive action defined by the previous SecDefaultAction." Without one
// the default action is pass (ModSecurity's built-in "phase:2,log,auditlog,pass").
describe('block', () => {
  test('takes deny and its status from the SecDefaultAction of the phase', () => {
    const r = run(ON + `SecDefaultAction "phase:2,log,auditlog,deny,status:418"\nSecRule ARGS "@rx evil" "id:1,phase:2,block"`, { uri: '/?q=evil' });
    expect(r.interruption).toMatchObject({ status: 418, ruleId: 1, action: 'deny' });
  });

  test('with a pass SecDefaultAction it passes', () => {
    const r = run(ON + `SecDefaultAction "phase:2,log,auditlog,pass"\nSecRule ARGS "@rx evil" "id:1,phase:2,block"`, { uri: '/?q=evil' });
    expect(r.interruption).toBeUndefined();
    expect(r.logged).toEqual([1]);
  });

  test('without any SecDefaultAction it passes', () => {
    const r = run(ON + `SecRule ARGS "@rx evil" "id:1,phase:2,block"`, { uri: '/?q=evil' });
    expect(r.interruption).toBeUndefined();
    expect(r.matched).toEqual([1]);
  });

  test('uses the SecDefaultAction of its own phase only', () => {
    const cfg = ON + `SecDefaultAction "phase:1,log,deny,status:401"\nSecRule ARGS "@rx evil" "id:1,phase:2,block"`;
    expect(run(cfg, { uri: '/?q=evil' }).interruption).toBeUndefined();
    const cfg1 = ON + `SecDefaultAction "phase:1,log,deny,status:401"\nSecRule ARGS "@rx evil" "id:1,phase:1,block"`;
    expect(run(cfg1, { uri: '/?q=evil' }).interruption?.status).toBe(401);
  });

  test('uses the SecDefaultAction of its own phase', () => {
    const cfg = ON + `SecDefaultAction "phase:1,log,pass"\nSecRule ARGS "@rx a" "id:1,phase:1,block"\nSecDefaultAction "phase:2,log,deny,status:406"\nSecRule ARGS "@rx b" "id:2,phase:2,block"`;
    expect(run(cfg, { uri: '/?q=a' }).interruption).toBeUndefined();
    expect(run(cfg, { uri: '/?q=b' }).interruption).toMatchObject({ status: 406, ruleId: 2 });
  });

  test('under DetectionOnly a blocking rule only logs', () => {
    const r = run(`SecRuleEngine DetectionOnly\nSecDefaultAction "phase:2,log,deny"\nSecRule ARGS "@rx evil" "id:1,phase:2,block"`, { uri: '/?q=evil' });
    expect(r.interruption).toBeUndefined();
    expect(r.logged).toEqual([1]);
  });

  test('the SecDefaultAction redirect is used by block', () => {
    const r = run(ON + `SecDefaultAction "phase:2,log,redirect:'http://example.com/blocked'"\nSecRule ARGS "@rx evil" "id:1,phase:2,block"`, { uri: '/?q=evil' });
    expect(r.interruption).toMatchObject({ action: 'redirect', status: 302, url: 'http://example.com/blocked' });
  });
});
