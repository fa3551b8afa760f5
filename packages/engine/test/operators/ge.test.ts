import { compileOperator } from '../../src/operators';

describe('@ge', () => {
  it.each([
    ['5', '5', true],
    ['6', '5', true],
    ['4', '5', false],
    ['', '0', true],
    ['x', '1', false],
    ['-5', '-5', true],
    ['-6', '-5', false],
    ['5\x00', '5', true],
    ['12345678901234567', '12345678901234566', true],
  ])('%j @ge %j -> %s', (input, param, expected) => {
    expect(compileOperator('ge', param)(input)).toBe(expected);
  });

  it('expands macros (CRS anomaly threshold)', () => {
    const m = compileOperator('ge', '%{tx.inbound_anomaly_score_threshold}');
    expect(m('5', { resolve: () => '5' })).toBe(true);
    expect(m('4', { resolve: () => '5' })).toBe(false);
  });
});
