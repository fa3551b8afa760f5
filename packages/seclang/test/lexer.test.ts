import { secLangLexer, selfChecks } from '../src/lexer';

function lex(text: string): Array<[string, string]> {
  const r = secLangLexer.tokenize(text);
  expect(r.errors).toEqual([]);
  return r.tokens.map((t) => [t.tokenType.name, t.image]);
}

describe('lexer', () => {
  test('a directive line: name, unquoted and quoted arguments, end of line', () => {
    expect(lex('SecRule ARGS "@rx a b" \'x\'\n')).toEqual([
      ['DirectiveName', 'SecRule'],
      ['Unquoted', 'ARGS'],
      ['DqOpen', '"'],
      ['DqText', '@rx a b'],
      ['DqClose', '"'],
      ['SqOpen', "'"],
      ['SqText', 'x'],
      ['SqClose', "'"],
      ['ArgsNewline', '\n'],
    ]);
  });

  test('comments and blank lines produce no tokens for the parser; comments are kept in a group', () => {
    const r = secLangLexer.tokenize('# one\n\n   # two \\\ncontinued comment\nSecMarker A\n');
    expect(r.tokens.map((t) => t.image)).toEqual(['SecMarker', 'A', '\n']);
    expect(r.groups['comments']?.map((t) => t.image)).toEqual(['# one', '# two \\\ncontinued comment']);
  });

  test('`#` after the directive name is an ordinary character', () => {
    expect(lex('SecMarker #x')).toEqual([
      ['DirectiveName', 'SecMarker'],
      ['Unquoted', '#x'],
    ]);
  });

  test('continuations are blanks between arguments and part of the token inside one', () => {
    expect(lex('SecAction \\\n  "id:1,\\\n  pass"')).toEqual([
      ['DirectiveName', 'SecAction'],
      ['DqOpen', '"'],
      ['DqText', 'id:1,\\\n  pass'],
      ['DqClose', '"'],
    ]);
  });

  test('an escaped quote does not close a string; a backslash pairs with the next character', () => {
    expect(lex('A "x\\"y" "z\\\\"')).toEqual([
      ['DirectiveName', 'A'],
      ['DqOpen', '"'],
      ['DqText', 'x\\"y'],
      ['DqClose', '"'],
      ['DqOpen', '"'],
      ['DqText', 'z\\\\'],
      ['DqClose', '"'],
    ]);
  });

  test('a line break inside quotes ends the directive and the next line starts a new one', () => {
    expect(lex('A "open\nB c')).toEqual([
      ['DirectiveName', 'A'],
      ['DqOpen', '"'],
      ['DqText', 'open'],
      ['QuoteNewline', '\n'],
      ['DirectiveName', 'B'],
      ['Unquoted', 'c'],
    ]);
  });

  test('a quote inside an unquoted word is part of the word', () => {
    expect(lex('A b"c\'d')).toEqual([
      ['DirectiveName', 'A'],
      ['Unquoted', 'b"c\'d'],
    ]);
  });

  test('CRLF line ends and stray control characters lex without errors', () => {
    expect(lex('A b\r\nB\u0000 \u0001"\u0002"\r\n')).toEqual([
      ['DirectiveName', 'A'],
      ['Unquoted', 'b'],
      ['ArgsNewline', '\n'],
      ['DirectiveName', 'B\u0000'],
      ['Unquoted', '\u0001"\u0002"'],
      ['ArgsNewline', '\n'],
    ]);
  });

  test('positions are physical lines and columns', () => {
    const r = secLangLexer.tokenize('\n  SecMarker \\\n   "x"');
    const x = r.tokens.find((t) => t.image === 'x');
    expect([x?.startLine, x?.startColumn]).toEqual([3, 5]);
  });
});

test('grammar and lexer self-checks run under tests', () => {
  // Production skips them (start-up time); tests must exercise them so that a grammar mistake fails here.
  expect(selfChecks).toBe(true);
});
