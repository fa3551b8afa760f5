import { compileOperator } from '../../src/operators';

describe('@streq', () => {
  it.each([
    ['', '', true],
    ['TestCase', '', false],
    ['', 'TestCase', false],
    ['abc', 'abc', true],
    ['abc', 'abcd', false],
    ['abc', 'ABC', false],
    ['GET /', 'GET /', true],
    ['a\x00b', 'a\x00b', true],
    ['a\x00b', 'a\x00c', false],
    ['\xff', '\xff', true],
  ])('@streq %j on %j -> %s', (param, input, expected) => {
    expect(compileOperator('streq', param)(input)).toBe(expected);
  });

  it('expands macros (CRS: %{ARGS._method}) and captures the input', () => {
    const m = compileOperator('streq', '%{ARGS._method}');
    const captures: string[] = [];
    expect(m('PUT', { resolve: () => 'PUT', captures })).toBe(true);
    expect(captures[0]).toBe('PUT');
    // A missing variable expands to the empty string.
    expect(m('')).toBe(true);
    expect(m('PUT')).toBe(false);
  });
});
