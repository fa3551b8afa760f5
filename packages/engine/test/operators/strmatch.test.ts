import { compileOperator } from '../../src/operators';

describe('@strmatch', () => {
  it.each([
    ['', '', true],
    ['TestCase', '', false],
    ['', 'TestCase', true],
    ['abc', 'abcdefghi', true],
    ['def', 'abcdefghi', true],
    ['ghi', 'abcdefghi', true],
    ['ghij', 'abcdefghi', false],
    ['WebZIP', 'Mozilla WebZIP/1.0', true],
    ['webzip', 'Mozilla WebZIP/1.0', false],
    ['\x00', 'a\x00b', true],
  ])('@strmatch %j on %j -> %s', (param, input, expected) => {
    expect(compileOperator('strmatch', param)(input)).toBe(expected);
  });
});
