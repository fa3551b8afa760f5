import * as fs from 'node:fs';
import * as path from 'node:path';

/** Root of the staged libinjection reference data (read-only, never copied into the repo). */
export const DATA_DIR = path.resolve(__dirname, '../../../../shared/libinjection');

export interface UnitFile {
  name: string;
  input: string;
  expected: string;
}

/** Right-trim of space, tab, CR and LF, as the upstream test driver does. */
export function rtrim(s: string): string {
  return s.replace(/[ \t\r\n]+$/, '');
}

/** Reads an upstream `--TEST-- / --INPUT-- / --EXPECTED--` file as raw bytes (latin1). */
export function readUnitFile(file: string): UnitFile {
  const text = fs.readFileSync(file, 'latin1');
  const lines = text.split('\n');
  const sections: Record<string, string[]> = {};
  let current = '';
  for (const line of lines) {
    const marker = line.replace(/\r$/, '');
    if (marker === '--TEST--' || marker === '--INPUT--' || marker === '--EXPECTED--') {
      current = marker;
      sections[current] = [];
    } else if (current !== '') {
      (sections[current] as string[]).push(line);
    }
  }
  const input = sections['--INPUT--'];
  const expected = sections['--EXPECTED--'];
  if (input === undefined || expected === undefined) throw new Error(`${file}: missing section`);
  return { name: path.basename(file), input: rtrim(input.join('\n')), expected: rtrim(expected.join('\n')) };
}

export function listUnitFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => path.join(dir, f));
}
