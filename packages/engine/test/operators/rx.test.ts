import { compileOperator, OperatorCompileError } from '../../src/operators';

describe('@rx', () => {
  it('matches anywhere, DOTALL and MULTILINE like ModSecurity v3', () => {
    expect(compileOperator('rx', 'b.c')('ab\ncd')).toBe(true);
    expect(compileOperator('rx', '^cd$')('ab\ncd\nef')).toBe(true);
    expect(compileOperator('rx', '^ab$')('abc')).toBe(false);
    expect(compileOperator('rx', 'xyz')('abc')).toBe(false);
  });

  it('treats the input as bytes (latin1), including bytes >= 0x80 and NUL', () => {
    expect(compileOperator('rx', '\\xff\\x00')('a\xff\x00b')).toBe(true);
    expect(compileOperator('rx', '[^\\x00-\\x7f]')('abc\x80')).toBe(true);
    expect(compileOperator('rx', '^.$')('\xe9')).toBe(true);
    expect(compileOperator('rx', '\\x00')('abc')).toBe(false);
  });

  it('keeps a leading (?i) and supports \\z', () => {
    expect(compileOperator('rx', '(?i)select')('SeLeCt')).toBe(true);
    expect(compileOperator('rx', 'select')('SELECT')).toBe(false);
    expect(compileOperator('rx', 'a\\z')('ba')).toBe(true);
    expect(compileOperator('rx', 'a\\z')('baz')).toBe(false);
  });

  it('an empty pattern matches everything, including empty input', () => {
    expect(compileOperator('rx', '')('')).toBe(true);
    expect(compileOperator('rx', '')('x')).toBe(true);
  });

  it('stores groups 0-9 with capture, leaving non-participating groups untouched', () => {
    const captures: string[] = [];
    expect(compileOperator('rx', '(a)|(b)(c)?')('xbz', { captures })).toBe(true);
    expect(captures[0]).toBe('b');
    expect(captures[1]).toBeUndefined();
    expect(captures[2]).toBe('b');
    expect(captures[3]).toBeUndefined();
    const many: string[] = [];
    compileOperator('rx', '(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)')('abcdefghijk', { captures: many });
    expect(many).toHaveLength(10);
    expect(many[9]).toBe('i');
  });

  it('does not capture without the capture action', () => {
    expect(compileOperator('rx', '(a)')('a', { captures: null })).toBe(true);
  });

  it('expands macros in the pattern at run time', () => {
    const m = compileOperator('rx', '^%{tx.prefix}-\\d+$', { macros: { 'TX.prefix': 'id' } });
    expect(m('id-42')).toBe(true);
    expect(m('xx-42')).toBe(false);
    expect(m('xx-42', { resolve: () => 'xx' })).toBe(true);
    // A pattern that does not compile at run time never matches.
    expect(m('a', { resolve: () => '(' })).toBe(false);
  });

  it('falls back to a backtracking engine for lookarounds, with a warning naming the construct', () => {
    const warnings: string[] = [];
    const m = compileOperator('rx', '^(?:5|4(?!04))', { onWarning: (w) => warnings.push(w) });
    expect(m('500')).toBe(true);
    expect(m('403')).toBe(true);
    expect(m('404')).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/lookahead/);
    const backref = compileOperator('rx', '(\\w)\\1');
    expect(backref('hello')).toBe(true);
    expect(backref('helo')).toBe(false);
  });

  it('the fallback keeps PCRE semantics: \\s without \\xa0, leading (?i), \\A and \\z', () => {
    expect(compileOperator('rx', '(?=a)\\s')('\xa0')).toBe(false);
    expect(compileOperator('rx', '(?i)(?=A)a\\sb')('A\x0bB')).toBe(true);
    expect(compileOperator('rx', '(?<=x)\\Ay')('xy')).toBe(false);
    expect(compileOperator('rx', '(?<=x)y\\z')('xy')).toBe(true);
    expect(compileOperator('rx', '(?<=x)y\\z')('xy\n')).toBe(false);
    expect(compileOperator('rx', '(?=[[:digit:]])\\d+[]a]')('12]')).toBe(true);
  });

  it('refuses the fallback when backtracking regexes are disallowed', () => {
    const compile = () =>
      compileOperator('rx', '^(?:5|4(?!04))', { options: { allowBacktrackingRegex: false, allowInspectFile: false } });
    expect(compile).toThrow(OperatorCompileError);
    expect(compile).toThrow(/RE2 cannot compile.*lookahead.*disabled/);
  });

  it('runs what native RegExp lacks on the backtracking engine: atomic groups, possessive quantifiers, inline flags', () => {
    expect(compileOperator('rx', '(?=a)(?>ab|a)c')('abc')).toBe(true);
    expect(compileOperator('rx', '(?=a)(?>a|ab)c')('abc')).toBe(false);
    expect(compileOperator('rx', '(?=a)a++a')('aaa')).toBe(false);
    expect(compileOperator('rx', '(?=x)x(?i)y')('xY')).toBe(true);
    expect(compileOperator('rx', '(?=x)x(?i)y')('XY')).toBe(false);
  });

  it('refuses what neither engine can express, naming it', () => {
    expect(() => compileOperator('rx', '(?=a)(?|a|b)')).toThrow(/branch reset/);
    expect(() => compileOperator('rx', '(?=a)\\p{L}')).toThrow(/\\p/);
    expect(() => compileOperator('rx', '(')).toThrow(OperatorCompileError);
  });

  it('never throws on hostile input', () => {
    const m = compileOperator('rx', '(a+)+$');
    expect(m('a'.repeat(100000) + '!')).toBe(false);
  });
});

describe('@rx backtracking fallback line anchors', () => {
  it('breaks lines at LF only, like PCRE MULTILINE (not at CR)', () => {
    expect(compileOperator('rx', '(?=b)^b')('a\nb')).toBe(true);
    expect(compileOperator('rx', '(?=b)^b')('a\rb')).toBe(false);
    expect(compileOperator('rx', 'a$(?!x)')('a\rb')).toBe(false);
    expect(compileOperator('rx', 'a$(?!x)')('a\nb')).toBe(true);
    expect(compileOperator('rx', '^(?!x)a$')('a')).toBe(true);
    expect(compileOperator('rx', '(?!x)[$^]')('^')).toBe(true);
  });
});

describe('@rx whitespace classes', () => {
  it('\\s includes VT (0x0B) as in PCRE 8.34+ / PCRE2, unlike plain RE2', () => {
    expect(compileOperator('rx', 'a\\sb')('a\x0bb')).toBe(true);
    expect(compileOperator('rx', 'a[\\s,]b')('a\x0bb')).toBe(true);
    expect(compileOperator('rx', 'a[^\\s]b')('a\x0bb')).toBe(false);
    expect(compileOperator('rx', 'a\\Sb')('a\x0bb')).toBe(false);
    expect(compileOperator('rx', 'a\\Sb')('axb')).toBe(true);
    expect(compileOperator('rx', 'a\\s+b')('a \t\r\n\f\x0bb')).toBe(true);
    // \xa0 is not a space in PCRE's C locale.
    expect(compileOperator('rx', 'a\\sb')('a\xa0b')).toBe(false);
    // Escaped backslashes, literal ] at the start of a class and \Q...\E are left alone.
    expect(compileOperator('rx', 'a\\\\s')('a\\s')).toBe(true);
    expect(compileOperator('rx', '[]\\s]')('\x0b')).toBe(true);
    expect(compileOperator('rx', '\\Q\\s\\E')('\\s')).toBe(true);
  });
});
