import { loadErrors, run } from './helpers';

// Reference manual: "maturity: Specifies the relative maturity level of the rule related to the length of time a
// rule has been public and the amount of testing it has received. The value is a string based on a numeric scale
// (1-9 where 9 is extensively tested and 1 is a brand new experimental rule)."
describe('maturity', () => {
  test('is recorded on the match and in the log line', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,maturity:9"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.maturity).toBe(9);
    expect(r.lines[0]).toContain('[maturity "9"]');
  });

  test('defaults to 0 in the log line', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.maturity).toBeUndefined();
    expect(r.lines[0]).toContain('[maturity "0"]');
  });

  test("the quoted form maturity:'2' loads", () => {
    expect(run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,maturity:'2'"`, { uri: '/?a=x' }).lines[0]).toContain('[maturity "2"]');
  });

  test('%{RULE.maturity} expands to the value', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,maturity:3,logdata:'m=%{RULE.maturity}'"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.data).toBe('m=3');
    expect(r.lines[0]).toContain('[data "m=3"]');
  });

  test.each(['10', 'stable', '1.5'])('maturity:%s is a load error', (v) => {
    expect(loadErrors(`SecAction "id:1,phase:1,pass,maturity:${v}"`).join('\n')).toMatch(/maturity must be an integer 0-9/);
  });
});
