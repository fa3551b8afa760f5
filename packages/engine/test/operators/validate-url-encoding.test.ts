import { compileOperator } from '../../src/operators';

describe('@validateUrlEncoding', () => {
  it.each([
    ['', false],
    ['abc', false],
    ['a%20b', false],
    ['%41', false],
    ['%aF%Fa%00', false],
    ['%', true],
    ['a%', true],
    ['a%4', true],
    ['%4g', true],
    ['%g4', true],
    ['%%41', true],
    ['100%', true],
    ['a%20b%zz', true],
    ['%u0041', true],
    ['\xff%20\x00', false],
  ])('%j -> %s', (input, expected) => {
    expect(compileOperator('validateUrlEncoding')(input)).toBe(expected);
  });
});
