import { tool } from '../tool';
import { displayPath } from './paths';
import type { Formatter } from './types';

/**
 * One JSON document, described by `schema/lint-output.schema.json` (JSON Schema 2020-12): the tool, the
 * profile, the diagnostics with flat 1-based locations (end inclusive), and the statistics when asked for.
 */
export const formatJson: Formatter = (diagnostics, options) => {
  const doc: Record<string, unknown> = {
    tool: { name: tool.name, version: tool.version },
    profile: options.profile ?? 'generic',
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
      ...(d.fix === undefined ? {} : { fixable: true }),
    })),
  };
  if (options.stats !== undefined) doc['stats'] = options.stats;
  return JSON.stringify(doc, null, 2) + '\n';
};
