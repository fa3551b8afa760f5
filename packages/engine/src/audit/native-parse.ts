import type { AuditHeader, AuditUpload } from './record-data';

/** One Native record read back into its sections and their fields (what log pipelines extract). */
export interface NativeAuditRecord {
  /** `v3`: libmodsecurity's layout (`---XXXXXXXX---A--`); `v2`: ModSecurity v2's (`--xxxxxxxx-A--`). */
  layout: 'v3' | 'v2';
  boundary: string;
  /** Section letters in the order they appear, with their content (no marker lines, no separating blank lines). */
  sections: Array<{ letter: string; content: string }>;
  /** Section A. */
  header: { timestamp: string; uniqueId: string; clientIp: string; clientPort: number; serverIp: string; serverPort: number };
  /** Section B. */
  request?: { line: string; headers: AuditHeader[] };
  /** Section C, byte for byte. */
  requestBody?: string;
  /** Section I (v2). */
  formFields?: string;
  /** Section F; `status` is undefined when the section is empty (v2, no response known). */
  response?: { protocol: string; status: number | undefined; reason: string; headers: AuditHeader[] };
  /** Section E as written (v3: non-printable bytes as `\xNN`; v2: byte for byte). */
  responseBody?: string;
  /** Section H: the rule messages (v3 `ModSecurity: ...` lines; v2 `Message:` values), and v2's other fields. */
  trailer?: { messages: string[]; fields: Array<{ name: string; value: string }> };
  /** Section J (v2). */
  uploads?: { files: AuditUpload[]; total: number };
  /** Section K (v2): each matched rule (or chain, one text per member). */
  matchedRules?: string[][];
}

export class AuditLogParseError extends Error {
  readonly code = 'audit-log-parse';
}

const V2_START = /^--([0-9a-f]{8})-A--\n/;
const V3_START = /^---([0-9A-Za-z]{8})---A--\n/;
const A_LINE = /^\[([^\]]+)\] (\S+) (\S*) (\d+) (\S*) (\d+)$/;

function headerLines(lines: string[]): AuditHeader[] {
  return lines.map((l) => {
    const colon = l.indexOf(': ');
    if (colon === -1) throw new AuditLogParseError(`header line without ': ': ${JSON.stringify(l)}`);
    return { name: l.slice(0, colon), value: l.slice(colon + 2) };
  });
}

const linesOf = (content: string): string[] => (content.length === 0 ? [] : content.replace(/\n$/, '').split('\n'));

interface Layout {
  name: 'v3' | 'v2';
  start: RegExp;
  marker: (boundary: string) => string;
}

const V3: Layout = { name: 'v3', start: V3_START, marker: (b) => `---${b}---` };
const V2: Layout = { name: 'v2', start: V2_START, marker: (b) => `--${b}-` };

/** Cuts a record into its sections: each marker line `<marker><letter>--` starts one; Z ends the record. */
function cutSections(text: string, layout: Layout): { boundary: string; raw: Array<{ letter: string; content: string }> } {
  const a = layout.start.exec(text);
  if (!a) throw new AuditLogParseError('record does not start with an A section marker');
  const boundary = a[1]!;
  const escaped = layout.marker(boundary).replace(/[-]/g, '\\-');
  const marker = new RegExp(`(?:^|\\n)${escaped}([A-Z])--\\n`, 'g');
  const raw: Array<{ letter: string; content: string }> = [];
  let letter = 'A';
  let start = a[0].length;
  marker.lastIndex = start;
  for (let m = marker.exec(text); m !== null; m = marker.exec(text)) {
    // v3 ends every line of content with a newline; v2 puts one before each marker as a separator.
    const end = layout === V3 && m[0].startsWith('\n') ? m.index + 1 : m.index;
    raw.push({ letter, content: text.slice(start, end) });
    letter = m[1]!;
    start = m.index + m[0].length;
    if (letter === 'Z') {
      const rest = text.slice(start);
      if (rest !== '' && rest !== '\n') throw new AuditLogParseError(`record ${boundary} has data after its Z section`);
      raw.push({ letter: 'Z', content: '' });
      return { boundary, raw };
    }
  }
  throw new AuditLogParseError(`record ${boundary} has no Z section`);
}

function dropSuffix(s: string, suffix: string, what: string): string {
  if (!s.endsWith(suffix)) throw new AuditLogParseError(`${what} does not end with ${JSON.stringify(suffix)}`);
  return s.slice(0, s.length - suffix.length);
}

/**
 * v3 ends each section with a blank line (A and the empty D, G, I, J, K excepted), and writes one more blank
 * line after the response part (E/F), present or not. This removes them, so contents are what was logged.
 */
function v3Contents(raw: Array<{ letter: string; content: string }>, boundary: string): Array<{ letter: string; content: string }> {
  const afterResponse = raw.findIndex((s) => s.letter > 'F');
  const lastBeforeG = afterResponse - 1;
  return raw.map((s, i) => {
    const what = `record ${boundary} section ${s.letter}`;
    let c = s.content;
    if (i === lastBeforeG && s.letter !== 'F') c = dropSuffix(c, '\n', what);
    switch (s.letter) {
      case 'A':
        return { letter: s.letter, content: dropSuffix(c, '\n', what) };
      case 'B':
      case 'F':
      case 'H':
        // Lines, each with its newline, then the blank line.
        return { letter: s.letter, content: dropSuffix(c, '\n', what) };
      case 'C':
      case 'E':
        // The body, a newline, and the blank line.
        return { letter: s.letter, content: dropSuffix(c, '\n\n', what) };
      case 'Z':
        return s;
      default:
        if (c !== '\n') throw new AuditLogParseError(`${what} should be empty (v3 writes no content there), not ${JSON.stringify(c.slice(0, 80))}`);
        return { letter: s.letter, content: '' };
    }
  });
}

/**
 * Parses one record in either layout (v3's by default, v2's with `auditLogLayout: 'v2'`). Throws
 * AuditLogParseError on anything out of shape: a truncated or interleaved record must not pass as whole.
 */
export function parseNativeRecord(text: string): NativeAuditRecord {
  const layout = V3_START.test(text) ? V3 : V2;
  const { boundary, raw } = cutSections(text, layout);
  const sections = layout === V3 ? v3Contents(raw, boundary) : raw;

  const headerMatch = A_LINE.exec(sections[0]!.content);
  if (!headerMatch) throw new AuditLogParseError(`record ${boundary}: malformed A section ${JSON.stringify(sections[0]!.content)}`);
  const record: NativeAuditRecord = {
    layout: layout.name,
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
        if (layout === V2) record.formFields = content;
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
      case 'H':
        record.trailer = layout === V3 ? { messages: linesOf(content), fields: [] } : v2Trailer(content, boundary);
        break;
      case 'J':
        if (layout === V2) record.uploads = v2Uploads(content, boundary);
        break;
      case 'K':
        if (layout === V2) record.matchedRules = v2MatchedRules(content);
        break;
      default:
        break;
    }
  }
  return record;
}

function v2Trailer(content: string, boundary: string): NonNullable<NativeAuditRecord['trailer']> {
  const trailer: NonNullable<NativeAuditRecord['trailer']> = { messages: [], fields: [] };
  for (const line of linesOf(content)) {
    const colon = line.indexOf(': ');
    if (colon === -1) throw new AuditLogParseError(`record ${boundary}: malformed trailer line ${JSON.stringify(line)}`);
    const name = line.slice(0, colon);
    if (name === 'Message') trailer.messages.push(line.slice(colon + 2));
    else trailer.fields.push({ name, value: line.slice(colon + 2) });
  }
  return trailer;
}

function v2Uploads(content: string, boundary: string): NonNullable<NativeAuditRecord['uploads']> {
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
  return { files, total };
}

function v2MatchedRules(content: string): string[][] {
  const groups: string[][] = [];
  let group: string[] = [];
  for (const line of content.split('\n')) {
    if (line === '') {
      if (group.length > 0) groups.push(group);
      group = [];
    } else group.push(line);
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/**
 * Splits a Serial log into records: each runs from its A marker line to its own Z marker line and the blank
 * line after it. Bytes between records (an interleaved or torn write) are returned in `garbage`.
 */
export function splitNativeLog(text: string): { records: string[]; garbage: string[] } {
  const records: string[] = [];
  const garbage: string[] = [];
  let pos = 0;
  const start = /^(?:---([0-9A-Za-z]{8})---|--([0-9a-f]{8})-)A--$/gm;
  while (pos < text.length) {
    start.lastIndex = pos;
    const m = start.exec(text);
    if (!m) {
      garbage.push(text.slice(pos));
      break;
    }
    if (m.index > pos) garbage.push(text.slice(pos, m.index));
    const end = m[1] !== undefined ? `\n---${m[1]}---Z--\n\n` : `\n--${m[2]!}-Z--\n\n`;
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
