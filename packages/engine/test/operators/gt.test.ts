import { compileOperator } from '../../src/operators';

describe('@gt', () => {
  it.each([
    ['6', '5', true],
    ['5', '5', false],
    ['', '-1', true],
    ['abc', '0', false],
    ['-1', '-2', true],
    ['10abc', '9', true],
    [' +3', '2', true],
    // atoll is 64-bit: beyond 32 bits still compares.
    ['3000000000', '2147483647', true],
    ['9223372036854775807', '9223372036854775806', true],
    // glibc saturates on overflow.
    ['99999999999999999999', '9223372036854775806', true],
    ['99999999999999999999', '9223372036854775807', false],
    ['-99999999999999999999', '-9223372036854775807', false],
  ])('%j @gt %j -> %s', (input, param, expected) => {
    expect(compileOperator('gt', param)(input)).toBe(expected);
  });

  it('expands macros (CRS: @gt %{tx.max_num_args})', () => {
    const m = compileOperator('gt', '%{tx.max_num_args}', { macros: { 'TX.max_num_args': '255' } });
    expect(m('256')).toBe(true);
    expect(m('255')).toBe(false);
  });
});
