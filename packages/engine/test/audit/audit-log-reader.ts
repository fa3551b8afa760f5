/**
 * An audit-log reader for the tests, written from the formats as libmodsecurity v3 and ModSecurity v2 write
 * them (v3: src/transaction.cc toOldAuditLogFormat / toOldAuditLogFormatIndex / toJSON and
 * src/rule_message.cc; v2: apache2/msc_logging.c), not from Rampart's writers or src/audit/native-parse.ts:
 * what it accepts is what a third-party parser of those formats would accept.
 *
 * Everything is read line by line. A record is a list of sections; each section keeps its raw text (the lines
 * between its marker and the next one, newlines included) so that blank lines are part of what is compared.
 */

export type Layout = 'v3' | 'v2';

export interface ReadSection {
  letter: string;
  /** The text between this marker line and the next, each line with its `\n`. */
  text: string;
}

export interface ReadRecord {
  layout: Layout;
  boundary: string;
  sections: ReadSection[];
  /**
   * The record's shape, one token per line: `[X]` a marker of section X, `` a blank line, `.` any other line.
   * Two records with the same skeleton have the same sections, order and blank lines.
   */
  skeleton: string[];
}

const V3_MARKER = /^---([0-9A-Za-z]{8})---([A-Z])--$/;
const V2_MARKER = /^--([0-9a-f]{8})-([A-Z])--$/;

/** Reads every record of a Serial log (or one Concurrent file). Throws on any line outside a whole record. */
export function readNativeLog(text: string): ReadRecord[] {
  if (!text.endsWith('\n')) throw new Error('a Native audit log ends with a newline');
  const lines = text.slice(0, -1).split('\n');
  const records: ReadRecord[] = [];
  let i = 0;
  while (i < lines.length) {
    const first = lines[i]!;
    const v3 = V3_MARKER.exec(first);
    const v2 = v3 ? null : V2_MARKER.exec(first);
    const m = v3 ?? v2;
    if (!m || m[2] !== 'A') throw new Error(`line ${i + 1}: expected the A marker of a record, got ${JSON.stringify(first.slice(0, 80))}`);
    const layout: Layout = v3 ? 'v3' : 'v2';
    const marker = v3 ? V3_MARKER : V2_MARKER;
    const boundary = m[1]!;
    const record: ReadRecord = { layout, boundary, sections: [], skeleton: [`[A]`] };
    let current: ReadSection = { letter: 'A', text: '' };
    i++;
    for (;;) {
      if (i >= lines.length) throw new Error(`record ${boundary}: the log ends before its Z marker`);
      const line = lines[i]!;
      const mm = marker.exec(line);
      if (mm && mm[1] === boundary) {
        record.sections.push(current);
        record.skeleton.push(`[${mm[2]}]`);
        current = { letter: mm[2]!, text: '' };
        i++;
        if (mm[2] === 'Z') break;
        continue;
      }
      // A line that looks like another boundary's marker is content (a body may hold anything).
      current.text += `${line}\n`;
      record.skeleton.push(line === '' ? '' : '.');
      i++;
    }
    // Z has no content: the record ends with one blank line.
    if (lines[i] !== '') throw new Error(`record ${boundary}: the Z marker is not followed by a blank line`);
    record.sections.push({ letter: 'Z', text: '' });
    record.skeleton.push('');
    i++;
    records.push(record);
  }
  return records;
}

/** One rule message of v3's section H (and its error log): `ModSecurity: <kind> <match> [name "value"] ...`. */
export interface ReadMessage {
  /** `Warning.` or `Access denied with code 403 (phase 2).` */
  kind: string;
  match: string;
  file: string;
  line: string;
  id: string;
  rev: string;
  msg: string;
  data: string;
  severity: string;
  ver: string;
  maturity: string;
  accuracy: string;
  tags: string[];
  hostname: string;
  uri: string;
  unique_id: string;
  ref: string;
}

// The fields come in this order (RuleMessage::_details). Values are not escaped for `"` everywhere (msg, uri),
// so each field is found by the name of the one that follows it.
const MESSAGE = new RegExp(
  '^ModSecurity: (Warning\\.|Access denied with code \\d+ \\(phase \\d\\)\\.) (.*?) \\[file "(.*)"\\] \\[line "(\\d+)"\\] \\[id "(\\d+)"\\] ' +
    '\\[rev "(.*)"\\] \\[msg "(.*)"\\] \\[data "(.*)"\\] \\[severity "(\\d+)"\\] \\[ver "(.*)"\\] \\[maturity "(\\d+)"\\] ' +
    '\\[accuracy "(\\d+)"\\]((?: \\[tag "(?:(?!"\\] \\[).)*"\\])*) \\[hostname "(.*)"\\] \\[uri "(.*)"\\] \\[unique_id "(.*)"\\] \\[ref "(.*)"\\]$',
);

export function readRuleMessage(line: string): ReadMessage {
  const m = MESSAGE.exec(line);
  if (!m) throw new Error(`not a v3 rule message: ${JSON.stringify(line.slice(0, 160))}`);
  const tags = [...m[13]!.matchAll(/ \[tag "((?:(?!"\] \[).)*)"\]/g)].map((t) => t[1]!);
  return {
    kind: m[1]!,
    match: m[2]!,
    file: m[3]!,
    line: m[4]!,
    id: m[5]!,
    rev: m[6]!,
    msg: m[7]!,
    data: m[8]!,
    severity: m[9]!,
    ver: m[10]!,
    maturity: m[11]!,
    accuracy: m[12]!,
    tags,
    hostname: m[14]!,
    uri: m[15]!,
    unique_id: m[16]!,
    ref: m[17]!,
  };
}

/** A record as a flat list of named fields, for field-by-field comparison. */
export type Fields = Map<string, string>;

const lines = (text: string): string[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

/**
 * v3 writes one blank line after the response part whether or not F is selected: it ends the text of F, or of
 * the last section before it when F is not written. This gives each section's text without it.
 */
function withoutResponseBlank(r: ReadRecord): ReadSection[] {
  const last = r.sections.reduce((at, s, i) => (s.letter <= 'F' ? i : at), -1);
  return r.sections.map((s, i) => {
    if (i !== last) return s;
    if (!s.text.endsWith('\n\n') && !(s.letter === 'F' && s.text.endsWith('\n'))) throw new Error(`${s.letter}: the blank line after the response part is missing`);
    return { letter: s.letter, text: s.text.slice(0, -1) };
  });
}

/**
 * The fields of a v3 record: `A.time`, `A.unique_id`, ..., `B.line`, `B.header.<n>`, `C.body`, `E.body`,
 * `F.status`, `F.header.<n>`, `H.<rule id>.<field>` (a rule matched twice gets `#2`), and `sections`
 * (the letters in order) and `skeleton`.
 */
export function nativeV3Fields(r: ReadRecord): Fields {
  if (r.layout !== 'v3') throw new Error('not a v3 record');
  const f: Fields = new Map();
  f.set('sections', r.sections.map((s) => s.letter).join(''));
  f.set('skeleton', r.skeleton.join('|'));
  for (const s of withoutResponseBlank(r)) {
    const l = lines(s.text);
    switch (s.letter) {
      case 'A': {
        const a = /^\[([^\]]+)\] (\S+) (\S+) (\d+) (\S+) (\d+)$/.exec(l[0] ?? '');
        if (!a || l.length !== 1) throw new Error(`A: ${JSON.stringify(s.text)}`);
        ['time', 'unique_id', 'client_ip', 'client_port', 'server_ip', 'server_port'].forEach((k, i) => f.set(`A.${k}`, a[i + 1]!));
        break;
      }
      case 'B':
        f.set('B.line', l[0] ?? '');
        l.slice(1).forEach((h, i) => h !== '' && f.set(`B.header.${i + 1}`, h));
        break;
      case 'C':
      case 'E':
        // The body, a newline, and the section's blank line.
        if (!s.text.endsWith('\n\n')) throw new Error(`${s.letter} does not end with a blank line`);
        f.set(`${s.letter}.body`, s.text.slice(0, -2));
        break;
      case 'F':
        f.set('F.status', l[0] ?? '');
        l.slice(1).forEach((h, i) => h !== '' && f.set(`F.header.${i + 1}`, h));
        break;
      case 'H': {
        const seen = new Map<string, number>();
        for (const line of l) {
          if (line === '') continue;
          const m = readRuleMessage(line);
          const n = (seen.get(m.id) ?? 0) + 1;
          seen.set(m.id, n);
          const key = `H.${m.id}${n > 1 ? `#${n}` : ''}`;
          for (const [k, v] of Object.entries(m)) f.set(`${key}.${k}`, Array.isArray(v) ? v.join(' | ') : v);
        }
        f.set('H.ids', [...seen.keys()].join(','));
        break;
      }
      default:
        f.set(`${s.letter}.text`, s.text);
    }
  }
  return f;
}

/** One line of v3's concurrent index (`toOldAuditLogFormatIndex`). */
export interface ReadIndexLine {
  host: string;
  client_ip: string;
  remote_user: string;
  time: string;
  request_line: string;
  status: string;
  response_bytes: string;
  referer: string;
  user_agent: string;
  unique_id: string;
  referer_again: string;
  file: string;
  zero: string;
  size: string;
  md5: string;
}

const INDEX = /^(\S+) (\S+) (\S+) \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}) (\d+) (\S+) "((?:[^"\\]|\\.)*)" (\S+) (\S+) (\S+) (0) (\d+\.\d{6}) md5:([0-9a-f]{32})$/;

export function readIndexLog(text: string): ReadIndexLine[] {
  if (!text.endsWith('\n')) throw new Error('an index log ends with a newline');
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const m = INDEX.exec(line);
      if (!m) throw new Error(`not a v3 index line: ${JSON.stringify(line)}`);
      const names: Array<keyof ReadIndexLine> = ['host', 'client_ip', 'remote_user', 'time', 'request_line', 'status', 'response_bytes', 'referer', 'user_agent', 'unique_id', 'referer_again', 'file', 'zero', 'size', 'md5'];
      return Object.fromEntries(names.map((n, i) => [n, m[i + 1]!])) as unknown as ReadIndexLine;
    });
}

export function indexFields(l: ReadIndexLine): Fields {
  return new Map(Object.entries(l));
}

/**
 * The fields of a JSON record (one line): every leaf by its path, arrays of strings joined, `messages` keyed by
 * rule id, and `keys:<path>` for the member order of each object (v3 writes them in a fixed order).
 */
export function jsonFields(line: string): Fields {
  const f: Fields = new Map();
  const walk = (v: unknown, p: string): void => {
    if (Array.isArray(v)) {
      if (v.every((x) => typeof x === 'string')) f.set(p, v.join(' | '));
      else if (p === 'transaction.messages') {
        const seen = new Map<string, number>();
        for (const m of v as Array<{ details: { ruleId: string } }>) {
          const n = (seen.get(m.details.ruleId) ?? 0) + 1;
          seen.set(m.details.ruleId, n);
          walk(m, `${p}.${m.details.ruleId}${n > 1 ? `#${n}` : ''}`);
        }
        f.set(`${p}.ids`, [...seen.keys()].join(','));
      } else v.forEach((x, i) => walk(x, `${p}.${i}`));
    } else if (typeof v === 'object' && v !== null) {
      f.set(`keys:${p}`, Object.keys(v).join(','));
      for (const [k, x] of Object.entries(v)) walk(x, p === '' ? k : `${p}.${k}`);
    } else f.set(p, typeof v === 'string' ? v : JSON.stringify(v));
  };
  if (line.includes('\n')) throw new Error('a JSON record is one line');
  walk(JSON.parse(line) as unknown, '');
  return f;
}

/** The fields of a v2 record: `sections`, `A.*`, `B.line`, `F.status`, `H.message.<n>` and `H.<name>` lines. */
export function nativeV2Fields(r: ReadRecord): Fields {
  if (r.layout !== 'v2') throw new Error('not a v2 record');
  const f: Fields = new Map();
  f.set('sections', r.sections.map((s) => s.letter).join(''));
  for (const s of r.sections) {
    const l = lines(s.text);
    switch (s.letter) {
      case 'A': {
        const a = /^\[([^\]]+)\] (\S+) (\S+) (\d+) (\S+) (\d+)$/.exec(l[0] ?? '');
        if (!a) throw new Error(`A: ${JSON.stringify(s.text)}`);
        ['time', 'unique_id', 'client_ip', 'client_port', 'server_ip', 'server_port'].forEach((k, i) => f.set(`A.${k}`, a[i + 1]!));
        break;
      }
      case 'B':
        f.set('B.line', l[0] ?? '');
        l.slice(1).forEach((h, i) => h !== '' && f.set(`B.header.${i + 1}`, h));
        break;
      case 'F':
        f.set('F.status', l[0] ?? '');
        break;
      case 'H': {
        let n = 0;
        for (const line of l) {
          if (line === '') continue;
          const colon = line.indexOf(': ');
          if (colon === -1) throw new Error(`H: ${JSON.stringify(line)}`);
          const name = line.slice(0, colon);
          if (name === 'Message') f.set(`H.message.${++n}`, line.slice(colon + 2));
          else f.set(`H.${name}`, line.slice(colon + 2));
        }
        break;
      }
      default:
        f.set(`${s.letter}.text`, s.text);
    }
  }
  return f;
}
