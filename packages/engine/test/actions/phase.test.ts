import { loadErrors, run, ON } from './helpers';

// Reference manual: "phase: Places the rule or chain into one of five available processing phases ... request (2),
// response (4), logging (5)"; phase numbers 1-5. A rule sees only the data its phase has.
describe('phase', () => {
  test.each([
    ['1', 1], ['2', 2], ['3', 3], ['4', 4], ['5', 5], ['request', 2], ['response', 4], ['logging', 5], ['REQUEST', 2],
  ])('phase:%s runs in phase %d', (v, n) => {
    const r = run(`SecResponseBodyAccess On\nSecAction "id:1,phase:${v},pass,log"`);
    expect(r.tx.matchedRules[0]?.phase).toBe(n);
    expect(r.tx.waf.rule(1)?.phase).toBe(n);
  });

  test('a phase 1 rule cannot see the request body; a phase 2 rule can', () => {
    const cfg = `SecRequestBodyAccess On\nSecRule ARGS_POST:a "@streq x" "id:1,phase:1,pass,log"\nSecRule ARGS_POST:a "@streq x" "id:2,phase:2,pass,log"`;
    const r = run(cfg, { method: 'POST', headers: [['Host', 'h'], ['Content-Type', 'application/x-www-form-urlencoded']], body: 'a=x' });
    expect(r.logged).toEqual([2]);
  });

  test('phase 3 sees response headers; phase 2 does not', () => {
    const cfg = `SecRule RESPONSE_HEADERS:X-Test "@streq yes" "id:1,phase:2,pass,log"\nSecRule RESPONSE_HEADERS:X-Test "@streq yes" "id:2,phase:3,pass,log"`;
    const r = run(cfg, { response: { headers: [['X-Test', 'yes']] } });
    expect(r.logged).toEqual([2]);
  });

  test('phase 4 rules run only when the response body is inspected, as in libmodsecurity v3', () => {
    const rules = `SecAction "id:4,phase:4,pass,log"\nSecAction "id:5,phase:5,pass,log"`;
    const html = { response: { headers: [['Content-Type', 'text/html']] as Array<[string, string]>, body: 'x' } };
    const json = { response: { headers: [['Content-Type', 'application/json']] as Array<[string, string]>, body: '{}' } };
    // SecResponseBodyAccess not set (Off): v3's processResponseBody returns before evaluating phase 4
    expect(run(rules, html).logged).toEqual([5]);
    expect(run(`SecResponseBodyAccess Off\n` + rules, html).logged).toEqual([5]);
    expect(run(`SecResponseBodyAccess On\n` + rules, html).logged).toEqual([4, 5]);
    // once SecResponseBodyMimeType is given, a Content-Type it does not list gets no phase 4 either
    expect(run(`SecResponseBodyAccess On\nSecResponseBodyMimeType text/html\n` + rules, json).logged).toEqual([5]);
    expect(run(`SecResponseBodyAccess On\nSecResponseBodyMimeType application/json\n` + rules, json).logged).toEqual([4, 5]);
    expect(run(`SecResponseBodyAccess On\nSecResponseBodyMimeTypesClear\n` + rules, html).logged).toEqual([5]);
    // without it, v3 runs phase 4 whatever the Content-Type (regression case actions 6: text/xml)
    expect(run(`SecResponseBodyAccess On\n` + rules, json).logged).toEqual([4, 5]);
    // ctl:responseBodyAccess=On (ModSecurity v2's, which Rampart keeps) turns it on for the transaction
    expect(run(`SecAction "id:1,phase:1,pass,nolog,ctl:responseBodyAccess=On"\n` + rules, html).logged).toEqual([4, 5]);
  });

  test('rules run in phase order whatever their order in the file', () => {
    const r = run(`SecResponseBodyAccess On\nSecAction "id:5,phase:5,pass,log"\nSecAction "id:3,phase:3,pass,log"\nSecAction "id:1,phase:1,pass,log"\nSecAction "id:2,phase:2,pass,log"\nSecAction "id:4,phase:4,pass,log"`);
    expect(r.logged).toEqual([1, 2, 3, 4, 5]);
  });

  test('the deny log line names the phase', () => {
    const r = run(ON + `SecRule REQUEST_HEADERS:Host "@rx ." "id:1,phase:1,deny,log"`);
    expect(r.lines[0]).toMatch(/^ModSecurity: Access denied with code 403 \(phase 1\)\. /);
  });

  test('a rule without phase runs in phase 2 (the ModSecurity default)', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,pass,log"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.phase).toBe(2);
  });

  test.each(['0', '6', 'body', '1.5'])('phase:%s is a load error', (v) => {
    expect(loadErrors(`SecAction "id:1,phase:${v},pass"`).join('\n')).toMatch(/phase must be 1-5/);
  });
});
