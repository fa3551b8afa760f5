import { compileOperator } from '../../src/operators';

describe('@rxGlobal', () => {
  it('matches like @rx', () => {
    expect(compileOperator('rxGlobal', '\\d+')('ab12')).toBe(true);
    expect(compileOperator('rxGlobal', '\\d+')('abc')).toBe(false);
    expect(compileOperator('rxGlobal', '')('')).toBe(true);
  });

  it('walks every match: TX:0-9 end up with the groups of the last match', () => {
    const captures: string[] = [];
    expect(compileOperator('rxGlobal', '(\\d)(\\w)')('1a 2b 3c', { captures })).toBe(true);
    expect(captures.slice(0, 3)).toEqual(['3c', '3', 'c']);
  });

  it('terminates on empty matches and handles bytes >= 0x80', () => {
    const captures: string[] = [];
    expect(compileOperator('rxGlobal', '(\\xe9?)')('a\xe9b', { captures })).toBe(true);
    expect(captures[0]).toBe('');
    const c2: string[] = [];
    expect(compileOperator('rxGlobal', '[\\x80-\\xff]+')('a\x80\x81b\xff', { captures: c2 })).toBe(true);
    expect(c2[0]).toBe('\xff');
  });
});
