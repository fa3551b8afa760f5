import { compileOperator } from '../../src/operators';

describe('@lt', () => {
  it.each([
    ['1', '2', true],
    ['2', '2', false],
    ['3', '2', false],
    ['', '1', true],
    ['junk', '1', true],
    ['-1', '0', true],
    ['1', 'junk', false],
    ['  2  ', '3', true],
    ['2e5', '3', true],
  ])('%j @lt %j -> %s', (input, param, expected) => {
    expect(compileOperator('lt', param)(input)).toBe(expected);
  });

  it('expands macros (CRS: TX:DETECTION_PARANOIA_LEVEL @lt %{tx.blocking_paranoia_level})', () => {
    const m = compileOperator('lt', '%{tx.blocking_paranoia_level}');
    expect(m('1', { resolve: () => '2' })).toBe(true);
    expect(m('2', { resolve: () => '2' })).toBe(false);
  });
});
