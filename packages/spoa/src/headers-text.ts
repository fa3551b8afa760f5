import type { HeaderPair } from '@rampart/spop';

/** At most this many header lines are read from a `req.hdrs` text: HAProxy's own limit is 101. */
const MAX_HEADER_LINES = 1000;

/**
 * Parses HAProxy's `req.hdrs` / `res.hdrs` text (`name: value` CRLF ... CRLF) into pairs, splitting on the
 * first `:` as coraza-spoa does; lines without a colon are skipped. Bounded, never throws.
 */
export function parseHeadersText(text: string): HeaderPair[] {
  const out: HeaderPair[] = [];
  let start = 0;
  while (start < text.length && out.length < MAX_HEADER_LINES) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    if (line.length === 0) break;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    out.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return out;
}
