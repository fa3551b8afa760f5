import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileOperator, OperatorCompileError } from '../../src/operators';
import { ssdeepHash } from '../../src/fuzzy-hash/ssdeep';
import { lcgText } from '../fuzzy-hash/lcg-text';

const dir = mkdtempSync(join(tmpdir(), 'rampart-fuzzy-'));
const known = lcgText(20000, 5);
writeFileSync(join(dir, 'hashes.txt'), `ssdeep,1.1--blocksize:hash:hash,filename\n${ssdeepHash(known)},"known.txt"\n`);

function compile(argument: string) {
  const warnings: string[] = [];
  const m = compileOperator('fuzzyHash', argument, { baseDir: dir, onWarning: (w) => warnings.push(w) });
  return { m, warnings };
}

describe('@fuzzyHash', () => {
  it('matches an input whose ssdeep hash scores at least the threshold against a line of the file', () => {
    const { m, warnings } = compile('hashes.txt 60');
    expect(warnings).toEqual([]);
    expect(m(known)).toBe(true);
    const lines: string[] = [];
    expect(m(known + known, { debug: (level, message) => void lines.push(`${level} ${message()}`) })).toBe(true);
    expect(lines).toEqual(['4 Fuzzy hash: matched with score: 69.']);
    expect(compile('hashes.txt 70').m(known + known)).toBe(false);
    expect(m(lcgText(20000, 6))).toBe(false);
    expect(m('')).toBe(false);
  });

  it('refuses a missing threshold, a threshold that is no number, a missing file', () => {
    expect(() => compile('hashes.txt')).toThrow(/Please use @fuzzyHash with filename and value/);
    expect(() => compile('hashes.txt high')).toThrow(/Expecting a digit, got: high/);
    expect(() => compile('missing.txt 60')).toThrow(OperatorCompileError);
    expect(() => compile('missing.txt 60')).toThrow(/Failed to open file: missing.txt 60/);
  });

  it('warns that a threshold of 0 or less matches every input', () => {
    const { m, warnings } = compile('hashes.txt 0');
    expect(warnings).toEqual([expect.stringMatching(/matches every input/)]);
    expect(m('anything at all')).toBe(true);
  });
});
