import { compileOperator } from '../../src/operators';

describe('@containsWord', () => {
  // owasp-modsecurity/secrules-language-tests operators/containsWord.json
  it.each([
    ['', '', true],
    ['TestCase', '', false],
    ['', 'TestCase', true],
    ['abc', 'abcdefghi', false],
    ['def', 'abcdefghi', false],
    ['ghi', 'abcdefghi', false],
    ['abc', 'abc def ghi', true],
    ['def', 'abc def ghi', true],
    ['ghi', 'abc def ghi', true],
    ['abc', 'abc\x00def ghi', true],
    ['def', 'abc\x00def ghi', true],
    ['x', 'x', true],
    ['x', ' x ', true],
    ['y', 'xyz', false],
    ['hiding', 'hidingX<-not on word boundary, but is later on->hiding', true],
  ])('@containsWord %j on %j -> %s', (param, input, expected) => {
    expect(compileOperator('containsWord', param)(input)).toBe(expected);
  });

  it('only ASCII letters are word characters (ModSecurity v3)', () => {
    expect(compileOperator('containsWord', 'select')('1select2')).toBe(true);
    expect(compileOperator('containsWord', 'select')('_select_')).toBe(true);
    expect(compileOperator('containsWord', 'select')('\xe9select\xe9')).toBe(true);
    expect(compileOperator('containsWord', 'select')('aselect')).toBe(false);
  });

  it('captures the word', () => {
    const captures: string[] = [];
    expect(compileOperator('containsWord', 'union')('1 union 2', { captures })).toBe(true);
    expect(captures[0]).toBe('union');
  });
});
