import { compileOperator } from '../../src/operators';
import { ssnValid } from '../../src/operators/verify-ssn';

const SSN = '\\d{3}-?\\d{2}-?\\d{4}';

describe('@verifySSN', () => {
  // owasp-modsecurity/secrules-language-tests verifyssn.json
  it.each([
    ['574-57-8065', true],
    ['asdf 574-57-8065 asdf', true],
    ['asdf 800-57-8065 asdf', false],
    ['asdf 123-45-6789 asdf', false],
    ['', false],
  ])('%j -> %s', (input, expected) => {
    expect(compileOperator('verifySSN', SSN)(input)).toBe(expected);
  });

  it('applies ModSecurity v3 checks', () => {
    expect(ssnValid('078-05-1120')).toBe(true);
    expect(ssnValid('000-05-1120')).toBe(false);
    expect(ssnValid('078-00-1120')).toBe(false);
    expect(ssnValid('078-05-0000')).toBe(false);
    expect(ssnValid('666-05-1120')).toBe(false);
    expect(ssnValid('740-05-1120')).toBe(false);
    expect(ssnValid('739-05-1120')).toBe(true);
    expect(ssnValid('555-55-5555')).toBe(false);
    expect(ssnValid('12345678')).toBe(false);
    expect(ssnValid('1234567890')).toBe(false);
  });

  it('captures the number', () => {
    const captures: string[] = [];
    expect(compileOperator('verifySSN', SSN)('ssn=574578065&x', { captures })).toBe(true);
    expect(captures[0]).toBe('574578065');
  });
});
