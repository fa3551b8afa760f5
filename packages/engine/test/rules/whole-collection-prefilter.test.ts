import { createWaf } from '../../src';
import { runTransaction } from '../engine/helpers';

/**
 * A prefiltered `@rx` rule can rule out a whole request collection at once (rules/evaluate.ts mayMatchAny).
 * These scenarios pin what must still happen: a match among many values is found, negation, exclusions and
 * selectors still see every value, and a collection that grows between phases is looked at again.
 */
describe('prefiltered rules over whole collections', () => {
  const body = (n: number, extra: string): string => [...Array.from({ length: n }, (_, i) => `k${i}=value${i}`), extra].join('&');

  function matched(directives: string, uri: string, postBody?: string): number[] {
    const waf = createWaf({ directives: `SecRuleEngine On\nSecRequestBodyAccess On\n${directives}`, onWarning: () => undefined });
    const { tx } = runTransaction(waf, {
      method: postBody === undefined ? 'GET' : 'POST',
      uri,
      headers: [
        ['Host', 'example.com'],
        ['Content-Type', 'application/x-www-form-urlencoded'],
      ],
      ...(postBody !== undefined ? { body: postBody } : {}),
    });
    return tx.matchedRules.map((r) => r.id);
  }

  test('one matching value among hundreds is found, and none means no match', () => {
    const rule = 'SecRule ARGS "@rx (?i)union\\s+select" "id:10,phase:2,pass,log"';
    expect(matched(rule, '/', body(300, 'q=1 UNION SELECT 2'))).toEqual([10]);
    expect(matched(rule, '/', body(300, 'q=nothing here'))).toEqual([]);
  });

  test('a negated pattern matches the values that lack its text', () => {
    expect(matched('SecRule ARGS "!@rx (?i)union\\s+select" "id:11,phase:2,pass,log"', '/', body(50, 'q=plain'))).toEqual([11]);
  });

  test('exclusions and key selectors still apply', () => {
    const attack = body(20, 'q=1 union select 2');
    expect(matched('SecRule ARGS|!ARGS:q "@rx (?i)union\\s+select" "id:12,phase:2,pass,log"', '/', attack)).toEqual([]);
    expect(matched('SecRule ARGS:q "@rx (?i)union\\s+select" "id:13,phase:2,pass,log"', '/', attack)).toEqual([13]);
    expect(matched('SecRule ARGS:k3 "@rx (?i)union\\s+select" "id:14,phase:2,pass,log"', '/', attack)).toEqual([]);
  });

  test('ARGS seen in phase 1 is looked at again in phase 2 once the body added to it', () => {
    const rules = [
      'SecRule ARGS "@rx (?i)union\\s+select" "id:20,phase:1,pass,log"',
      'SecRule ARGS "@rx (?i)union\\s+select" "id:21,phase:2,pass,log"',
    ].join('\n');
    expect(matched(rules, '/?a=1&b=2', 'q=1 union select 2')).toEqual([21]);
    expect(matched(rules, '/?a=1+union+select+2', 'q=3')).toEqual([20, 21]);
  });

  test('the same values under different transformations are judged by their transformed forms', () => {
    const rules = [
      'SecRule ARGS "@rx union select" "id:30,phase:2,pass,log,t:none"',
      'SecRule ARGS "@rx union select" "id:31,phase:2,pass,log,t:none,t:lowercase"',
    ].join('\n');
    expect(matched(rules, '/', body(40, 'q=UNION SELECT'))).toEqual([31]);
  });

  test('with multiMatch every step of the transformations counts, not only the last', () => {
    // Only the untransformed value has the space the pattern needs: removeWhitespace takes it away.
    const rule = 'SecRule ARGS "@rx union select" "id:40,phase:2,pass,log,t:none,t:removeWhitespace,multiMatch"';
    expect(matched(rule, '/', body(60, 'q=union select'))).toEqual([40]);
    expect(matched(rule.replace(',multiMatch', ''), '/', body(60, 'q=union select'))).toEqual([]);
  });
});
