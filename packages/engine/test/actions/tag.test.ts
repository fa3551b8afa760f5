import { run } from './helpers';

// Reference manual: "tag: Assigns a tag (category) to a rule or a chain. ... Multiple tag actions are allowed",
// and every tag is written to the log as [tag "..."], in the order given.
describe('tag', () => {
  test('every tag is recorded and logged in order', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,tag:'application-multi',tag:'language-multi',tag:'attack-sqli'"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.tags).toEqual(['application-multi', 'language-multi', 'attack-sqli']);
    expect(r.lines[0]).toContain('[tag "application-multi"] [tag "language-multi"] [tag "attack-sqli"]');
  });

  test('a rule without tags writes no [tag]', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.tags).toEqual([]);
    expect(r.lines[0]).not.toContain('[tag ');
  });

  test('tags select rules for ctl:ruleRemoveByTag', () => {
    const cfg = `SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveByTag=attack-xss"\nSecRule ARGS "@rx x" "id:2,phase:2,pass,log,tag:'attack-xss'"\nSecRule ARGS "@rx x" "id:3,phase:2,pass,log,tag:'attack-sqli'"`;
    expect(run(cfg, { uri: '/?a=x' }).logged).toEqual([3]);
  });

  test('a tag with a slash and a space is kept verbatim', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,tag:'OWASP_CRS/ATTACK SQLI'"`, { uri: '/?a=x' });
    expect(r.lines[0]).toContain('[tag "OWASP_CRS/ATTACK SQLI"]');
  });

  test('tags are on the chain head: a chained rule match logs the head tags', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,tag:'head',chain"\nSecRule ARGS "@rx x" "t:none"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.tags).toEqual(['head']);
  });

  // ModSecurity expands macros in tags ("Since ModSecurity 2.6.0 tag supports macro expansion"; v3 Tag::getName evaluates a
  // RunTimeString), e.g. CRS's crs-setup.conf example tag:'Host: %{request_headers.host}'.
  test('macros in a tag are expanded at match time', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,tag:'Host: %{request_headers.host}'"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.tags).toEqual(['Host: example.com']);
    expect(r.lines[0]).toContain('[tag "Host: example.com"]');
  });
});
