import { compileOperator } from '../../src/operators';

describe('@contains', () => {
  it.each([
    ['', '', true],
    ['TestCase', '', false],
    ['', 'TestCase', true],
    ['abc', 'abcdefghi', true],
    ['def', 'abcdefghi', true],
    ['ghi', 'abcdefghi', true],
    ['ghij', 'abcdefghi', false],
    ['DEF', 'abcdefghi', false],
    ['-->', 'x --> y', true],
    ['ghi', 'abc\x00ghi', true],
    ['\x80\xff', 'a\x80\xffb', true],
  ])('@contains %j on %j -> %s', (param, input, expected) => {
    expect(compileOperator('contains', param)(input)).toBe(expected);
  });

  it('captures the argument in TX:0', () => {
    const captures: string[] = [];
    expect(compileOperator('contains', '#')('a#b', { captures })).toBe(true);
    expect(captures[0]).toBe('#');
    const none: string[] = [];
    expect(compileOperator('contains', '#')('ab', { captures: none })).toBe(false);
    expect(none).toEqual([]);
  });

  it('expands macros at run time', () => {
    expect(compileOperator('contains', '%{tx.0}')('xxabcxx', { resolve: () => 'abc' })).toBe(true);
  });
});
