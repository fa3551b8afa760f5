import { loadErrors, run, ON } from './helpers';

// Reference manual: "redirect: Intercepts transaction by issuing an external (client-visible) redirection to the
// given location ... If the status action is presented on the same rule, and its value can be used for a
// redirection (i.e., is one of the following: 301, 302, 303, or 307), the value will be used for the redirection
// status code. Otherwise, status code 302 will be used." ModSecurity v3 (Redirect::evaluate) keeps a status in
// 301-307 and uses 302 otherwise.
describe('redirect', () => {
  test('answers 302 with the expanded location', () => {
    const r = run(ON + `SecRule ARGS:to "@rx ." "id:1,phase:1,redirect:'https://example.com/%{ARGS.to}?r=%{RULE.id}'"`, { uri: '/?to=home' });
    expect(r.interruption).toMatchObject({ status: 302, action: 'redirect', url: 'https://example.com/home?r=1', ruleId: 1 });
  });

  test.each([301, 302, 303, 307])('status:%d is used for the redirection', (code) => {
    const r = run(ON + `SecRule ARGS "@rx x" "id:1,phase:1,status:${code},redirect:http://example.com/"`, { uri: '/?a=x' });
    expect(r.interruption).toMatchObject({ status: code, action: 'redirect' });
  });

  // A status outside 301-307 is not a redirect status: ModSecurity answers 302.
  test('status:403 with redirect answers 302, as ModSecurity does', () => {
    const r = run(ON + `SecRule ARGS "@rx x" "id:1,phase:1,status:403,redirect:http://example.com/"`, { uri: '/?a=x' });
    expect(r.interruption?.status).toBe(302);
  });

  test('under DetectionOnly nothing is redirected', () => {
    const r = run(`SecRuleEngine DetectionOnly\nSecRule ARGS "@rx x" "id:1,phase:1,redirect:http://example.com/,log"`, { uri: '/?a=x' });
    expect(r.interruption).toBeUndefined();
    expect(r.logged).toEqual([1]);
  });

  test('the later rules do not run', () => {
    const r = run(ON + `SecRule ARGS "@rx x" "id:1,phase:1,redirect:http://example.com/"\nSecAction "id:2,phase:2,pass"`, { uri: '/?a=x' });
    expect(r.matched).toEqual([1]);
  });

  test('redirect without a URL is a load error', () => {
    expect(loadErrors(`SecAction "id:1,phase:1,redirect"`).join('\n')).toMatch(/redirect.*needs a value/);
  });
});
