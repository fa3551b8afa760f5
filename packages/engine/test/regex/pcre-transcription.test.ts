import RE2 from 're2';
import { PcreSyntaxError, transcribePcre } from '../../src/regex/pcre-transcription';

describe('transcribePcre: PCRE as libmodsecurity reads it, spelled for Oniguruma', () => {
  it.each([
    // ASCII shorthands and POSIX classes (Oniguruma's are Unicode)
    ['\\w\\d\\s', '[A-Za-z0-9_][0-9][\\t\\n\\x{0B}\\f\\r ]'],
    ['[[:alpha:]_]', '[a-zA-Z_]'],
    ['[^[:^digit:]]', '[^[^0-9]]'],
    // \h is horizontal space in PCRE, a hex digit in Oniguruma
    ['\\h', '[\\t \\x{A0}]'],
    // \xHH above 0x7F is one byte in PCRE, half a UTF-8 sequence in Oniguruma
    ['[\\x80-\\xff]', '[\\x{80}-\\x{FF}]'],
    // `[` and `&&` inside a class are literal in PCRE, nested class / intersection in Oniguruma
    ['[a[&&b]', '[a\\[\\&\\&b]'],
    // X{n,m}+ is possessive in PCRE, a repeated repeat in Oniguruma
    ['(ab){1,3}+c', '(?>(ab){1,3})c'],
    ['a*+b?+', 'a*+b?+'],
    // `{` that starts no quantifier is literal (Oniguruma would read {,3} as one)
    ['a{,3}', 'a\\{,3\\}'],
    // (?s) is Oniguruma's (?m); (?m) is already in force (ModSecurity compiles with MULTILINE)
    ['(?s-m:.$)', '(?m:.\\Z)'],
    ['(?i)a(?i:b)', '(?i)a(?i:b)'],
    // backreferences and names
    ['(a)\\1\\g{-1}(?P<n>x)(?P=n)', '(a)\\k<1>\\k<-1>(?<n>x)\\k<n>'],
    ['\\Qa.b\\E', 'a\\.b'],
    ['(?#comment)a', 'a'],
    ['[\\w-.]', '[A-Za-z0-9_\\-\\.]'],
  ])('%s -> %s', (pcre, onig) => {
    expect(transcribePcre(pcre).oniguruma).toBe(onig);
  });

  it('writes an RE2 pattern that matches a superset (lookarounds dropped, backreferences as .*)', () => {
    const t = transcribePcre('^(\\w+)=(?!x)\\1(?<=z)$');
    expect(t.re2Superset).toBe('^([A-Za-z0-9_]+)=(?:)(?s:.*)(?:)$');
    expect(new RE2(t.re2Superset!, 'sm').test('az=az')).toBe(true);
    expect(t.constructs).toEqual(expect.arrayContaining(['backreference', 'lookahead', 'lookbehind']));
  });

  it('has no superset for recursion or \\G', () => {
    expect(transcribePcre('a(?R)?b').re2Superset).toBeUndefined();
    expect(transcribePcre('\\Ga').re2Superset).toBeUndefined();
  });

  it('refuses what it cannot read as PCRE does, naming it', () => {
    expect(() => transcribePcre('(?|a)')).toThrow(/branch reset/);
    expect(() => transcribePcre('(?(1)a|b)')).toThrow(/conditional/);
    expect(() => transcribePcre('\\x{100}')).toThrow(/at most \\xFF/);
    expect(() => transcribePcre('(?U)a')).toThrow(PcreSyntaxError);
    expect(() => transcribePcre('(a')).toThrow(/missing closing/);
    expect(() => transcribePcre('\\i')).toThrow(/unrecognised escape/);
  });
});
