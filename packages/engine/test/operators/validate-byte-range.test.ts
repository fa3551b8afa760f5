import { compileOperator, OperatorCompileError } from '../../src/operators';

describe('@validateByteRange', () => {
  // owasp-modsecurity/secrules-language-tests validateByteRange.json (valid parameters).
  it.each([
    ['0-255', '', false],
    ['0-255', 'abcdefghi', false],
    ['97-105', 'abcdefghi', false],
    ['97-105', 'abcdefghij', true],
  ])('@validateByteRange %j on %j -> %s', (param, input, expected) => {
    expect(compileOperator('validateByteRange', param)(input)).toBe(expected);
  });

  it('handles lists of values and ranges (CRS forms)', () => {
    const m = compileOperator('validateByteRange', '9,10,13,32-126,128-255');
    expect(m('GET /index.html?a=b\t\r\n')).toBe(false);
    expect(m('\xe9\xff\x80')).toBe(false);
    expect(m('a\x00b')).toBe(true);
    expect(m('\x7f')).toBe(true);
    expect(m('\x0b')).toBe(true);
    const nul = compileOperator('validateByteRange', '1-255');
    expect(nul('abc\xff')).toBe(false);
    expect(nul('abc\x00')).toBe(true);
    expect(compileOperator('validateByteRange', '0')('\x00\x00')).toBe(false);
    expect(compileOperator('validateByteRange', '255')('\xff')).toBe(false);
    expect(compileOperator('validateByteRange', '255')('\xfe')).toBe(true);
  });

  it('refuses malformed ranges that ModSecurity would silently ignore', () => {
    expect(() => compileOperator('validateByteRange', '')).toThrow(OperatorCompileError);
    expect(() => compileOperator('validateByteRange', 'xxx')).toThrow(/"xxx" is not a byte value/);
    expect(() => compileOperator('validateByteRange', '1-256')).toThrow(/beyond 255/);
    expect(() => compileOperator('validateByteRange', '300')).toThrow(/beyond 255/);
    expect(() => compileOperator('validateByteRange', '20-10')).toThrow(/invalid range 20-10/);
    expect(() => compileOperator('validateByteRange', '1,,2')).toThrow(OperatorCompileError);
  });
});
