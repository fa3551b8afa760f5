import { loadErrors, run, ON } from './helpers';

// Reference manual: "allow: Stops rule processing on a successful match and allows the transaction to proceed.
// ... allow — used alone, it will stop processing of the current phase but also skip over all other phases apart
// from the logging phase ... allow:phase — stops processing of the current phase. Other phases will continue as
// normal. allow:request — stops processing of the current phase. The next phase to be processed will be phase
// RESPONSE_HEADERS." In ModSecurity v3 allow is disruptive: under DetectionOnly it does nothing.
describe('allow', () => {
  const rest = `SecAction "id:11,phase:1,deny,log"\nSecAction "id:12,phase:2,deny,log"\nSecAction "id:13,phase:3,pass,log"\nSecAction "id:14,phase:4,pass,log"\nSecAction "id:15,phase:5,pass,log"`;

  test('allow skips every later rule except the logging phase', () => {
    const r = run(ON + `SecRule REMOTE_ADDR "@ipMatch 10.0.0.0/8" "id:1,phase:1,allow,log"\n` + rest);
    expect(r.interruption).toBeUndefined();
    expect(r.matched).toEqual([1, 15]);
  });

  test('allow:phase skips the rest of the current phase only', () => {
    const r = run(ON + `SecRule REMOTE_ADDR "@ipMatch 10.0.0.0/8" "id:1,phase:1,allow:phase"\nSecAction "id:11,phase:1,deny,log"\nSecAction "id:13,phase:3,pass,log"\nSecAction "id:15,phase:5,pass,log"`);
    expect(r.matched).toEqual([1, 13, 15]);
    const r2 = run(ON + `SecRule REMOTE_ADDR "@ipMatch 10.0.0.0/8" "id:1,phase:1,allow:phase"\n` + rest);
    expect(r2.interruption?.ruleId).toBe(12);
  });

  test('allow:request skips the request phases; response phases run', () => {
    const r = run(ON + `SecResponseBodyAccess On\nSecRule REMOTE_ADDR "@ipMatch 10.0.0.0/8" "id:1,phase:1,allow:request"\n` + rest);
    expect(r.interruption).toBeUndefined();
    expect(r.matched).toEqual([1, 13, 14, 15]);
  });

  test('allow in phase 2 does not undo rules that already ran', () => {
    const r = run(ON + `SecAction "id:1,phase:1,pass,log"\nSecAction "id:2,phase:2,allow"\nSecAction "id:3,phase:2,deny"\nSecAction "id:4,phase:4,deny"`);
    expect(r.interruption).toBeUndefined();
    expect(r.matched).toEqual([1, 2]);
  });

  test('under DetectionOnly allow does not stop rule processing', () => {
    const r = run(`SecRuleEngine DetectionOnly\nSecAction "id:1,phase:1,allow"\nSecAction "id:2,phase:1,pass,log"\nSecAction "id:3,phase:2,pass,log"`);
    expect(r.matched).toEqual([1, 2, 3]);
  });

  test('a non-matching allow rule changes nothing', () => {
    const r = run(ON + `SecRule REMOTE_ADDR "@ipMatch 192.168.0.0/16" "id:1,phase:1,allow"\nSecAction "id:2,phase:1,deny"`);
    expect(r.interruption?.ruleId).toBe(2);
  });

  test('block with an allow SecDefaultAction allows', () => {
    const r = run(ON + `SecDefaultAction "phase:1,log,allow"\nSecRule REMOTE_ADDR "@ipMatch 10.0.0.0/8" "id:1,phase:1,block"\nSecAction "id:2,phase:2,deny"`);
    expect(r.interruption).toBeUndefined();
    expect(r.matched).toEqual([1]);
  });

  test('allow:other is a load error', () => {
    expect(loadErrors(`SecAction "id:1,phase:1,allow:response"`).join('\n')).toMatch(/allow takes no value, 'phase' or 'request'/);
  });

  test('allow in a chained rule is a load error', () => {
    expect(loadErrors(`SecRule ARGS "@rx a" "id:1,phase:1,pass,chain"\nSecRule ARGS "@rx b" "allow"`).join('\n')).toMatch(/only allowed in the first rule of a chain/);
  });
});
