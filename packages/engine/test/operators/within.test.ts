import { compileOperator } from '../../src/operators';

describe('@within', () => {
  it.each([
    ['', '', true],
    ['TestCase', '', true],
    ['', 'TestCase', false],
    ['abcdefghi', 'abc', true],
    ['abcdefghi', 'def', true],
    ['abcdefghi', 'ghi', true],
    ['abcdefghi', 'ghij', false],
    ['GET POST HEAD', 'POST', true],
    ['GET POST HEAD', 'post', false],
    // A substring search, not a list-membership test (ModSecurity v3).
    ['GET POST HEAD', 'ET P', true],
    ['a\xe9b', '\xe9', true],
  ])('@within %j on %j -> %s', (param, input, expected) => {
    expect(compileOperator('within', param)(input)).toBe(expected);
  });

  it('searches only the input before a NUL byte, like ModSecurity (c_str)', () => {
    expect(compileOperator('within', 'GET POST')('GET\x00xyz')).toBe(true);
    expect(compileOperator('within', 'GET POST')('XYZ\x00GET')).toBe(false);
  });

  it('expands macros (CRS allowed methods) and captures the input', () => {
    const m = compileOperator('within', '%{tx.allowed_methods}', { macros: { 'tx.allowed_methods': 'GET HEAD POST OPTIONS' } });
    const captures: string[] = [];
    expect(m('OPTIONS', { captures })).toBe(true);
    expect(captures[0]).toBe('OPTIONS');
    expect(m('DELETE')).toBe(false);
  });
});
