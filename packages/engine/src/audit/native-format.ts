import * as crypto from 'node:crypto';
import type { Transaction } from '../transaction';
import { collectAuditData, type AuditData } from './record-data';
import { formatRuleMessage, loggedRuleMessages, ruleMessageContext, toHexIfNeeded } from './rule-message';
import { formatLogTime } from './time-format';

export interface NativeFormatOptions {
  /** 8 letters or digits, used as given; by default a random one per record, as ModSecurity does. */
  boundary?: string;
  /** Source of random boundaries (tests); `newBoundary` by default. */
  randomBoundary?: () => string;
}

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A new random section boundary: 8 letters and digits, as ModSecurity v3 makes them. */
export function newBoundary(): string {
  const bytes = crypto.randomBytes(8);
  let b = '';
  // 62 does not divide 256: the first 248 byte values map evenly, the rest are drawn again.
  for (let i = 0; b.length < 8; i++) {
    const byte = i < bytes.length ? bytes[i]! : crypto.randomBytes(1)[0]!;
    if (byte < 248) b += ALPHANUMERIC[byte % 62];
  }
  return b;
}

/**
 * One audit-log record in ModSecurity v3's Native layout (`Transaction::toOldAuditLogFormat`), which tools
 * that read libmodsecurity's audit log expect, line for line:
 *
 *   ---XXXXXXXX---A--          [time] unique_id client_ip client_port server_ip server_port
 *   ---XXXXXXXX---B--          request line, request headers, blank line
 *   ---XXXXXXXX---C--          request body, blank line            (only when there is one)
 *   ---XXXXXXXX---D--          blank line                          (v3 writes D, G, I, J and K empty)
 *   ---XXXXXXXX---E--          response body with non-printable bytes as \xNN, blank line (when there is one)
 *   ---XXXXXXXX---F--          HTTP/<request version> <status>, response headers
 *                              a blank line, written also when F is not selected
 *   ---XXXXXXXX---H--          one `ModSecurity: ...` line per logged rule match, blank line
 *   ---XXXXXXXX---Z--          blank line
 *
 * Sections follow that order and appear when their letter is in `parts` (A and Z always). The result ends with
 * the blank line that separates records in a Serial log. What differs from libmodsecurity on purpose
 * (sanitised values stay masked, a boundary never occurs in the content) is in packages/engine/README.md.
 */
export function formatNativeRecord(tx: Transaction, parts: string, options: NativeFormatOptions = {}): string {
  const d = collectAuditData(tx);
  if (options.boundary !== undefined) return build(tx, d, parts, options.boundary).text;
  // A request can carry text that looks like a section marker. It cannot guess a random boundary, but it can
  // try millions in one body: a boundary that occurs in the content is replaced, so no content can end a
  // section (or a record) early.
  let record = '';
  for (let attempt = 0; attempt < MAX_BOUNDARY_ATTEMPTS; attempt++) {
    const b = (options.randomBoundary ?? newBoundary)();
    const built = build(tx, d, parts, b);
    record = built.text;
    if (markerCount(record, `---${b}---`) === built.sections) return record;
  }
  return record;
}

const MAX_BOUNDARY_ATTEMPTS = 16;

function markerCount(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) n++;
  return n;
}

function build(tx: Transaction, d: AuditData, parts: string, b: string): { text: string; sections: number } {
  const has = (p: string): boolean => parts.includes(p);
  let sections = 0;
  const mark = (letter: string): string => {
    sections++;
    return `---${b}---${letter}--\n`;
  };
  let s = `${mark('A')}[${formatLogTime(d.time)}] ${d.uniqueId} ${d.clientIp} ${d.clientPort} ${d.serverIp} ${d.serverPort}\n`;
  if (has('B')) {
    s += `${mark('B')}${d.method === '' ? '-' : d.method} ${d.uri} ${d.protocol}\n`;
    for (const h of d.requestHeaders) s += `${h.name}: ${h.value}\n`;
    s += '\n';
  }
  if (has('C') && d.requestBody !== undefined) s += `${mark('C')}${d.requestBody}\n\n`;
  if (has('D')) s += `${mark('D')}\n`;
  if (has('E') && d.responseBody !== undefined) s += `${mark('E')}${toHexIfNeeded(d.responseBody)}\n\n`;
  if (has('F')) {
    s += `${mark('F')}${d.protocol} ${d.status ?? 200}\n`;
    for (const h of d.responseHeaders) s += `${h.name}: ${h.value}\n`;
  }
  s += '\n';
  if (has('G')) s += `${mark('G')}\n`;
  if (has('H')) {
    s += mark('H');
    const ctx = ruleMessageContext(tx);
    const code = d.status ?? 200;
    for (const m of loggedRuleMessages(tx)) s += `${d.maskSecrets(formatRuleMessage(m, ctx, code))}\n`;
    s += '\n';
  }
  if (has('I')) s += `${mark('I')}\n`;
  if (has('J')) s += `${mark('J')}\n`;
  if (has('K')) s += `${mark('K')}\n`;
  s += `${mark('Z')}\n`;
  return { text: s, sections };
}
