import { loadErrors, run } from './helpers';

// Reference manual: "t: This action is used to specify the transformation pipeline to use to transform the value of
// each variable used in the rule before matching. ... Any transformation functions that you specify in a SecRule
// will be added to the previous ones specified in SecDefaultAction ... t:none removes all transformations
// preceding it."
describe('t', () => {
  test('transformations run in order before the operator', () => {
    // ARGS is decoded once by the query parser: the rule sees "%3CSCRIPT%3E".
    expect(run(`SecRule ARGS "@streq <script>" "id:1,phase:2,pass,log,t:lowercase"`, { uri: '/?q=%253CSCRIPT%253E' }).logged).toEqual([]);
    expect(run(`SecRule ARGS "@streq <script>" "id:1,phase:2,pass,log,t:urlDecode,t:lowercase"`, { uri: '/?q=%253CSCRIPT%253E' }).logged).toEqual([1]);
    expect(run(`SecRule ARGS "@streq <script>" "id:1,phase:2,pass,log"`, { uri: '/?q=%253CSCRIPT%253E' }).logged).toEqual([]);
  });

  test('the order matters', () => {
    expect(run(`SecRule ARGS "@streq abc" "id:1,phase:2,pass,log,t:base64Decode,t:lowercase"`, { uri: '/?q=QUJD' }).logged).toEqual([1]);
    expect(run(`SecRule ARGS "@streq abc" "id:1,phase:2,pass,log,t:lowercase,t:base64Decode"`, { uri: '/?q=QUJD' }).logged).toEqual([]);
  });

  test('transformations of SecDefaultAction are inherited; t:none drops them', () => {
    const def = `SecDefaultAction "phase:2,log,pass,t:lowercase"\n`;
    expect(run(def + `SecRule ARGS "@streq abc" "id:1,phase:2"`, { uri: '/?q=ABC' }).logged).toEqual([1]);
    expect(run(def + `SecRule ARGS "@streq abc" "id:1,phase:2,t:none"`, { uri: '/?q=ABC' }).logged).toEqual([]);
  });

  test('t:none drops the transformations before it only', () => {
    expect(run(`SecRule ARGS "@streq abc" "id:1,phase:2,pass,log,t:uppercase,t:none,t:lowercase"`, { uri: '/?q=ABC' }).logged).toEqual([1]);
  });

  // MATCHED_VAR is the transformed value; the log's match text shows the value as the request had it
  // (v3 rule_with_operator.cc: resolveMatchMessage(trans, key, value) with the untransformed value), and the
  // reference names the transformations.
  test('MATCHED_VAR is the transformed value, the log line shows the value as received', () => {
    const r = run(`SecRule ARGS "@rx abc" "id:1,phase:2,pass,log,t:lowercase,msg:'%{MATCHED_VAR}'"`, { uri: '/?q=ABC' });
    expect(r.tx.matchedRules[0]?.msg).toBe('abc');
    expect(r.lines[0]).toContain("(Value: `ABC' )");
    expect(r.lines[0]).toContain('[ref "o0,3v8,3t:lowercase"]');
  });

  test('names are case-insensitive', () => {
    expect(run(`SecRule ARGS "@streq abc" "id:1,phase:2,pass,log,t:LOWERCASE"`, { uri: '/?q=ABC' }).logged).toEqual([1]);
  });

  test('an unknown transformation is a load error', () => {
    expect(loadErrors(`SecRule ARGS "@rx a" "id:1,phase:2,pass,t:rot13"`).join('\n')).toMatch(/unknown transformation 'rot13'/);
  });

  test('t without a name is a load error', () => {
    expect(loadErrors(`SecRule ARGS "@rx a" "id:1,phase:2,pass,t"`).join('\n')).toMatch(/action 't' needs a value/);
  });
});
