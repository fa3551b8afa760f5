import { BoundedRegexRunner } from '../../src/regex/bounded-runner';
import { BacktrackingCompileError, compileBacktracking } from '../../src/regex/backtracking-regex';
import { createWaf } from '../../src';
import { runTransaction } from '../engine/helpers';

const runner = new BoundedRegexRunner();
afterAll(() => runner.close());
const compile = (pattern: string, limitMs = 5000) => compileBacktracking(pattern, { runner, limitMs });

describe('backtracking regex engine', () => {
  it.each([
    ['a*+a', 'aaa', false],
    ['a*+b', 'aaab', true],
    ['(?>a|ab)c', 'abc', false],
    ['(?>ab|a)c', 'abc', true],
    ['x(?i:ab)c', 'xABc', true],
    ['x(?i:ab)c', 'xABC', false],
    ['x\\Z', 'x\n', true],
    ['x\\Z', 'x\ny', false],
    ['(\\w)\\1', 'hello', true],
    ['(\\w)\\1', 'helo', false],
    ['\\w(?=x)', '\xe9x', false],
    ['[\\x80-\\xff](?=x)', '\xe9x', true],
    ['(?=b)^b', 'a\nb', true],
    ['(?=b)^b', 'a\rb', false],
    ['a{1,2}+a', 'aa', false],
    ['\\s*+;', ' \x0b;', true],
  ])('%s on %j: %s', (pattern, input, expected) => {
    expect(compile(pattern).test(input)).toBe(expected);
  });

  it('returns groups and offsets like exec, and every match for scan', () => {
    const re = compile('(\\d)(?=\\d)');
    const m = re.exec('ab123')!;
    expect([...m]).toEqual(['1', '1']);
    expect(m.index).toBe(2);
    expect(re.exec('ab123', 3)!.index).toBe(3);
    const all: string[] = [];
    re.scan('12 34', (x) => void all.push(x[0]!));
    expect(all).toEqual(['1', '3']);
  });

  it('screens values with an RE2 superset (no helper call when it cannot match)', () => {
    const re = compile('(\\w+)=\\1');
    expect(re.screened).toBe(true);
    expect(re.test('no equals sign here')).toBe(false);
    expect(re.test('ab=ab')).toBe(true);
  });

  it('stops a catastrophic match at the limit, answers no match, and recovers', () => {
    const re = compileBacktracking('(a+)+b(?=c)', { runner, limitMs: 30 });
    expect(re.test(`${'a'.repeat(40)}b`)).toBe(false);
    expect(re.limitExceeded).toBe(true);
    // The helper thread was stopped; the next call starts a new one. (A generous limit: a loaded machine is slow.)
    const after = compileBacktracking('(a+)+b(?=c)', { runner, limitMs: 10_000 });
    expect(after.test('aabc')).toBe(true);
    expect(after.limitExceeded).toBe(false);
  });

  it('refuses what it cannot run, saying why', () => {
    expect(() => compile('(?|a|b)')).toThrow(BacktrackingCompileError);
    expect(() => compile('(?=a)\\3')).toThrow(BacktrackingCompileError);
  });
});

describe('backtracking limit through a transaction', () => {
  it('sets MSC_PCRE_ERROR, MSC_PCRE_LIMITS_EXCEEDED and TX:MSC_PCRE_LIMITS_EXCEEDED, and the rule does not match', () => {
    const warnings: string[] = [];
    const waf = createWaf({
      directives: [
        'SecRuleEngine On',
        'SecRule ARGS "@rx (a+)+b(?=c)" "id:1,phase:1,deny,log"',
        'SecRule MSC_PCRE_LIMITS_EXCEEDED "@eq 1" "id:2,phase:1,pass,log"',
        'SecRule TX:MSC_PCRE_LIMITS_EXCEEDED "@eq 1" "id:3,phase:1,pass,log"',
        'SecRule MSC_PCRE_ERROR "@eq 1" "id:4,phase:1,pass,log"',
      ].join('\n'),
      // 2^40 paths never finish; 500 ms leaves the benign request below time on a loaded machine.
      backtrackingRegexLimitMs: 500,
      onWarning: (w) => warnings.push(w.message),
    });
    expect(warnings.join('\n')).toMatch(/RE2 cannot compile this pattern \(lookahead\).*backtracking engine.*500 ms/);
    const { tx, interruption } = runTransaction(waf, { uri: `/?q=${'a'.repeat(40)}b` });
    expect(interruption).toBeUndefined();
    expect(tx.matchedRules.map((r) => r.id)).toEqual([2, 3, 4]);
    const ok = runTransaction(waf, { uri: '/?q=aabc' });
    expect(ok.interruption?.ruleId).toBe(1);
  });
});

describe('a transaction time budget for the backtracking engine', () => {
  const rules = [
    'SecRuleEngine On',
    'SecRule ARGS "@rx (\\w)\\1(?=c)" "id:1,phase:1,deny,log"',
    'SecRule ARGS "@rxGlobal (\\w)\\1(?=c)" "id:2,phase:1,deny,log"',
    'SecRule MSC_PCRE_LIMITS_EXCEEDED "@eq 1" "id:3,phase:1,pass,log"',
  ].join('\n');

  it('once spent, further matches answer no match at once and flag MSC_PCRE_LIMITS_EXCEEDED', () => {
    const waf = createWaf({ directives: rules, backtrackingRegexBudgetMs: 0, onWarning: () => undefined });
    const { tx, interruption } = runTransaction(waf, { uri: '/?q=aac' });
    expect(interruption).toBeUndefined();
    expect(tx.matchedRules.map((r) => r.id)).toEqual([3]);
    expect(tx.backtrackingMs).toBe(0);
  });

  it('within it, @rx and @rxGlobal match as before and the time spent is counted', () => {
    const waf = createWaf({ directives: rules.replace('id:1,phase:1,deny', 'id:1,phase:1,pass'), onWarning: () => undefined });
    const { tx, interruption } = runTransaction(waf, { uri: '/?q=aac' });
    expect(interruption?.ruleId).toBe(2);
    expect(tx.matchedRules.map((r) => r.id)).toEqual([1, 2]);
    expect(tx.backtrackingMs).toBeGreaterThan(0);
  });

  it('RE2 patterns never count against it', () => {
    const waf = createWaf({ directives: 'SecRuleEngine On\nSecRule ARGS "@rx aac" "id:1,phase:1,deny"', backtrackingRegexBudgetMs: 0 });
    const { tx, interruption } = runTransaction(waf, { uri: '/?q=aac' });
    expect(interruption?.ruleId).toBe(1);
    expect(tx.backtrackingMs).toBe(0);
  });
});
