import { run } from '../engine/helpers';

const ON = 'SecRuleEngine On\n';

// libmodsecurity v3 applies a regex exclusion from SecRuleUpdateTargetBy* to every value whose key matches,
// whatever its variable; Rampart keeps it to the excluded variable's family (rules/key-families.ts).
describe('SecRuleUpdateTargetById with a regex exclusion', () => {
  it('!ARGS:/re/ also removes the matching names from ARGS_NAMES (v3 regression config-update-target-by-id 4)', () => {
    const rules = ON + `SecRuleUpdateTargetById 1 "!ARGS:/xxx/"\nSecRule ARGS_NAMES "@contains yyy" "id:1,phase:2,deny,status:403"`;
    expect(run(rules, { uri: '/?xxxyyy=value' }).interruption).toBeUndefined();
    expect(run(rules, { uri: '/?zzzyyy=value' }).interruption?.status).toBe(403);
  });

  it('and from ARGS_GET and ARGS_POST, which name the same arguments', () => {
    const rules = ON + `SecRuleUpdateTargetById 1 "!ARGS:/^skip/"\nSecRule ARGS_GET|ARGS_POST "@contains evil" "id:1,phase:2,deny"`;
    expect(run(rules, { uri: '/?skip_me=evil' }).interruption).toBeUndefined();
    expect(run(rules, { uri: '/?other=evil' }).interruption?.status).toBe(403);
  });

  it('never from another family: a cookie named to match still gets inspected (v3 would skip it)', () => {
    const rules = ON + `SecRuleUpdateTargetById 1 "!ARGS:/^json/"\nSecRule ARGS|REQUEST_COOKIES "@contains evil" "id:1,phase:2,deny"`;
    expect(run(rules, { uri: '/?json_a=evil' }).interruption).toBeUndefined();
    const cookie = run(rules, { uri: '/', headers: [['Host', 'h'], ['Cookie', 'json_a=evil']] });
    expect(cookie.interruption?.status).toBe(403);
  });

  it('a literal key exclusion stays with its own variable, as in v3', () => {
    const rules = ON + `SecRuleUpdateTargetById 1 "!ARGS:xxxyyy"\nSecRule ARGS_NAMES "@contains yyy" "id:1,phase:2,deny"`;
    expect(run(rules, { uri: '/?xxxyyy=value' }).interruption?.status).toBe(403);
  });

  it('a regex written in the rule itself stays with its own variable, as in v3', () => {
    const rules = ON + `SecRule ARGS_NAMES|!ARGS:/xxx/ "@contains yyy" "id:1,phase:2,deny"`;
    expect(run(rules, { uri: '/?xxxyyy=value' }).interruption?.status).toBe(403);
  });
});
