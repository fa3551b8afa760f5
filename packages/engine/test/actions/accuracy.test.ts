import { loadErrors, run } from './helpers';

// Reference manual: "accuracy: Specifies the relative accuracy level of the rule related to false positives /
// negatives. The value is a string based on a numeric scale (1-9 where 9 is very strong and 1 has many false
// positives)." ModSecurity v3 logs it as [accuracy "N"], 0 when the rule has none.
describe('accuracy', () => {
  test('is recorded on the match and in the log line', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,accuracy:8"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.accuracy).toBe(8);
    expect(r.lines[0]).toContain('[accuracy "8"]');
  });

  test('a rule without accuracy logs 0 and records undefined', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.accuracy).toBeUndefined();
    expect(r.lines[0]).toContain('[accuracy "0"]');
  });

  test('the quoted form and the boundaries 1 and 9 load', () => {
    expect(run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,accuracy:'9'"`, { uri: '/?a=x' }).lines[0]).toContain('[accuracy "9"]');
    expect(run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,accuracy:1"`, { uri: '/?a=x' }).lines[0]).toContain('[accuracy "1"]');
  });

  test('%{RULE.accuracy} expands to the value', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,accuracy:6,msg:'acc=%{RULE.accuracy}'"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.msg).toBe('acc=6');
  });

  test('does not change matching: a non-matching rule records nothing', () => {
    expect(run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,accuracy:8"`, { uri: '/?a=y' }).matched).toEqual([]);
  });

  test.each(['10', '-1', 'high', '2.5'])('accuracy:%s is a load error', (v) => {
    expect(loadErrors(`SecAction "id:1,phase:1,pass,accuracy:${v}"`).join('\n')).toMatch(/accuracy must be an integer 0-9/);
  });

  test('accuracy without a value is a load error', () => {
    expect(loadErrors(`SecAction "id:1,phase:1,pass,accuracy"`).join('\n')).toMatch(/action 'accuracy' needs a value/);
  });
});
