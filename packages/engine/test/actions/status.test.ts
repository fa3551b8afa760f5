import { loadErrors, run, ON } from './helpers';

// Reference manual: "status: Specifies the response status code to use with actions deny and redirect."
describe('status', () => {
  test.each([400, 401, 404, 406, 418, 500, 503])('deny,status:%d answers %d', (code) => {
    const r = run(ON + `SecRule ARGS:a "@streq x" "id:1,phase:2,deny,status:${code},log"`, { uri: '/?a=x' });
    expect(r.interruption?.status).toBe(code);
    expect(r.lines[0]).toContain(`Access denied with code ${code} (phase 2)`);
  });

  test('status on a pass rule does not interrupt', () => {
    expect(run(ON + `SecRule ARGS:a "@streq x" "id:1,phase:2,pass,status:500"`, { uri: '/?a=x' }).interruption).toBeUndefined();
  });

  test('status from SecDefaultAction applies to block', () => {
    const r = run(ON + `SecDefaultAction "phase:2,log,auditlog,deny,status:429"\nSecRule ARGS "@rx x" "id:1,phase:2,block"`, { uri: '/?a=x' });
    expect(r.interruption?.status).toBe(429);
  });

  test('a rule status overrides the SecDefaultAction status', () => {
    const r = run(ON + `SecDefaultAction "phase:2,log,auditlog,deny,status:429"\nSecRule ARGS "@rx x" "id:1,phase:2,block,status:451"`, { uri: '/?a=x' });
    expect(r.interruption?.status).toBe(451);
  });

  test.each(['999', '99', '600', 'abc', '4033'])('status:%s is a load error', (v) => {
    expect(loadErrors(`SecAction "id:1,phase:1,deny,status:${v}"`).join('\n')).toMatch(/status must be an HTTP status 100-599/);
  });

  test('a rule with its own deny inherits the status of SecDefaultAction', () => {
    const r = run(ON + `SecDefaultAction "phase:2,log,pass,status:418"\nSecRule ARGS "@rx x" "id:1,phase:2,deny"`, { uri: '/?a=x' });
    expect(r.interruption?.status).toBe(418);
  });
});
