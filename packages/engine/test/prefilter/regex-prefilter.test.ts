import { patternRequirement, prefilterAllows, RegexPrefilter, triggersOf, type Candidates, type ValueAnalysis } from '../../src/prefilter/regex-prefilter';
import type { Requirement } from '../../src/prefilter/requirements';

const req = (pattern: string): Exclude<Requirement, true> => {
  const r = patternRequirement(pattern);
  if (r === undefined) throw new Error(`no requirement for ${pattern}`);
  return r;
};

const sorted = (c: Candidates): number[] | null => (c === null ? null : [...c].sort((a, b) => a - b));

describe('RegexPrefilter', () => {
  const patterns = ['(?i)union.*select', '<script|javascript:', '\\.\\./', 'select', '(?:a|b)(?:cd|ef)', '(?i)\u00e9t\u00e9'];
  const prefilter = new RegexPrefilter(patterns.map(req));

  test.each([
    ['nothing to see', []],
    ['', []],
    ['UNION all SELECT 1', [0, 3]],
    ['select without the other', [3]],
    ['union only', []],
    ['<SCRIPT>', [1]],
    ['JavaScript:alert(1)', [1]],
    ['../../etc', [2]],
    ['xbefx', [4]],
    ['acd', [4]],
    ['ad', []],
    ['\u00c9T\u00c9', [5]],
  ])('candidates(%j) = %j', (value, expected) => {
    expect(sorted(prefilter.candidates(value))).toEqual(expected);
  });

  test('a value with a character above 0xFF makes every pattern a candidate', () => {
    expect(prefilter.candidates('\u212a')).toBeNull();
    expect(prefilter.candidates('union select \u017f')).toBeNull();
  });

  test('answers stay right across many values and the stamp wrap-around', () => {
    const p = new RegexPrefilter([req('abc'), req('x.*yz')]);
    const internals = p as unknown as { stamp: number };
    internals.stamp = 0x7ffffffe;
    for (let i = 0; i < 6; i++) {
      expect(sorted(p.candidates('abc yz x'))).toEqual([0, 1]);
      expect(sorted(p.candidates('ab'))).toEqual([]);
      expect(sorted(p.candidates('yz'))).toEqual([]);
      // The requirement is about containment, not order: `yzx` has both `x` and `yz`.
      expect(sorted(p.candidates('yzx'))).toEqual([1]);
    }
    expect(internals.stamp).toBeLessThan(100);
  });

  test('shares equal sub-requirements between patterns without mixing their answers', () => {
    const p = new RegexPrefilter([req('foo.*bar'), req('foo.*bar'), req('bar.*foo|qux'), req('foo')]);
    expect(sorted(p.candidates('foo bar'))).toEqual([0, 1, 2, 3]);
    expect(sorted(p.candidates('qux'))).toEqual([2]);
    expect(sorted(p.candidates('foo'))).toEqual([3]);
  });

  test('an AND is triggered by its most selective part, an OR by all of its parts', () => {
    expect(triggersOf(req('<.*select')).atoms).toEqual(['select']);
    expect(triggersOf(req('abc|<x|\\.\\./')).atoms.sort()).toEqual(['../', '<x', 'abc']);
  });
});

describe('prefilterAllows', () => {
  test("answers from the value's state, scanning each value once", () => {
    const prefilter = new RegexPrefilter([req('select'), req('<script')]);
    let scans = 0;
    const original = prefilter.analyse.bind(prefilter);
    prefilter.analyse = (v: string): ValueAnalysis | null => {
      scans++;
      return original(v);
    };
    const state = (text: string): { text: string; analysis: ValueAnalysis | null | undefined } => ({ text, analysis: undefined });
    const sql = state('select 1');
    const xss = state('<script>');
    expect(prefilterAllows(sql, { prefilter, index: 0 })).toBe(true);
    expect(prefilterAllows(sql, { prefilter, index: 1 })).toBe(false);
    expect(prefilterAllows(xss, { prefilter, index: 1 })).toBe(true);
    expect(prefilterAllows(xss, { prefilter, index: 0 })).toBe(false);
    expect(scans).toBe(2);
    const wide = state('K\u212a');
    expect(prefilterAllows(wide, { prefilter, index: 0 })).toBe(true);
    expect(prefilterAllows(wide, { prefilter, index: 1 })).toBe(true);
    expect(scans).toBe(3);
  });

  test('answers stay right when questions about several values interleave', () => {
    // Requirements are evaluated lazily against the atoms of the value asked about, which must be reloaded
    // whenever the question switches value.
    const patterns = ['a.*bcd', 'bcd|xyz', 'xyz.*a'];
    const prefilter = new RegexPrefilter(patterns.map(req));
    // Among them values with no atom at all and values the scanner refuses (a character above 0xFF): analysing
    // those must not leave the previous value's atoms looking loaded.
    const values = ['a bcd', 'xyz', 'xyz a', 'bcd', 'nothing', 'a xyz bcd', '', '\u20ac xyz a', 'qqq'];
    const states = values.map((text) => ({ text, analysis: undefined as ValueAnalysis | null | undefined }));
    const expected = values.map((v) => [0, 1, 2].map((i) => prefilter.candidates(v)?.includes(i) ?? true));
    let seed = 3;
    for (let n = 0; n < 2000; n++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const v = seed % values.length;
      // Now and then a value is analysed afresh (a new transaction's record) between questions.
      if ((seed >>> 3) % 7 === 0) states[v] = { text: values[v]!, analysis: undefined };
      const i = (seed >>> 8) % 3;
      expect([values[v], i, prefilterAllows(states[v]!, { prefilter, index: i })]).toEqual([values[v], i, expected[v]![i]]);
    }
  });
});

describe('patternRequirement on extreme patterns', () => {
  test('the deepest nesting RE2 accepts is analysed without throwing', () => {
    let pattern = 'select';
    for (let i = 0; i < 999; i++) pattern = `(?:${pattern}|union)x`;
    const r = patternRequirement(pattern);
    expect(r).toBeDefined();
    const prefilter = new RegexPrefilter([r!]);
    expect(prefilter.candidates('nothing to see')).toEqual([]);
    expect(prefilter.candidates('unionx')).toEqual([0]);
  });
});
