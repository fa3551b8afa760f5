import { run } from './helpers';

// Reference manual: "ver: Specifies the rule set version." Example: ver:'CRS/2.2.4'. Logged as [ver "..."].
describe('ver', () => {
  test('is recorded on the match and in the log line', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,ver:'OWASP_CRS/4.28.0'"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.ver).toBe('OWASP_CRS/4.28.0');
    expect(r.lines[0]).toContain('[ver "OWASP_CRS/4.28.0"]');
  });

  test('a rule without ver logs [ver ""]', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.ver).toBeUndefined();
    expect(r.lines[0]).toContain('[ver ""]');
  });

  test('each rule has its own ver', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,ver:'A/1'"\nSecRule ARGS "@rx x" "id:2,phase:2,pass,log"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules.map((m) => m.ver)).toEqual(['A/1', undefined]);
  });

  test('%{RULE.ver} expands', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,ver:'V/9',logdata:'%{RULE.ver}'"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.data).toBe('V/9');
  });
});
