import { run } from './helpers';

// Reference manual: "rev: Specifies rule revision. It is useful in combination with the id action to provide an
// indication that a rule has been changed." Example: rev:'2.1.3'.
describe('rev', () => {
  test('is recorded on the match and in the log line', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,rev:'2.1.3'"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.rev).toBe('2.1.3');
    expect(r.lines[0]).toContain('[rev "2.1.3"]');
  });

  test('a rule without rev logs an empty [rev ""]', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.rev).toBeUndefined();
    expect(r.lines[0]).toContain('[rev ""]');
  });

  test('[rev] comes right after [id] in the line, as ModSecurity v3 writes it', () => {
    const r = run(`SecRule ARGS "@rx x" "id:77,phase:2,pass,log,rev:5"`, { uri: '/?a=x' });
    expect(r.lines[0]).toContain('[id "77"] [rev "5"]');
  });

  test('%{RULE.rev} expands', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,rev:4,msg:'r%{RULE.rev}'"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.msg).toBe('r4');
  });

  test('a double quote in rev is escaped in the log line', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,rev:'a\\"b'"`, { uri: '/?a=x' });
    expect(r.lines[0]).toContain('[rev "a\\x22b"]');
  });
});
