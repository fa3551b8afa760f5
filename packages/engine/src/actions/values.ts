/** Parses `phase:` values: 1-5, or `request` (2), `response` (4), `logging` (5). */
export function parsePhase(text: string): 1 | 2 | 3 | 4 | 5 {
  switch (text.toLowerCase()) {
    case 'request':
      return 2;
    case 'response':
      return 4;
    case 'logging':
      return 5;
  }
  const n = Number(text);
  if (n === 1 || n === 2 || n === 3 || n === 4 || n === 5) return n;
  // ModSecurity v2 accepted phase:0 as phase 1 (connection) only in some builds; refuse clearly.
  throw new Error(`phase must be 1-5, request, response or logging, got '${text}'`);
}

const SEVERITIES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'];

/** Parses `severity:` values: 0-7 or their names (case-insensitive). */
export function parseSeverity(text: string): number {
  const n = Number(text);
  if (/^[0-7]$/.test(text)) return n;
  const i = SEVERITIES.indexOf(text.toUpperCase());
  if (i === -1) throw new Error(`severity must be 0-7 or one of ${SEVERITIES.join(', ')}, got '${text}'`);
  return i;
}

/** Parses the integer fields of setvar arithmetic like ModSecurity (a leading integer, else 0). */
export function toInt(text: string): number {
  const m = /^\s*([+-]?\d+)/.exec(text);
  return m ? Number.parseInt(m[1]!, 10) : 0;
}
