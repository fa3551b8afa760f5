import * as path from 'node:path';
import { CONTEXT_NONE_ANSI, detectSqli, foldTokens, SqliToken, SqliTokenizer, TOKEN_SLOTS } from '../src';
import type { SqliOptions } from '../src';
import { DATA_DIR, listUnitFiles, readUnitFile, rtrim } from './unit-file';

function printTokens(input: string, options: SqliOptions): string {
  const tokenizer = new SqliTokenizer(input, CONTEXT_NONE_ANSI, options);
  const out: string[] = [];
  const tok = new SqliToken();
  while (tokenizer.next(tok)) out.push(tok.toString());
  return rtrim(out.join('\n'));
}

function printFolded(input: string, options: SqliOptions): string {
  const tokenizer = new SqliTokenizer(input, CONTEXT_NONE_ANSI, options);
  const slots = Array.from({ length: TOKEN_SLOTS }, () => new SqliToken());
  const n = foldTokens(tokenizer, slots);
  return rtrim(
    slots
      .slice(0, n)
      .map((t) => t.toString())
      .join('\n'),
  );
}

function run(name: string, input: string, options: SqliOptions): string {
  if (name.startsWith('test-tokens-')) return printTokens(input, options);
  if (name.startsWith('test-folding-')) return printFolded(input, options);
  if (name.startsWith('test-sqli-')) return detectSqli(input, options).fingerprint;
  throw new Error(`unknown unit test kind: ${name}`);
}

// The 7 upstream files that encode the v3 "1.e" behaviour: checked with legacyExponent, and their
// v4 counterparts in tests-coraza/variants are checked with the default.
const V3_EXPONENT_FILES = new Set([
  'test-folding-099.txt',
  'test-folding-100.txt',
  'test-tokens-numbers-exp-001.txt',
  'test-tokens-numbers-exp-009.txt',
  'test-tokens-numbers-exp-010.txt',
  'test-tokens-numbers-exp-011.txt',
  'test-tokens-numbers-exp-012.txt',
]);

const upstream = listUnitFiles(path.join(DATA_DIR, 'tests')).filter((f) => !path.basename(f).startsWith('test-html5-'));
const variants = listUnitFiles(path.join(DATA_DIR, 'tests-coraza/variants'));
const coraza1e = listUnitFiles(path.join(DATA_DIR, 'tests-coraza')).filter((f) => path.basename(f).startsWith('test-sqli-1e-'));

describe('upstream SQLi unit tests (tokens, folding, sqli)', () => {
  it('finds all 417 files', () => {
    expect(upstream).toHaveLength(417);
  });
  it.each(upstream.map((f) => [path.basename(f), f]))('%s', (name, file) => {
    const t = readUnitFile(file);
    const legacy = V3_EXPONENT_FILES.has(name);
    expect(run(name, t.input, { legacyExponent: legacy })).toBe(t.expected);
  });
});

describe('v4 / Coraza "1.e" behaviour (tests-coraza)', () => {
  it('finds the 7 variants and 4 sqli-1e files', () => {
    expect(variants).toHaveLength(7);
    expect(coraza1e).toHaveLength(4);
  });
  it.each([...variants, ...coraza1e].map((f) => [path.basename(f), f]))('%s', (name, file) => {
    const t = readUnitFile(file);
    expect(run(name, t.input, {})).toBe(t.expected);
  });
  it('the 7 upstream v3 files differ under the default (v4) behaviour', () => {
    for (const file of upstream.filter((f) => V3_EXPONENT_FILES.has(path.basename(f)))) {
      const t = readUnitFile(file);
      expect(run(path.basename(file), t.input, {})).not.toBe(t.expected);
    }
  });
});
