import RE2 from 're2';
import { withPcreSpaces } from '../../src/operators/regex';
import { patternRequirement, worthPrefiltering } from '../../src/prefilter/regex-prefilter';
import { parseRegex } from '../../src/prefilter/regex-syntax';
import { atomsOf, foldLatin1, requirementOf, type Requirement } from '../../src/prefilter/requirements';

/** `true`, `"atom"`, and(..) / or(..) with parts sorted, so vectors do not depend on construction order. */
function fmt(r: Requirement): string {
  if (r === true) return 'true';
  if (r.op === 'atom') return JSON.stringify(r.text);
  return `${r.op}(${r.parts.map(fmt).sort().join(', ')})`;
}

/** The requirement of a pattern as the engine computes it (PCRE spaces included). */
const req = (pattern: string): string => fmt(requirementOf(parseRegex(withPcreSpaces(pattern))));

describe('requirementOf', () => {
  test.each([
    ['abc', '"abc"'],
    ['<script|javascript:', 'or("<script", "javascript:")'],
    ['a*', 'true'],
    ['a?', 'true'],
    ['x?y', '"y"'],
    // `xyz` contains `yz`: the alternation reduces to the shorter string.
    ['x?yz', '"yz"'],
    ['', 'true'],
    ['^$', 'true'],
    ['.', 'true'],
    ['.+', 'true'],
    ['a+', '"a"'],
    ['(?:abc)+', '"abc"'],
    // n repetitions in a row contain n copies in a row; exact when the count is fixed.
    ['(?:abc){2,4}', '"abcabc"'],
    ['\\.{2,3}/', 'and("..", "/")'],
    ['a{3}b', '"aaab"'],
    ['(?:ab|cd){2,}x', 'and("x", or("abab", "abcd", "cdab", "cdcd"))'],
    ['(?:abc){0,4}', 'true'],
    ['(?:abc){0}', 'true'],
    ['ab|', 'true'],
    ['(?:ab|)cd', '"cd"'],
    // Case folding: upper case and latin1 capitals fold to lower case.
    ['ABC', '"abc"'],
    ['\\xC9t\\xC9', '"\u00e9t\u00e9"'],
    ['\u00c0', '"\u00e0"'],
    // × (0xD7) has no lower case.
    ['\u00d7x', '"\u00d7x"'],
    // Substring absorption in an alternation: containing `ab` is implied by containing `xaby`.
    ['ab|xaby', '"ab"'],
    ['(?:select|selected)\\(', 'or("select(", "selected(")'],
    ['sel|select|union', 'or("sel", "union")'],
    // Small classes are expanded into exact strings; large ones require nothing.
    ['[ab]c', 'or("ac", "bc")'],
    ['[Aa]c', '"ac"'],
    ['\\dx', 'or("0x", "1x", "2x", "3x", "4x", "5x", "6x", "7x", "8x", "9x")'],
    ['[a-l]x', 'or("ax", "bx", "cx", "dx", "ex", "fx", "gx", "hx", "ix", "jx", "kx", "lx")'],
    ['[a-m]x', '"x"'],
    ['\\wx', '"x"'],
    ['[^a]x', '"x"'],
    ['\\pLx', '"x"'],
    ['[a\\x{100}]x', '"x"'],
    ['\\x{100}x', '"x"'],
    // Exact strings multiply through a concatenation up to 32, then an AND starts.
    ['[ab][cd]x', 'or("acx", "adx", "bcx", "bdx")'],
    // Anchors and assertions neither help nor hurt.
    ['^abc$', '"abc"'],
    ['\\babc\\b', '"abc"'],
    // CRS-like shapes.
    ['(?i)<script[^>]*>', 'and("<script", ">")'],
    ['union\\s+', 'and("union", or(" ", "\\f", "\\n", "\\r", "\\t", "\\u000b"))'],
    ['\\.\\./', '"../"'],
    ['(?:\\$|%24)\\{', 'or("${", "%24{")'],
  ])('%s -> %s', (pattern, expected) => {
    expect(req(pattern)).toBe(expected);
  });

  // Regression: concatenation used to fold left, so a literal after a part without exact strings (`\s+`, `.*`)
  // became one-character atoms (and(union, ws, s, e, l, e, c, t)), leaving such patterns only one-letter triggers.
  test.each([
    ['(?i)union\\s+select', 'and("select", "union", or(" ", "\\f", "\\n", "\\r", "\\t", "\\u000b"))'],
    ['a.*select', 'and("a", "select")'],
  ])('a literal after a non-exact part stays one string: %s -> %s', (pattern, expected) => {
    expect(req(pattern)).toBe(expected);
  });

  test('\\s+select is worth prefiltering (needs `select`)', () => {
    expect(worthPrefiltering(patternRequirement(withPcreSpaces('\\s+select'))!)).toBe(true);
  });

  test('an OR of alternatives too many to track stays a disjunction of their requirements', () => {
    // No word contains another (absorption would rightly drop it).
    const words = Array.from({ length: 40 }, (_, i) => `kw${i}z`);
    const r = requirementOf(parseRegex(words.join('|')));
    expect(r).not.toBe(true);
    expect([...atomsOf(r)].sort()).toEqual([...words].sort());
  });

  test('atomsOf lists every atom once', () => {
    const r = requirementOf(parseRegex('(?:foo|bar)baz.*(?:foo|qux)'));
    expect([...atomsOf(r)].sort()).toEqual(['barbaz', 'foo', 'foobaz', 'qux']);
  });
});

describe('foldLatin1', () => {
  test('folds A-Z and À-Þ except ×, and nothing else', () => {
    const folded: string[] = [];
    for (let c = 0; c < 256; c++) if (foldLatin1(c) !== c) folded.push(String.fromCharCode(c));
    const expected = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' + 'ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ';
    expect(folded.join('')).toBe(expected);
    for (const ch of expected) expect(String.fromCharCode(foldLatin1(ch.charCodeAt(0)))).toBe(ch.toLowerCase());
    expect(foldLatin1(0xd7)).toBe(0xd7);
    expect(foldLatin1(0xdf)).toBe(0xdf);
    expect(foldLatin1(0xff)).toBe(0xff);
  });

  test("agrees with RE2's (?i) on every pair of latin1 characters", () => {
    const disagreements: string[] = [];
    for (let c = 0; c < 256; c++) {
      const re = new RE2(`(?i)^\\x{${c.toString(16)}}$`, 'sm');
      for (let d = 0; d < 256; d++) {
        const same = foldLatin1(c) === foldLatin1(d);
        if (re.test(String.fromCharCode(d)) !== same) disagreements.push(`${c.toString(16)}/${d.toString(16)}`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});

describe('patternRequirement and worthPrefiltering', () => {
  test('patterns that require nothing, or cannot be analysed, get no requirement', () => {
    expect(patternRequirement('a*')).toBeUndefined();
    expect(patternRequirement('.')).toBeUndefined();
    expect(patternRequirement('(?=a)b')).toBeUndefined();
    expect(patternRequirement('\\h')).toBeUndefined();
    expect(patternRequirement('select')).toEqual({ op: 'atom', text: 'select' });
  });

  test('a requirement triggered by a single letter or digit is not worth it', () => {
    expect(worthPrefiltering(patternRequirement('a\\d+')!)).toBe(false);
    expect(worthPrefiltering(patternRequirement('1[xy]+')!)).toBe(false);
    expect(worthPrefiltering(patternRequirement('union.*select')!)).toBe(true);
    // A single punctuation character is selective enough.
    expect(worthPrefiltering(patternRequirement('<')!)).toBe(true);
    // The AND is triggered by its most selective part only.
    expect(worthPrefiltering(patternRequirement('select.*a')!)).toBe(true);
  });
});
