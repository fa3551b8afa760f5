import { loadErrors, run, ON } from './helpers';

// Reference manual: "chain: Chains the current rule with the rule that immediately follows it, creating a rule
// chain. Chained rules allow for more complex processing logic." Only the chain starter carries disruptive and
// metadata actions; the chain matches only when every rule matches; non-disruptive actions of a chained rule run
// when that rule matches.
describe('chain', () => {
  const cfg = ON + `SecRule REQUEST_METHOD "@streq POST" "id:1,phase:2,deny,log,msg:'post with a',chain"\nSecRule ARGS:a "@rx ." "t:none,chain"\nSecRule ARGS:a "@rx ^1$"`;

  test('matches and interrupts only when every link matches', () => {
    expect(run(cfg, { method: 'POST', uri: '/?a=1' }).interruption).toMatchObject({ ruleId: 1, status: 403 });
    expect(run(cfg, { method: 'GET', uri: '/?a=1' }).matched).toEqual([]);
    expect(run(cfg, { method: 'POST', uri: '/?a=2' }).matched).toEqual([]);
    expect(run(cfg, { method: 'POST', uri: '/' }).matched).toEqual([]);
  });

  test('one log line under the head id, with the last link as the matched variable', () => {
    const r = run(cfg, { method: 'POST', uri: '/?a=1' });
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toContain('[id "1"]');
    expect(r.lines[0]).toContain('[msg "post with a"]');
    expect(r.lines[0]).toContain("against variable `ARGS:a' (Value: `1' )");
  });

  test('setvar in a chained rule runs only when that link matches', () => {
    const c = `SecRule ARGS:a "@rx ." "id:1,phase:2,pass,nolog,chain"\nSecRule ARGS:b "@rx ." "setvar:tx.hit=1"\nSecRule TX:hit "@eq 1" "id:2,phase:2,pass,log"`;
    expect(run(c, { uri: '/?a=1&b=2' }).logged).toEqual([2]);
    expect(run(c, { uri: '/?a=1' }).logged).toEqual([]);
  });

  // Reference manual (chain): "Non-disruptive actions can be used in any rule; they will be executed if the rule
  // that contains them matches and not only when the entire chain matches." ModSecurity v3 runs setvar that way.
  test('setvar of the head runs when the head matches even if the chain does not', () => {
    const c = `SecRule ARGS:a "@rx ." "id:1,phase:2,pass,log,setvar:tx.head=1,chain"\nSecRule ARGS:b "@rx ." "setvar:tx.tail=1"`;
    const r = run(c, { uri: '/?a=1' });
    expect(r.matched).toEqual([]);
    expect(r.tx.collection('TX')!.first('head')).toBe('1');
    expect(r.tx.collection('TX')!.first('tail')).toBeUndefined();
  });

  test('the chained rule sees the head match in MATCHED_VAR and TX captures', () => {
    const c = `SecRule ARGS:a "@rx ^(\\w+)$" "id:1,phase:2,pass,log,capture,chain"\nSecRule ARGS:b "@streq %{TX.1}"`;
    expect(run(c, { uri: '/?a=abc&b=abc' }).logged).toEqual([1]);
    expect(run(c, { uri: '/?a=abc&b=xyz' }).logged).toEqual([]);
  });

  test('skip counts a whole chain as one rule', () => {
    const c = `SecAction "id:1,phase:1,pass,nolog,skip:1"\nSecRule ARGS "@rx ." "id:2,phase:1,pass,log,chain"\nSecRule ARGS "@rx ."\nSecAction "id:3,phase:1,pass,log"`;
    expect(run(c, { uri: '/?a=1' }).logged).toEqual([3]);
  });

  test('a chain rule that ends the file without a follower loads, as in libmodsecurity v3, and never matches (refused in strict mode)', () => {
    expect(loadErrors(`SecRule ARGS "@rx a" "id:1,phase:2,deny,chain"`)).toEqual([]);
    expect(run(ON + `SecRule ARGS "@rx a" "id:1,phase:2,deny,chain"`, { uri: '/?q=a' }).interruption).toBeUndefined();
    expect(loadErrors(`SecRule ARGS "@rx a" "id:1,phase:2,pass,chain"`, { strict: true }).join('\n')).toMatch(/chain action but no rule follows it/);
  });

  test('disruptive and flow actions in a chained rule are load errors', () => {
    expect(loadErrors(`SecRule ARGS "@rx a" "id:1,phase:2,pass,chain"\nSecRule ARGS "@rx b" "deny"`).join('\n')).toMatch(/only allowed in the first rule of a chain/);
    expect(loadErrors(`SecRule ARGS "@rx a" "id:1,phase:2,pass,chain"\nSecRule ARGS "@rx b" "skip:1"`).join('\n')).toMatch(/only allowed in the first rule of a chain/);
  });
});
