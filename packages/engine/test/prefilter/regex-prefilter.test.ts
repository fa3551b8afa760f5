import { patternRequirement, prefilterAllows, RegexPrefilter, triggersOf, type Candidates } from '../../src/prefilter/regex-prefilter';
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
    const original = prefilter.candidates.bind(prefilter);
    prefilter.candidates = (v: string): Candidates => {
      scans++;
      return original(v);
    };
    const sql = { text: 'select 1', candidates: undefined as Candidates | undefined };
    const xss = { text: '<script>', candidates: undefined as Candidates | undefined };
    expect(prefilterAllows(sql, { prefilter, index: 0 })).toBe(true);
    expect(prefilterAllows(sql, { prefilter, index: 1 })).toBe(false);
    expect(prefilterAllows(xss, { prefilter, index: 1 })).toBe(true);
    expect(prefilterAllows(xss, { prefilter, index: 0 })).toBe(false);
    expect(scans).toBe(2);
    const wide = { text: 'K\u212a', candidates: undefined as Candidates | undefined };
    expect(prefilterAllows(wide, { prefilter, index: 0 })).toBe(true);
    expect(prefilterAllows(wide, { prefilter, index: 1 })).toBe(true);
    expect(scans).toBe(3);
  });
});
