import { AsciiNameTable } from '../src/ascii-name-table';

describe('AsciiNameTable', () => {
  const table = new AsciiNameTable(['UNION', 'UNION ALL', 'IN', '<=', 'X_Y']);

  it('finds a range of a larger string, ignoring ASCII case', () => {
    expect(table.find('a union b', 2, 5)).toBe(0);
    expect(table.find('xUnIoNx', 1, 5)).toBe(0);
    expect(table.find('1<=2', 1, 2)).toBe(3);
    expect(table.find('x_y', 0, 3)).toBe(4);
  });

  it('does not find prefixes, extensions or other ranges', () => {
    expect(table.find('unio', 0, 4)).toBe(-1);
    expect(table.find('unions', 0, 6)).toBe(-1);
    expect(table.find('union', 1, 4)).toBe(-1);
    expect(table.find('', 0, 0)).toBe(-1);
    expect(table.find('union all union all', 0, 19)).toBe(-1);
  });

  it('folds ASCII letters only: no NUL, latin1 or non-letter byte matches', () => {
    expect(table.find('UNI\0N', 0, 5)).toBe(-1);
    expect(table.find('UNIÖN', 0, 5)).toBe(-1);
    // `_` (0x5f) and DEL-range bytes are not case variants of anything.
    expect(table.find('X\x7fY', 0, 3)).toBe(-1);
  });

  it('finds two ranges joined by one space without joining them', () => {
    expect(table.findPhrase('union', 0, 5, 'xall', 1, 3)).toBe(1);
    expect(table.findPhrase('UNION', 0, 5, 'ALL', 0, 3)).toBe(1);
    expect(table.findPhrase('UNION', 0, 5, 'AL', 0, 2)).toBe(-1);
    expect(table.findPhrase('UNIO', 0, 4, 'N ALL', 0, 5)).toBe(-1);
    expect(table.findPhrase('I', 0, 1, 'N', 0, 0)).toBe(-1);
  });

  it('joins a phrase that already holds a space with one more word', () => {
    const three = new AsciiNameTable(['UNION ALL DISTINCT', 'UNION']);
    expect(three.findPhrase('union all', 0, 9, 'distinct', 0, 8)).toBe(0);
    expect(three.findPhrase('union', 0, 5, 'all distinct', 0, 12)).toBe(0);
    expect(three.findPhrase('union all distinct', 0, 18, '', 0, 0)).toBe(-1);
  });

  it('refuses names it could never find', () => {
    expect(() => new AsciiNameTable(['ÖL'])).toThrow(/not ASCII/);
    expect(() => new AsciiNameTable(['A\0B'])).toThrow(/not ASCII/);
  });
});
