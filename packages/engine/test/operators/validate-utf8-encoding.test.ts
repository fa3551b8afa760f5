import { compileOperator } from '../../src/operators';

const m = compileOperator('validateUtf8Encoding');

describe('@validateUtf8Encoding', () => {
  // Inputs are bytes (latin1 strings): UTF-8 text appears as its bytes, as in the shared test vectors
  // (owasp-modsecurity/secrules-language-tests validateUtf8Encoding.json).
  it.each([
    ['', false],
    ['Je peux manger du verre, \xc3\xa7a ne me fait pas de mal.', false],
    ['\xe7\xa7\x81\xe3\x81\xaf', false],
    ['\xf0\x9f\x98\x80', false],
    ['\xf4\x8f\xbf\xbf', false],
    ['\x00\xe4', true],
    ['\xe4', true],
    ['\x03\xbf', true],
    ['\xc9;', true],
    ['\xff\x00', true],
  ])('%j -> %s', (input, expected) => {
    expect(m(input)).toBe(expected);
  });

  it('rejects each kind of error ModSecurity v3 reports', () => {
    expect(m('\xc3')).toBe(true); // truncated 2-byte
    expect(m('\xe2\x82')).toBe(true); // truncated 3-byte
    expect(m('\xf0\x9f\x98')).toBe(true); // truncated 4-byte
    expect(m('\xe2\x28\xa1')).toBe(true); // bad continuation
    expect(m('\x80')).toBe(true); // lone continuation byte
    expect(m('\xc0\xaf')).toBe(true); // overlong '/'
    expect(m('\xc1\xbf')).toBe(true); // overlong
    expect(m('\xe0\x80\xaf')).toBe(true); // overlong 3-byte
    expect(m('\xf0\x80\x80\xaf')).toBe(true); // overlong 4-byte
    expect(m('\xed\xa0\x80')).toBe(true); // surrogate U+D800
    expect(m('\xf5\x80\x80\x80')).toBe(true); // beyond U+10FFFF
    expect(m('\xf8\x88\x80\x80\x80')).toBe(true); // 5-byte form
  });

  it('accepts the edges of the valid ranges', () => {
    expect(m('\x7f')).toBe(false);
    expect(m('\xc2\x80')).toBe(false);
    expect(m('\xe0\xa0\x80')).toBe(false);
    expect(m('\xed\x9f\xbf')).toBe(false);
    expect(m('\xee\x80\x80')).toBe(false);
    expect(m('\xf0\x90\x80\x80')).toBe(false);
  });
});
