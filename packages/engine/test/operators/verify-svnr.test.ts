import { compileOperator } from '../../src/operators';
import { svnrValid } from '../../src/operators/verify-svnr';

const SVNR = '([0-9]{4} ?[0-9]{6})';

describe('@verifySVNR', () => {
  // owasp-modsecurity/secrules-language-tests verifysvnr.json
  it.each([
    ['asdf 1237 010180 asdf', true],
    ['asdf 0100817 asdf', false],
    ['', false],
    ['1238 010180', false],
  ])('%j -> %s', (input, expected) => {
    expect(compileOperator('verifySVNR', SVNR)(input)).toBe(expected);
  });

  it('applies the weighted check digit and ModSecurity v3 reject list', () => {
    expect(svnrValid('1237010180')).toBe(true);
    expect(svnrValid('1237 010180')).toBe(true);
    expect(svnrValid('0000000000')).toBe(false);
    expect(svnrValid('1234567890')).toBe(false);
    expect(svnrValid('123701018')).toBe(false);
  });

  it('captures the number', () => {
    const captures: string[] = [];
    expect(compileOperator('verifySVNR', SVNR)('svnr: 1237 010180', { captures })).toBe(true);
    expect(captures[0]).toBe('1237 010180');
  });
});
