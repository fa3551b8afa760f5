import RE2 from 're2';
import { parseRegex, UnsupportedSyntax, type RegexNode } from '../../src/prefilter/regex-syntax';

/** A compact rendering of the tree: chars as text, sets as [members], ANY for any character, `ε` empty, x{min,max}. */
function show(node: RegexNode): string {
  switch (node.kind) {
    case 'char':
      return node.code >= 0x20 && node.code < 0x7f ? String.fromCharCode(node.code) : `\\x{${node.code.toString(16)}}`;
    case 'set': {
      const members: string[] = [];
      for (let c = 0; c < 256; c++) if (node.members[c]) members.push(c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x{${c.toString(16)}}`);
      return `[${members.join('')}${node.wide ? '+wide' : ''}]`;
    }
    case 'any':
      return 'ANY';
    case 'empty':
      return 'ε';
    case 'concat':
      return `(${node.parts.map(show).join(' ')})`;
    case 'alternate':
      return `(${node.options.map(show).join('|')})`;
    case 'repeat':
      return `${show(node.node)}{${node.min},${node.max === Infinity ? '' : node.max}}`;
  }
}

const parsed = (p: string): string => show(parseRegex(p));

describe('parseRegex', () => {
  test.each([
    // Literals and escapes.
    ['abc', '(a b c)'],
    ['a', 'a'],
    ['\\x41', 'A'],
    ['\\x{41}', 'A'],
    ['\\x{263a}', '\\x{263a}'],
    ['\\n\\t\\r\\f\\v\\a', '(\\x{a} \\x{9} \\x{d} \\x{c} \\x{b} \\x{7})'],
    ['\\.', '.'],
    ['\\.\\*\\\\', '(. * \\)'],
    ['\\Qa.b*\\E', '(a . b *)'],
    ['\\Qa.b', '(a . b)'],
    ['x\\Q\\Ey', '(x y)'],
    ['}', '}'],
    [']', ']'],
    // `{` that is not a counted repetition is a literal.
    ['a{', '(a {)'],
    ['a{,3}', '(a { , 3 })'],
    ['a{1,2,3}', '(a { 1 , 2 , 3 })'],
    ['x{ 2}', '(x {   2 })'],
    ['a{x}', '(a { x })'],
    // Classes.
    ['[abc]', '[abc]'],
    ['[a-e]', '[abcde]'],
    ['[]a]', '[]a]'],
    ['[^]a]', 'ANY'],
    ['[^a]', 'ANY'],
    ['[a-]', '[-a]'],
    ['[-a]', '[-a]'],
    ['[\\]\\-]', '[-]]'],
    ['[\\x41-\\x43]', '[ABC]'],
    ['[\\d]', '[0123456789]'],
    ['[\\s]', '[\\x{9}\\x{a}\\x{c}\\x{d} ]'],
    ['[\\w]', '[0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz]'],
    ['[\\D]', '[+wide]'],
    ['[a\\pL]', '[a+wide]'],
    ['[a-\\x{100}]', `[${'abcdefghijklmnopqrstuvwxyz{|}~\\x{7f}'}${Array.from({ length: 0x80 }, (_, i) => `\\x{${(0x80 + i).toString(16)}}`).join('')}+wide]`],
    ['[[:digit:]]', '[0123456789]'],
    ['[[:blank:]x]', '[\\x{9} x]'],
    ['[[:space:]]', '[\\x{9}\\x{a}\\x{b}\\x{c}\\x{d} ]'],
    ['[[:^digit:]]', '[+wide]'],
    ['[[:xdigit:]]', '[0123456789ABCDEFabcdef]'],
    // Perl classes outside brackets.
    ['\\d', '[0123456789]'],
    ['\\s', '[\\x{9}\\x{a}\\x{c}\\x{d} ]'],
    ['\\D', 'ANY'],
    ['\\W', 'ANY'],
    ['\\S', 'ANY'],
    ['\\pN', 'ANY'],
    ['\\p{Greek}', 'ANY'],
    ['\\PL', 'ANY'],
    ['.', 'ANY'],
    ['\\C', 'ANY'],
    // Groups and flags.
    ['(a)', 'a'],
    ['(?:ab)', '(a b)'],
    ['(?i)ab', '(a b)'],
    ['a(?i)b', '(a b)'],
    ['(?i:ab)c', '((a b) c)'],
    ['(?-s:a)', 'a'],
    ['(?P<name>ab)', '(a b)'],
    ['(?<name>ab)', '(a b)'],
    ['a|b|cd', '(a|b|(c d))'],
    ['a|', '(a|ε)'],
    ['()', 'ε'],
    // Quantifiers, greedy and lazy.
    ['a*', 'a{0,}'],
    ['a+', 'a{1,}'],
    ['a?', 'a{0,1}'],
    ['a*?', 'a{0,}'],
    ['a+?', 'a{1,}'],
    ['a??', 'a{0,1}'],
    ['a{3}', 'a{3,3}'],
    ['a{3,}', 'a{3,}'],
    ['a{2,5}', 'a{2,5}'],
    ['a{2,5}?', 'a{2,5}'],
    ['(ab)+c', '((a b){1,} c)'],
    // Anchors and assertions match no text.
    ['^a$', '(ε a ε)'],
    ['\\ba\\B', '(ε a ε)'],
    ['\\Aa\\z', '(ε a ε)'],
  ])('%s', (pattern, expected) => {
    // Every vector is a pattern RE2 accepts: the parser's reading is only meaningful for those.
    expect(() => new RE2(pattern, 'sm')).not.toThrow();
    expect(parsed(pattern)).toBe(expected);
  });

  test('latin1 and wider characters are kept as code points', () => {
    expect(parseRegex('\u00e9')).toEqual({ kind: 'char', code: 0xe9 });
    expect(parseRegex('\u212a')).toEqual({ kind: 'char', code: 0x212a });
    expect(parseRegex('\\x{1F600}')).toEqual({ kind: 'char', code: 0x1f600 });
  });

  test.each([
    ['(?=a)', 'lookahead'],
    ['(?!a)', 'negative lookahead'],
    ['(?<=a)b', 'lookbehind'],
    ['(?<!a)b', 'negative lookbehind'],
    ['(a)\\1', 'backreference'],
    ['(?P<n>a)(?P=n)', 'named backreference'],
    ['(?<n>a)\\k<n>', '\\k backreference'],
    ['(?>a)', 'atomic group'],
    ['(?x)a b', 'extended flag'],
    ['\\h', 'unknown escape \\h'],
    ['\\Z', 'unknown escape \\Z'],
    ['\\R', 'unknown escape \\R'],
    ['\\K', 'unknown escape \\K'],
    ['\\G', 'unknown escape \\G'],
    ['\\e', 'unknown escape \\e'],
    ['\\xZZ', 'bad \\x'],
    ['\\p', 'bad \\p'],
    ['[\\b]', '\\b in a class'],
    ['[a', 'unterminated class'],
    ['(a', 'unterminated group'],
    ['a)', 'unbalanced )'],
    ['*a', 'quantifier without operand'],
    ['a**', 'repeated quantifier'],
    ['a{1001}', 'repetition beyond 1000'],
    ['a{3,2}', 'reversed repetition'],
    ['[z-a]', 'reversed range'],
    ['[[:alpha]]', 'bad POSIX class'],
    ['a\\', 'trailing backslash'],
  ])('%s is refused (%s)', (pattern) => {
    expect(() => parseRegex(pattern)).toThrow(UnsupportedSyntax);
  });

  test('refusals are UnsupportedSyntax, never another error, on hostile patterns', () => {
    const samples = ['((((', '))))', '[[[[', '\\', '(?', '(?P<', '(?P<1>a)', '[[:', '{99999999999}', 'a{0,99999999999}', '\\x{', '\\x{110000000}'];
    for (const p of samples) {
      try {
        parseRegex(p);
      } catch (e) {
        expect(e).toBeInstanceOf(UnsupportedSyntax);
      }
    }
  });
});
