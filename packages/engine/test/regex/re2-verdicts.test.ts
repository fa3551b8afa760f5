import { compileRegex } from '../../src/operators/regex';
import { Re2Verdicts } from '../../src/regex/re2-verdicts';

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
});
