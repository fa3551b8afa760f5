import {
  CONTEXT_DOUBLE_MYSQL,
  CONTEXT_NONE_ANSI,
  CONTEXT_NONE_MYSQL,
  CONTEXT_SINGLE_ANSI,
  CONTEXT_SINGLE_MYSQL,
  detectSqli,
  detectXss,
  EVENT_NAMES_LIBINJECTION,
  foldBudgetExhaustions,
  isSqliFingerprint,
  isXssInContext,
  sqliFingerprint,
  XSS_CONTEXTS,
} from '../src';
import type { SqliOptions, XssOptions } from '../src';
import { readGolden } from './golden';
import type { GoldenRow } from './golden';

const SQL_CONTEXTS = [CONTEXT_NONE_ANSI, CONTEXT_NONE_MYSQL, CONTEXT_SINGLE_ANSI, CONTEXT_SINGLE_MYSQL, CONTEXT_DOUBLE_MYSQL];
// The goldens come from libinjection main, whose `on*` list is the 298-name one; the default union
// list is checked separately below.
const C_EVENTS: XssOptions = { eventNames: EVENT_NAMES_LIBINJECTION };

function sqliMismatches(rows: GoldenRow[], options: SqliOptions = {}): string[] {
  const out: string[] = [];
  for (const r of rows) {
    const got = SQL_CONTEXTS.map((ctx) => {
      const f = sqliFingerprint(r.input, ctx, options);
      return f.fingerprint + (isSqliFingerprint(r.input, f) ? '+' : '');
    });
    const res = detectSqli(r.input, options);
    const want = `${r.sqli ? 1 : 0} ${r.fp} | ${r.contexts.join(' ')}`;
    const have = `${res.isSqli ? 1 : 0} ${res.fingerprint} | ${got.join(' ')}`;
    if (want !== have) out.push(`${r.label} ${JSON.stringify(r.input)}\n  want ${want}\n  have ${have}`);
  }
  return out;
}

function xssContexts(input: string, options: XssOptions): string {
  return XSS_CONTEXTS.map((ctx) => (isXssInContext(input, ctx, options) ? '1' : '0')).join('');
}

function xssMismatches(rows: GoldenRow[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    const have = xssContexts(r.input, C_EVENTS);
    // The default (union event list) must give the same verdict on every golden row.
    if (have !== r.xssContexts || r.xss !== have.includes('1') || detectXss(r.input) !== r.xss) {
      out.push(`${r.label} ${JSON.stringify(r.input)}\n  want ${r.xssContexts}\n  have ${have}`);
    }
  }
  return out;
}

const samples = readGolden('samples-expected.tsv', ['samples-expected-pr60-delta.tsv']);
const fuzz = readGolden('fuzz-expected.tsv', ['fuzz-expected-pr60-delta.tsv', 'fuzz-expected-ff-delta.tsv']);

describe('reference goldens (PR #60 and 0xFF deltas applied)', () => {
  it('reads every row and delta', () => {
    expect(samples.rows).toHaveLength(19216);
    expect(samples.replaced).toBe(7);
    expect(fuzz.rows).toHaveLength(35780);
    expect(fuzz.replaced).toBe(484 + 20);
  });

  it.each([
    ['samples', samples.rows],
    ['fuzz', fuzz.rows],
  ])('SQLi: %s rows match per context', (_name, rows) => {
    const bad = sqliMismatches(rows);
    expect(bad.slice(0, 20).join('\n')).toBe('');
    expect(bad).toHaveLength(0);
  });

  it.each([
    ['samples', samples.rows],
    ['fuzz', fuzz.rows],
  ])('XSS: %s rows match per context (libinjection event list)', (_name, rows) => {
    const bad = xssMismatches(rows);
    expect(bad.slice(0, 20).join('\n')).toBe('');
    expect(bad).toHaveLength(0);
  });

  it('v3 "1.e" behaviour (legacyExponent) matches the goldens without the PR #60 deltas', () => {
    const base = [...readGolden('samples-expected.tsv', []).rows, ...readGolden('fuzz-expected.tsv', []).rows];
    const bad = sqliMismatches(base, { legacyExponent: true });
    expect(bad.slice(0, 20).join('\n')).toBe('');
    expect(bad).toHaveLength(0);
  });

  it('never exhausts the fold budget', () => {
    expect(foldBudgetExhaustions()).toBe(0);
  });
});
