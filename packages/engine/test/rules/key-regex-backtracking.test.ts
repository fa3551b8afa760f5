import { createWaf } from '../../src';
import { run, runTransaction } from '../engine/helpers';

const ON = 'SecRuleEngine On\n';

// libmodsecurity v3 compiles a key selector's regex with PCRE, as it does @rx's pattern: a lookahead such as
// `(?!ref)` loads there. Rampart runs what RE2 refuses on the backtracking engine, as for @rx, with a warning.
describe('a key regex that RE2 cannot compile', () => {
  it('runs on the backtracking engine with a warning naming the directive', () => {
    const warnings: string[] = [];
    const waf = createWaf({
      directives: ON + `SecRule ARGS:'/^(?!skip)/' "@contains evil" "id:1,phase:1,deny"`,
      onWarning: (w) => warnings.push(`${w.loc?.line}: ${w.message}`),
    });
    expect(warnings.some((w) => w.startsWith('2: ') && w.includes('backtracking engine'))).toBe(true);
    expect(runTransaction(waf, { uri: '/?skip_me=evil' }).interruption).toBeUndefined();
    expect(runTransaction(waf, { uri: '/?other=evil' }).interruption?.status).toBe(403);
  });

  it('in a SecRuleUpdateTargetByTag exclusion (v3 regression config-update-target-by-tag 5)', () => {
    // Searched anywhere in the key, `(?!ref)` matches every key (after its first letter at the latest).
    const rules = ON + `SecRuleUpdateTargetByTag test !ARGS:'/(?!ref)/'\nSecRule ARGS "@contains value" "id:1,phase:1,tag:'test',deny"`;
    expect(run(rules, { uri: '/?key=value&ref=something' }).interruption).toBeUndefined();
    // `^(?!ref)` spares only the keys starting with ref
    const anchored = ON + `SecRuleUpdateTargetByTag test !ARGS:'/^(?!ref)/'\nSecRule ARGS "@contains value" "id:1,phase:1,tag:'test',deny"`;
    expect(run(anchored, { uri: '/?key=value' }).interruption).toBeUndefined();
    expect(run(anchored, { uri: '/?ref=value' }).interruption?.status).toBe(403);
  });

  it('is refused when the backtracking fallback is off (strictRegex)', () => {
    expect(() => createWaf({ directives: `SecRule ARGS:/^(?!a)/ "@rx x" "id:1,phase:1,pass"`, strictRegex: true, onWarning: () => undefined }))
      .toThrow(/RE2 cannot compile this pattern .* backtracking regex fallback is disabled/);
  });

  it('a pattern neither engine compiles is refused with the directive\'s location', () => {
    expect(() => createWaf({ directives: `SecRule ARGS:/a(b/ "@rx x" "id:1,phase:1,pass"`, onWarning: () => undefined }))
      .toThrow(/:1:.*regular expression \/\(\?i\)a\(b\/: invalid regular expression/);
  });
});
