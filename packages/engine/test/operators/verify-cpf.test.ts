import { compileOperator } from '../../src/operators';
import { cpfValid } from '../../src/operators/verify-cpf';

const CPF = '([0-9]{3}\\.){2}[0-9]{3}-[0-9]{2}';

describe('@verifyCPF', () => {
  // owasp-modsecurity/secrules-language-tests verifycpf.json
  it.each([
    ['asdf 010.817.514-60 asdf', true],
    ['asdf 010.817 asdf', false],
    ['', false],
    ['111.111.111-11', false],
    ['010.817.514-61', false],
  ])('%j -> %s', (input, expected) => {
    expect(compileOperator('verifyCPF', CPF)(input)).toBe(expected);
  });

  it('checks digits like ModSecurity', () => {
    expect(cpfValid('01081751460')).toBe(true);
    expect(cpfValid('529.982.247-25')).toBe(true);
    expect(cpfValid('529.982.247-26')).toBe(false);
    expect(cpfValid('00000000000')).toBe(false);
    expect(cpfValid('01234567890')).toBe(false);
    // Only the first 11 digits count; nothing after a NUL is seen.
    expect(cpfValid('529982247259')).toBe(true);
    expect(cpfValid('5299822\x004725')).toBe(false);
  });

  it('captures and an empty argument never matches', () => {
    const captures: string[] = [];
    expect(compileOperator('verifyCPF', CPF)('x 529.982.247-25 y', { captures })).toBe(true);
    expect(captures[0]).toBe('529.982.247-25');
    expect(compileOperator('verifyCPF', '')('529.982.247-25')).toBe(false);
  });
});
