import { compileOperator } from '../../src/operators';

describe('@eq', () => {
  it.each([
    ['5', '5', true],
    ['5', '6', false],
    ['0', '0', true],
    ['', '0', true],
    ['abc', '0', true],
    ['-3', '-3', true],
    ['+7', '7', true],
    [' \t12', '12', true],
    ['12abc', '12', true],
    ['1.9', '1', true],
    ['0x10', '0', true],
    ['2147483647', '2147483647', true],
    // std::stoi throws out_of_range and ModSecurity falls back to 0.
    ['2147483648', '0', true],
    ['99999999999999999999', '0', true],
    ['-2147483648', '-2147483648', true],
    ['\x00', '0', true],
    ['\xff5', '0', true],
  ])('%j @eq %j -> %s', (input, param, expected) => {
    expect(compileOperator('eq', param)(input)).toBe(expected);
  });

  it('expands macros (CRS &TX:x @eq 0 and %{tx.1})', () => {
    const m = compileOperator('eq', '%{tx.1}');
    expect(m('3', { resolve: () => '3' })).toBe(true);
    expect(m('3', { resolve: () => '4' })).toBe(false);
    expect(m('0')).toBe(true);
  });
});
