import { compileOperator, OperatorCompileError } from '../../src/operators';
import { chileNidValid, usNidValid } from '../../src/operators/validate-nid';

describe('@validateNid (Coraza)', () => {
  it('checks Chilean RUT numbers', () => {
    expect(chileNidValid('11.111.111-1')).toBe(true);
    expect(chileNidValid('12.345.678-5')).toBe(true);
    expect(chileNidValid('12.345.678-6')).toBe(false);
    expect(chileNidValid('14.569.484-1')).toBe(true);
    expect(chileNidValid('14.569.484-2')).toBe(false);
    expect(chileNidValid('6.265.022-k')).toBe(false);
    expect(chileNidValid('10.000.013-K')).toBe(true);
    expect(chileNidValid('10.000.013-0')).toBe(false);
    expect(chileNidValid('1234567')).toBe(false);
  });

  it('checks US social security numbers', () => {
    expect(usNidValid('078-05-1120')).toBe(true);
    expect(usNidValid('666-05-1120')).toBe(false);
    expect(usNidValid('123-45-6789')).toBe(false);
    expect(usNidValid('111-11-1111')).toBe(false);
    expect(usNidValid('1234')).toBe(false);
  });

  it('matches when a regex match passes the check and captures it by match index', () => {
    const m = compileOperator('validateNid', 'cl \\d{1,2}\\.?\\d{3}\\.?\\d{3}-?[\\dkK]');
    const captures: string[] = [];
    expect(m('rut 12.345.678-6 or 12.345.678-5', { captures })).toBe(true);
    expect(captures[0]).toBeUndefined();
    expect(captures[1]).toBe('12.345.678-5');
    expect(m('rut 12.345.678-6')).toBe(false);
    expect(m('')).toBe(false);
    expect(compileOperator('validateNid', 'us \\d{3}-\\d{2}-\\d{4}')('ssn 078-05-1120')).toBe(true);
  });

  it('refuses a bad argument', () => {
    expect(() => compileOperator('validateNid', 'xx \\d+')).toThrow(OperatorCompileError);
    expect(() => compileOperator('validateNid', 'cl')).toThrow(/country \(cl or us\) and a regular expression/);
  });
});
