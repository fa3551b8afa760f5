import { compileOperator } from '../../src/operators';

describe('@beginsWith', () => {
  it.each([
    ['', '', true],
    ['TestCase', '', false],
    ['', 'TestCase', true],
    ['abc', 'abcdefghi', true],
    ['def', 'abcdefghi', false],
    ['ABC', 'abcdefghi', false],
    ['#:~:text=', '#:~:text=foo', true],
    ['a\x00b', 'a\x00bc', true],
    ['\xff', '\xffabc', true],
  ])('@beginsWith %j on %j -> %s', (param, input, expected) => {
    expect(compileOperator('beginsWith', param)(input)).toBe(expected);
  });

  it('expands macros at run time', () => {
    const m = compileOperator('beginsWith', '%{request_headers.host}/');
    expect(m('example.com/x', { resolve: () => 'example.com' })).toBe(true);
    expect(m('example.org/x', { resolve: () => 'example.com' })).toBe(false);
  });
});
