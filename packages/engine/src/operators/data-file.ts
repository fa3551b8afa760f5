import { OperatorCompileError } from './errors';
import type { OperatorCompileContext } from './types';

/**
 * The data files named by a `@pmFromFile` / `@ipMatchFromFile` argument: several names separated by
 * spaces, each read through the compile context (relative to the rule's file). ModSecurity can also
 * download `https://` lists at load time; Rampart refuses that rather than fetch rules over the network.
 */
export function readDataFiles(argument: string, operatorName: string, ctx: OperatorCompileContext): string[] {
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
      return ctx.readDataFile(name);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      // The engine's reader may already word the error for the rule (`@pmFromFile: cannot read ...`).
      const message = reason.startsWith('@') ? reason : `${operatorName}: cannot read data file ${name}: ${reason}`;
      throw new OperatorCompileError('data-file', message);
    }
  });
}

/**
 * Lines of a data file that carry data: blank (or whitespace-only) lines and lines whose first non-space
 * character is `#` are skipped; everything else is kept verbatim (a leading space is part of the phrase,
 * as in CRS's sql-errors.data). A trailing CR is dropped so that CRLF files work.
 */
export function dataLines(content: string): string[] {
  const out: string[] = [];
  for (const rawLine of content.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (/^[ \t\v\f\r]*$/.test(line)) continue;
    if (/^[ \t\v\f\r]*#/.test(line)) continue;
    out.push(line);
  }
  return out;
}
