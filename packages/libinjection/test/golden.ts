import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATA_DIR } from './unit-file';

/** One row of `expected/*-expected.tsv`: the reference's results for one input. */
export interface GoldenRow {
  /** 1-based data row number in the base file. */
  row: number;
  sqli: boolean;
  fp: string;
  /** Per-context fingerprints: none/ansi, none/mysql, single/ansi, single/mysql, double/mysql (`+` = passes the check). */
  contexts: [string, string, string, string, string];
  xss: boolean;
  xssContexts: string;
  input: string;
  label: string;
}

function parseRow(cols: string[], row: number, label: string): GoldenRow {
  const n = cols.length;
  const [sqli, fp, a, b, c, d, e, xss, xssCtx, json] = cols.slice(n - 10);
  if (json === undefined) throw new Error(`${label}: short row`);
  return {
    row,
    sqli: sqli === '1',
    fp: fp ?? '',
    contexts: [a ?? '', b ?? '', c ?? '', d ?? '', e ?? ''],
    xss: xss === '1',
    xssContexts: xssCtx ?? '',
    input: JSON.parse(json) as string,
    label,
  };
}

function dataLines(file: string): string[] {
  return fs
    .readFileSync(path.join(DATA_DIR, 'expected', file), 'latin1')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** Reads a golden file and applies the given delta files (rows replaced by their `row` number). */
export function readGolden(base: string, deltas: string[]): { rows: GoldenRow[]; replaced: number } {
  const rows = dataLines(base).map((line, i) => {
    const cols = line.split('\t');
    const label = cols.length > 10 ? `${base}:${i + 1} (${cols[0]}:${cols[1]})` : `${base}:${i + 1}`;
    return parseRow(cols, i + 1, label);
  });
  let replaced = 0;
  for (const delta of deltas) {
    for (const line of dataLines(delta)) {
      const cols = line.split('\t');
      const row = Number(cols[0]);
      const old = rows[row - 1];
      if (old === undefined) throw new Error(`${delta}: row ${row} out of range`);
      const updated = parseRow(cols, row, `${old.label} [${delta}]`);
      if (updated.input !== old.input) throw new Error(`${delta}: row ${row} input differs from the base file`);
      rows[row - 1] = updated;
      replaced++;
    }
  }
  return { rows, replaced };
}
