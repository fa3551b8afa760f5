import { compileRegex } from '../../src/operators/regex';
import { Re2Verdicts } from '../../src/regex/re2-verdicts';
import { CompileMemo } from '../../src/compile-memo/compile-memo';

const ctx = (re2Verdicts: Re2Verdicts) => ({ warn: () => undefined, options: { allowBacktrackingRegex: true, allowInspectFile: false, re2Verdicts } });

describe('Re2Verdicts', () => {
  it('answers from what the operators compiled, without compiling again', () => {
    const verdicts = new Re2Verdicts();
    // A recorded answer is believed: were it compiled again, this lookbehind would say false.
    verdicts.record('(?<=a)b', true);
    expect(verdicts.compiles('(?<=a)b')).toBe(true);
  });

  it('learns from compileRegex: RE2 patterns compile, the backtracking fallback ones do not', () => {
    const verdicts = new Re2Verdicts();
    compileRegex('a\\s+b', '@rx', ctx(verdicts));
    compileRegex('(?<=a)b', '@rx', ctx(verdicts));
    // The source is the one RE2 was given (\s widened to PCRE's, with VT).
    expect(verdicts.compiles('a[\\s\\x0b]+b')).toBe(true);
    expect(verdicts.compiles('(?<=a)b')).toBe(false);
  });

  it('compiles a pattern no one has asked about', () => {
    const verdicts = new Re2Verdicts();
    expect(verdicts.compiles('^abc$')).toBe(true);
    expect(verdicts.compiles('(a')).toBe(false);
  });

  it('with a memo, knows at once what an earlier load learnt, and compiles such patterns on first use', () => {
    const memo = new CompileMemo();
    const first = new Re2Verdicts(memo);
    compileRegex('a\\d+b', '@rx', ctx(first));
    compileRegex('(?<=a)b', '@rx', ctx(first));
    const later = new Re2Verdicts(memo);
    expect(later.remembered('a\\d+b')).toBe(true);
    expect(later.remembered('(?<=a)b')).toBe(false);
    expect(later.remembered('never seen')).toBeUndefined();
    const lazy = compileRegex('a\\d+b', '@rx', ctx(later));
    expect(lazy.engine).toBe('re2');
    expect(lazy.test('xa12b')).toBe(true);
    expect(lazy.exec('xa12b')?.index).toBe(1);
    expect(lazy.spans('xa12b')).toEqual([1, 4]);
    expect(lazy.test('ab')).toBe(false);
    // What RE2 refused still goes to the backtracking engine, with its warning.
    const warnings: string[] = [];
    const fallback = compileRegex('(?<=a)b', '@rx', { ...ctx(later), warn: (m: string) => warnings.push(m) });
    expect(fallback.engine).toBe('backtracking');
    expect(warnings).toHaveLength(1);
  });
});
