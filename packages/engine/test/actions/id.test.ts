import { loadErrors, run } from './helpers';

// Reference manual: "id: Assigns a unique ID to the rule or chain in which it appears ... This action is mandatory
// and must be numeric." ModSecurity v3 refuses id 0 and non-numeric ids; ids are unsigned 32-bit.
describe('id', () => {
  test('is recorded on the match, logged as [id] and names the interruption', () => {
    const r = run(`SecRuleEngine On\nSecRule ARGS "@rx x" "id:942100,phase:2,deny,log"`, { uri: '/?a=x' });
    expect(r.matched).toEqual([942100]);
    expect(r.lines[0]).toContain('[id "942100"]');
    expect(r.interruption?.ruleId).toBe(942100);
  });

  test('the largest id 4294967295 loads and is looked up', () => {
    const r = run(`SecRule ARGS "@rx x" "id:4294967295,phase:2,pass,log"`, { uri: '/?a=x' });
    expect(r.matched).toEqual([4294967295]);
    expect(r.tx.waf.rule(4294967295)?.id).toBe(4294967295);
  });

  test('%{RULE.id} expands', () => {
    const r = run(`SecRule ARGS "@rx x" "id:123,phase:2,pass,log,msg:'rule %{RULE.id}'"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.msg).toBe('rule 123');
  });

  test.each(['0', '-5', 'abc', '4294967296', '1.5'])('id:%s is a load error', (v) => {
    expect(loadErrors(`SecAction "id:${v},phase:1,pass"`).join('\n')).toMatch(/id must be an integer 1-4294967295/);
  });

  test('a SecRule without id is a load error; a SecAction without one loads, as in libmodsecurity v3 (not in strict mode)', () => {
    expect(loadErrors(`SecRule ARGS "@rx x" "phase:2,pass"`).join('\n')).toMatch(/rule has no id/);
    expect(loadErrors(`SecAction "phase:2,pass"`)).toEqual([]);
    expect(loadErrors(`SecAction "phase:2,pass"`, { strict: true }).join('\n')).toMatch(/SecAction has no id/);
  });

  test('a duplicate id is a load error', () => {
    expect(loadErrors(`SecAction "id:5,phase:1,pass"\nSecAction "id:5,phase:2,pass"`).join('\n')).toMatch(/duplicate rule id 5/);
  });

  test('an id in a chained rule is ignored, as libmodsecurity v3 does (refused in strict mode)', () => {
    expect(loadErrors(`SecRule ARGS "@rx a" "id:1,phase:2,pass,chain"\nSecRule ARGS "@rx b" "id:2"`)).toEqual([]);
    expect(loadErrors(`SecRule ARGS "@rx a" "id:1,phase:2,pass,chain"\nSecRule ARGS "@rx b" "id:2"`, { strict: true }).join('\n')).toMatch(/on a chained rule is ignored/);
  });
});
