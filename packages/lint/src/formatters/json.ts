import { displayPath } from './paths';
import type { Formatter } from './types';

/** One JSON document: `{ diagnostics: [...], stats? }`, with flat locations for easy consumption. */
export const formatJson: Formatter = (diagnostics, options) => {
  const doc: Record<string, unknown> = {
    diagnostics: diagnostics.map((d) => ({
      file: displayPath(d.loc.file, options.cwd),
      line: d.loc.line,
      column: d.loc.column,
      endLine: d.loc.endLine,
      endColumn: d.loc.endColumn,
      severity: d.severity,
      check: d.check,
      message: d.message,
      ...(d.related === undefined
        ? {}
        : { related: d.related.map((r) => ({ message: r.message, file: displayPath(r.loc.file, options.cwd), line: r.loc.line, column: r.loc.column })) }),
    })),
  };
  if (options.stats !== undefined) doc['stats'] = options.stats;
  return JSON.stringify(doc, null, 2) + '\n';
};
