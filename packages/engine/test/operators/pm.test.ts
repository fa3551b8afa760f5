import { compileOperator, OperatorCompileError } from '../../src/operators';
import { parsePmPhrases } from '../../src/operators/pm';

describe('@pm', () => {
  // Vectors from owasp-modsecurity/secrules-language-tests operators/pm.json (as copied by Coraza).
  it.each([
    ['TestCase', '', false],
    ['abc', 'abcdefghi', true],
    ['def', 'abcdefghi', true],
    ['ghi', 'abcdefghi', true],
    ['ghij', 'abcdefghi', false],
    ['abc def ghi', 'abcxxxyyy', true],
    ['abc def ghi', 'xxxabcyyy', true],
    ['abc def ghi', 'xxxyyyabc', true],
    ['abc def ghi', 'defxxxyyy', true],
    ['abc def ghi', 'xxxyyyghi', true],
    ['A|42|C|44|F', 'ABCDF', true],
    ['A|42|C|44|F', 'abcdf', true],
    ['A|42|C|44|F', 'AXYF', false],
    ['|0d 0a|', 'test\r\ndata', true],
    ['hello|01|world', 'hello\x01world', true],
  ])('@pm %j on %j -> %s', (param, input, expected) => {
    expect(compileOperator('pm', param)(input)).toBe(expected);
  });

  it('handles a thousand phrases', () => {
    const phrases = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0')).join(' ');
    expect(compileOperator('pm', phrases)('xxxyyy999')).toBe(true);
    expect(compileOperator('pm', phrases)('xxxyyy')).toBe(false);
  });

  it('is case-insensitive for ASCII only', () => {
    expect(compileOperator('pm', 'SELECT')('xx select')).toBe(true);
    expect(compileOperator('pm', '\xe9t\xe9')('\xc9T\xc9')).toBe(false);
    expect(compileOperator('pm', '\xe9t\xe9')('\xe9T\xe9')).toBe(true);
  });

  it('matches a one-character phrase at the very start (fixed in ModSecurity v3, `rc >= 0`)', () => {
    expect(compileOperator('pm', '( )')('(select')).toBe(true);
    expect(compileOperator('pm', '?>')('?>')).toBe(true);
  });

  it('finds phrases the fail links must reach (overlapping prefixes)', () => {
    expect(compileOperator('pm', 'abcd bcx cxy')('abcxy')).toBe(true);
    expect(compileOperator('pm', 'aab ab')('aaab')).toBe(true);
    expect(compileOperator('pm', 'he she his hers')('ushers')).toBe(true);
  });

  it('captures the first phrase found, spelled as in the rule', () => {
    const captures: string[] = [];
    expect(compileOperator('pm', 'Gzip DEFLATE')('accept: deflate, gzip', { captures })).toBe(true);
    expect(captures[0]).toBe('DEFLATE');
    const c2: string[] = [];
    // Earliest end wins; at the same end the longest phrase.
    compileOperator('pm', 'cd abcd')('xabcdx', { captures: c2 });
    expect(c2[0]).toBe('abcd');
    const c3: string[] = [];
    compileOperator('pm', 'bcde c')('abcdef', { captures: c3 });
    expect(c3[0]).toBe('c');
  });

  it('matches NUL and high bytes in input', () => {
    expect(compileOperator('pm', '|00|x')('a\x00x')).toBe(true);
    expect(compileOperator('pm', '|ff|')('a\xffb')).toBe(true);
    expect(compileOperator('pm', 'abc')('')).toBe(false);
  });

  it('parses quotes, escapes, hex blocks and whitespace like ModSecurity', () => {
    expect(parsePmPhrases('"abc def"')).toEqual(['abc', 'def']);
    expect(parsePmPhrases('  a\\:b \\"c')).toEqual(['a:b', '"c']);
    expect(parsePmPhrases('a|20|b c')).toEqual(['a b', 'c']);
    expect(parsePmPhrases('|0d 0a| x')).toEqual(['\r\n', 'x']);
    expect(parsePmPhrases('a\tb\nc')).toEqual(['a', 'b', 'c']);
    // An unsupported escape makes ModSecurity fall back to the raw text.
    expect(parsePmPhrases('a\\x b|41|')).toEqual(['a\\x', 'b|41|']);
    // Macros are not expanded.
    expect(compileOperator('pm', '%{tx.x}', { macros: { 'TX.x': 'abc' } })('abc')).toBe(false);
    expect(compileOperator('pm', '%{tx.x}')('%{tx.x}')).toBe(true);
  });

  it('refuses an empty list and malformed hex blocks', () => {
    expect(() => compileOperator('pm', '')).toThrow(OperatorCompileError);
    expect(() => compileOperator('pm', '   ')).toThrow(/at least one phrase/);
    expect(() => compileOperator('pm', 'a|4|')).toThrow(/odd number of hex digits/);
    expect(() => compileOperator('pm', 'a|zz|')).toThrow(/not a hex digit/);
    expect(() => compileOperator('pm', 'a|41')).toThrow(/unterminated/);
  });

  it('stays linear on long hostile input', () => {
    const m = compileOperator('pm', 'a'.repeat(50) + 'b');
    const start = Date.now();
    expect(m('a'.repeat(1_000_000))).toBe(false);
    expect(Date.now() - start).toBeLessThan(15_000); // a hang guard, loose enough for a loaded CI machine
  });
});
