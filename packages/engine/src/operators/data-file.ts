import { OperatorCompileError } from './errors';
import type { OperatorCompileContext } from './types';

/**
 * The data files named by a `@pmFromFile` / `@ipMatchFromFile` argument: several names separated by
 * spaces, each read through the compile context (relative to the rule's file). ModSecurity can also
 * download `https://` lists at load time; Rampart refuses that rather than fetch rules over the network.
 */
export function readDataFiles(argument: string, operatorName: string, ctx: OperatorCompileContext): DataFile[] {
  const names = argument.split(' ').filter((n) => n !== '');
  if (names.length === 0) throw new OperatorCompileError('bad-argument', `${operatorName} needs a file name`);
  return names.map((name) => {
    if (/^https?:\/\//i.test(name)) {
      throw new OperatorCompileError(
        'unsupported-operator',
        `${operatorName}: remote data files (${name}) are not supported; download the list and name the local file`,
      );
    }
    try {
      return { name, content: ctx.readDataFile(name) };
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      // The engine's reader may already word the error for the rule (`@pmFromFile: cannot read ...`).
      const message = reason.startsWith('@') ? reason : `${operatorName}: cannot read data file ${name}: ${reason}`;
      throw new OperatorCompileError('data-file', message);
    }
  });
}

/** A data file as the rule names it, and its text (latin1). */
export interface DataFile {
  name: string;
  content: string;
}

/**
 * Lines of a data file that carry data: blank (or whitespace-only) lines and lines whose first non-space
 * character is `#` are skipped; everything else is kept verbatim (a leading space is part of the phrase,
 * as in CRS's sql-errors.data). A trailing CR is dropped so that CRLF files work.
 */
export function dataLines(content: string): string[] {
  return numberedDataLines(content).map((l) => l.text);
}

/**
 * {@link dataLines} with each line's number (1-based), so that an error can name the line of a bad entry without
 * quoting it: the file may not be the list it was meant to be (`@ipMatchFromFile /etc/shadow`), and error
 * output goes to logs that others read.
 */
export function numberedDataLines(content: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const rawLine = lines[i]!;
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (/^[ \t\v\f\r]*$/.test(line)) continue;
    if (/^[ \t\v\f\r]*#/.test(line)) continue;
    out.push({ line: i + 1, text: line });
  }
  return out;
}
