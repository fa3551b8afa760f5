import type { ExplainRecord } from './explain-record';

/**
 * The record as JSON that is plain ASCII: strings hold bytes (latin1), and a byte from 0x7f up is written as
 * `\u00XX`, so a reader that decodes the text as UTF-8 (any JSON parser) gets the same bytes back, one char each.
 * `indent` 0 gives one line (the agent's trace log: one record per line).
 *
 * @example fs.appendFileSync('trace.log', formatExplainJson(record, 0) + '\n')
 */
export function formatExplainJson(record: ExplainRecord, indent = 2): string {
  return JSON.stringify(record, null, indent === 0 ? undefined : indent).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Reads a record back (a line of a trace log, or `rampart explain --json` output); refuses what is not one. */
export function parseExplainJson(text: string): ExplainRecord {
  const value = JSON.parse(text) as Partial<ExplainRecord> | null;
  if (value === null || typeof value !== 'object' || value.format !== 'rampart-explain/1') throw new Error('not a rampart explain record (format rampart-explain/1)');
  return value as ExplainRecord;
}
