import { run } from '../engine/helpers';

const ON = 'SecRuleEngine On\n';

// libmodsecurity v3 (variables/rule.h) offers the current rule's id, rev, severity, logdata and msg as RULE.
describe('RULE as a target', () => {
  it('RULE:id is the id of the rule being evaluated', () => {
    const r = run(ON + `SecRule RULE:id "@streq 7" "id:7,phase:1,deny"`);
    expect(r.interruption?.status).toBe(403);
    expect(r.lines[0]).toContain("against variable `RULE:id' (Value: `7' )");
    expect(run(ON + `SecRule RULE:id "@streq 8" "id:7,phase:1,deny"`).interruption).toBeUndefined();
  });

  it('a chained rule sees its chain head\'s fields', () => {
    const r = run(ON + `SecAction "id:9,phase:1,deny,rev:3,severity:2,chain"\nSecRule RULE:rev "@streq 3" "chain"\nSecRule RULE:severity "@streq 2"`);
    expect(r.interruption?.status).toBe(403);
  });

  it('msg and logdata are offered with their macros expanded; a field the rule lacks offers nothing', () => {
    const rules = `SecRule RULE:msg "@streq hello GET" "id:1,phase:1,pass,log,msg:'hello %{REQUEST_METHOD}'"\n` +
      `SecRule RULE:logdata "@rx ." "id:2,phase:1,pass,log"\n` +
      `SecRule &RULE:rev "@eq 0" "id:3,phase:1,pass,log"\n` +
      `SecRule &RULE "@eq 1" "id:4,phase:1,pass,log"`;
    expect(run(rules).logged).toEqual([1, 3, 4]);
  });

  it('RULE:/re/ offers the first field (id, rev, severity, logdata, msg) whose name the regex matches, ignoring case', () => {
    expect(run(ON + `SecRule RULE:/^Id$/ "1" "id:1,deny"`).interruption?.status).toBe(403);
    // /e/ names rev, severity and msg: v3 offers rev only
    const counted = run(`SecRule &RULE:/e/ "@eq 1" "id:5,phase:1,pass,log,rev:2,severity:3,msg:'m'"`);
    expect(counted.logged).toEqual([5]);
    expect(run(`SecRule RULE:/e/ "@streq 2" "id:5,phase:1,pass,log,rev:2,severity:2,msg:'2'"`).tx.matchedRules[0]!.matchedVarName).toBe('RULE:rev');
    expect(run(`SecRule &RULE:/^zz/ "@eq 0" "id:6,phase:1,pass,log"`).logged).toEqual([6]);
  });
});
