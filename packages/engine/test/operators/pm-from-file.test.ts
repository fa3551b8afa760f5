import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileOperator, findOperator, OperatorCompileError } from '../../src/operators';

const dir = mkdtempSync(join(tmpdir(), 'rampart-pmf-'));
writeFileSync(
  join(dir, 'words.data'),
  '# a comment\n\nselect\n   # indented comment\n in query expression\nUNION ALL\r\n  \n',
  'latin1',
);
writeFileSync(join(dir, 'more.data'), 'caf\xe9\n', 'latin1');
writeFileSync(join(dir, 'empty.data'), '# nothing\n', 'latin1');

describe('@pmFromFile', () => {
  it('reads one phrase per line, skipping # comments and blank lines', () => {
    const m = compileOperator('pmFromFile', 'words.data', { baseDir: dir });
    expect(m('x SELECT y')).toBe(true);
    expect(m('union all')).toBe(true);
    expect(m('# a comment')).toBe(false);
    expect(m('indented comment')).toBe(false);
  });

  it('keeps a leading space (CRS sql-errors.data line 67)', () => {
    const m = compileOperator('pmFromFile', 'words.data', { baseDir: dir });
    expect(m('error in query expression')).toBe(true);
    expect(m('errorin query expression')).toBe(false);
  });

  it('reads several files separated by spaces and bytes >= 0x80', () => {
    const m = compileOperator('pmFromFile', 'words.data more.data', { baseDir: dir });
    expect(m('CAF\xe9')).toBe(true);
    expect(m('select')).toBe(true);
  });

  it('captures the phrase', () => {
    const captures: string[] = [];
    compileOperator('pmf', 'words.data', { baseDir: dir })('a union all b', { captures });
    expect(captures[0]).toBe('UNION ALL');
  });

  it('is also known as @pmf', () => {
    expect(findOperator('PMF')?.name).toBe('pmFromFile');
  });

  it('warns about a list without phrases and never matches', () => {
    const warnings: string[] = [];
    const m = compileOperator('pmFromFile', 'empty.data', { baseDir: dir, onWarning: (w) => warnings.push(w) });
    expect(m('anything')).toBe(false);
    expect(warnings[0]).toMatch(/no phrase/);
  });

  it('fails loudly on a missing file and refuses remote lists', () => {
    expect(() => compileOperator('pmFromFile', 'missing.data', { baseDir: dir })).toThrow(OperatorCompileError);
    expect(() => compileOperator('pmFromFile', 'missing.data', { baseDir: dir })).toThrow(/cannot read data file missing.data/);
    expect(() => compileOperator('pmFromFile', 'https://example.com/list.txt')).toThrow(/remote data files/);
    expect(() => compileOperator('pmFromFile', '')).toThrow(/needs a file name/);
  });
});
