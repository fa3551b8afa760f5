import { compileOperator } from '../../src/operators';

describe('@le', () => {
  it.each([
    ['5', '5', true],
    ['4', '5', true],
    ['6', '5', false],
    ['', '0', true],
    ['abc', '-1', false],
    ['-10', '-9', true],
    ['399', '399', true],
    ['400', '399', false],
  ])('%j @le %j -> %s', (input, param, expected) => {
    expect(compileOperator('le', param)(input)).toBe(expected);
  });
});
