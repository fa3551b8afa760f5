import type { AuditHeader, AuditUpload } from './record-data';

/** One Native record read back into its sections and their fields (what log pipelines extract). */
export interface NativeAuditRecord {
  boundary: string;
  /** Section letters in the order they appear, with their raw content (no marker lines). */
  sections: Array<{ letter: string; content: string }>;
  /** Section A. */
  header: { timestamp: string; uniqueId: string; clientIp: string; clientPort: number; serverIp: string; serverPort: number };
  /** Section B. */
  request?: { line: string; headers: AuditHeader[] };
  /** Section C, byte for byte. */
  requestBody?: string;
  /** Section I. */
  formFields?: string;
  /** Section F; `status` is undefined when the section is empty (no response known). */
  response?: { protocol: string; status: number | undefined; reason: string; headers: AuditHeader[] };
  /** Section E, byte for byte. */
  responseBody?: string;
  /** Section H: `Message:` lines, and the other `Name: value` lines in order. */
  trailer?: { messages: string[]; fields: Array<{ name: string; value: string }> };
  /** Section J. */
  uploads?: { files: AuditUpload[]; total: number };
  /** Section K: each matched rule (or chain, one text per member). */
  matchedRules?: string[][];
}

export class AuditLogParseError extends Error {
  readonly code = 'audit-log-parse';
}

const A_MARKER = /^--([0-9a-f]{8})-A--\n/;
const A_LINE = /^\[([^\]]+)\] (\S+) (\S*) (\d+) (\S*) (\d+)$/;

function headerLines(lines: string[]): AuditHeader[] {
  return lines.map((l) => {
    const colon = l.indexOf(': ');
    if (colon === -1) throw new AuditLogParseError(`header line without ': ': ${JSON.stringify(l)}`);
    return { name: l.slice(0, colon), value: l.slice(colon + 2) };
  });
}

const linesOf = (content: string): string[] => (content.length === 0 ? [] : content.replace(/\n$/, '').split('\n'));

/**
 * Parses one record as `formatNativeRecord` writes it (ModSecurity v2 layout). Throws AuditLogParseError on
 * anything out of shape: a truncated or interleaved record must not pass as whole.
 */
export function parseNativeRecord(text: string): NativeAuditRecord {
  const a = A_MARKER.exec(text);
  if (!a) throw new AuditLogParseError('record does not start with an A section marker');
  const boundary = a[1]!;
  const marker = new RegExp(`\\n--${boundary}-([A-Z])--\\n`, 'g');
  const sections: Array<{ letter: string; content: string }> = [];
  let letter = 'A';
  let start = a[0].length;
  let ended = false;
  for (let m = marker.exec(text); m !== null; m = marker.exec(text)) {
    sections.push({ letter, content: text.slice(start, m.index) });
    letter = m[1]!;
    start = m.index + m[0].length;
    if (letter === 'Z') {
      ended = true;
      break;
    }
  }
  if (!ended) throw new AuditLogParseError(`record ${boundary} has no Z section`);
  const rest = text.slice(start);
  if (rest !== '' && rest !== '\n') throw new AuditLogParseError(`record ${boundary} has data after its Z section`);
  sections.push({ letter: 'Z', content: '' });

  const headerMatch = A_LINE.exec(sections[0]!.content);
  if (!headerMatch) throw new AuditLogParseError(`record ${boundary}: malformed A section ${JSON.stringify(sections[0]!.content)}`);
  const record: NativeAuditRecord = {
    boundary,
    sections,
    header: {
      timestamp: headerMatch[1]!,
      uniqueId: headerMatch[2]!,
      clientIp: headerMatch[3]!,
      clientPort: Number(headerMatch[4]),
      serverIp: headerMatch[5]!,
      serverPort: Number(headerMatch[6]),
    },
  };
  for (const { letter: l, content } of sections) {
    switch (l) {
      case 'B': {
        const lines = linesOf(content);
        record.request = { line: lines[0] ?? '', headers: headerLines(lines.slice(1)) };
        break;
      }
      case 'C':
        record.requestBody = content;
        break;
      case 'I':
        record.formFields = content;
        break;
      case 'F': {
        const lines = linesOf(content);
        const status = lines.length > 0 ? /^(\S+) (\d{3})(?: (.*))?$/.exec(lines[0]!) : null;
        if (lines.length > 0 && !status) throw new AuditLogParseError(`record ${boundary}: malformed status line ${JSON.stringify(lines[0])}`);
        record.response = status
          ? { protocol: status[1]!, status: Number(status[2]), reason: status[3] ?? '', headers: headerLines(lines.slice(1)) }
          : { protocol: '', status: undefined, reason: '', headers: [] };
        break;
      }
      case 'E':
        record.responseBody = content;
        break;
      case 'H': {
        const trailer: NonNullable<NativeAuditRecord['trailer']> = { messages: [], fields: [] };
        for (const line of linesOf(content)) {
          const colon = line.indexOf(': ');
          if (colon === -1) throw new AuditLogParseError(`record ${boundary}: malformed trailer line ${JSON.stringify(line)}`);
          const name = line.slice(0, colon);
          if (name === 'Message') trailer.messages.push(line.slice(colon + 2));
          else trailer.fields.push({ name, value: line.slice(colon + 2) });
        }
        record.trailer = trailer;
        break;
      }
      case 'J': {
        const files: AuditUpload[] = [];
        let total = -1;
        for (const line of linesOf(content)) {
          const t = /^Total,(\d+)$/.exec(line);
          if (t) {
            total = Number(t[1]);
            continue;
          }
          const f = /^(\d+),(\d+),"((?:[^"\\]|\\.)*)","((?:[^"\\]|\\.)*)"$/.exec(line);
          if (!f) throw new AuditLogParseError(`record ${boundary}: malformed upload line ${JSON.stringify(line)}`);
          files.push({ part: Number(f[1]), size: Number(f[2]), filename: f[3]!, contentType: f[4]! });
        }
        if (total < 0) throw new AuditLogParseError(`record ${boundary}: section J has no Total line`);
        record.uploads = { files, total };
        break;
      }
      case 'K': {
        const groups: string[][] = [];
        let group: string[] = [];
        for (const line of content.split('\n')) {
          if (line === '') {
            if (group.length > 0) groups.push(group);
            group = [];
          } else group.push(line);
        }
        if (group.length > 0) groups.push(group);
        record.matchedRules = groups;
        break;
      }
      default:
        break;
    }
  }
  return record;
}

/**
 * Splits a Serial log into records: each runs from its `--<b>-A--` line to its own `--<b>-Z--` line and the
 * blank line after it. Bytes between records (an interleaved or torn write) are returned in `garbage`.
 */
export function splitNativeLog(text: string): { records: string[]; garbage: string[] } {
  const records: string[] = [];
  const garbage: string[] = [];
  let pos = 0;
  const start = /^--([0-9a-f]{8})-A--$/gm;
  while (pos < text.length) {
    start.lastIndex = pos;
    const m = start.exec(text);
    if (!m) {
      garbage.push(text.slice(pos));
      break;
    }
    if (m.index > pos) garbage.push(text.slice(pos, m.index));
    const end = `\n--${m[1]!}-Z--\n\n`;
    const at = text.indexOf(end, m.index);
    if (at === -1) {
      garbage.push(text.slice(m.index));
      break;
    }
    records.push(text.slice(m.index, at + end.length));
    pos = at + end.length;
  }
  return { records, garbage };
}

/** Parses every record of a Serial log; throws when any bytes do not belong to a whole record. */
export function parseNativeLog(text: string): NativeAuditRecord[] {
  const { records, garbage } = splitNativeLog(text);
  if (garbage.length > 0) throw new AuditLogParseError(`${garbage.length} stretch(es) of the log are not whole records, first: ${JSON.stringify(garbage[0]!.slice(0, 200))}`);
  return records.map(parseNativeRecord);
}
