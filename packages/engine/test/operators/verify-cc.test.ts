import { compileOperator } from '../../src/operators';
import { luhnValid } from '../../src/operators/verify-cc';

const BOUNDED = '(?:^|[^\\d])(\\d+)(?:[^\\d]|$)';
const GROUPED = '(?:^|[^\\d])(\\d{4}\\-?\\d{4}\\-?\\d{2}\\-?\\d{2}\\-?\\d{1,4})(?:[^\\d]|$)';

describe('@verifyCC', () => {
  // owasp-modsecurity/secrules-language-tests verifyCC.json
  it.each([
    ['d+', '', false],
    ['\\d*', '', false],
    [BOUNDED, 'TestCase', false],
    ['TestCase', 'TestCase', false],
    ['.*', 'TestCase', false],
    [BOUNDED, '5484605089158216', true],
    [BOUNDED, '4916545704601136', true],
    [BOUNDED, '4556324125126', true],
    [BOUNDED, '343918934573386', true],
    [BOUNDED, '6011402777433576', true],
    [BOUNDED, '30162519308318', true],
    [BOUNDED, '869974262335041', true],
    [BOUNDED, '1234567890012345', true],
    [GROUPED, '4417123456789113', true],
    [GROUPED, '4408041234567893', true],
    [GROUPED, '4408041234567890', false],
    [GROUPED, '4417123456789112', false],
    [GROUPED, 'a5484605089158216', true],
    [GROUPED, 'a5484605089158216b', true],
    [GROUPED, '5484605089158216b', true],
    [GROUPED, '5484-6050-8915-8216', true],
    [GROUPED, '5484605089158217', true],
    [GROUPED, '5574407071807154', false],
    [GROUPED, '5-484-6050-8915-8216', false],
    [GROUPED, '5484 6050 8915 8216', false],
    [GROUPED, '15484605089158216', true],
    [GROUPED, '154846050891582162', false],
    [GROUPED, '54846050891582162', false],
  ])('@verifyCC %j on %j -> %s', (param, input, expected) => {
    expect(compileOperator('verifyCC', param)(input)).toBe(expected);
  });

  it('captures the number as found', () => {
    const captures: string[] = [];
    expect(compileOperator('verifyCC', '\\d{4}-\\d{4}-\\d{4}-\\d{4}')('card: 5484-6050-8915-8216!', { captures })).toBe(true);
    expect(captures[0]).toBe('5484-6050-8915-8216');
  });

  it('Luhn counts digits only and needs at least one', () => {
    expect(luhnValid('4992-7398-716')).toBe(true);
    expect(luhnValid('49927398717')).toBe(false);
    expect(luhnValid('abc')).toBe(false);
    expect(luhnValid('0')).toBe(true);
  });

  it('stays bounded on long hostile input', () => {
    const start = Date.now();
    expect(compileOperator('verifyCC', '\\d{13,16}')('1'.repeat(200_000) + '2')).toBe(false);
    expect(compileOperator('verifyCC', '^\\d{13,16}')('1'.repeat(200_000) + '2')).toBe(false);
    expect(Date.now() - start).toBeLessThan(15_000); // a hang guard, loose enough for a loaded CI machine
  });

  it('needs a regular expression', () => {
    expect(() => compileOperator('verifyCC', '')).toThrow(/needs a regular expression/);
    expect(() => compileOperator('verifyCC', '(')).toThrow(/invalid regular expression/);
  });
});
