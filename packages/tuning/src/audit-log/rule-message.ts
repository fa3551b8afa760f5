/**
 * One rule match as an audit log records it: section H's `ModSecurity: Warning. Matched ... [id "942100"] ...`
 * lines (libmodsecurity v3), `Message: Warning. Pattern match ... at ARGS:q. [id "942100"] ...` lines
 * (ModSecurity v2), or an entry of the JSON record's `messages`.
 */
export interface RuleMessage {
  ruleId: number;
  /** The variable that matched (`ARGS:comment`, `REQUEST_HEADERS:User-Agent`), when the message names one. */
  variable: string | undefined;
  /** The value that matched, as the message shows it (cut at 100 bytes by v3). */
  value: string | undefined;
  msg: string;
  data: string;
  /** 0 (EMERGENCY) to 7 (DEBUG); undefined when the rule has none. */
  severity: number | undefined;
  tags: string[];
  /** From the `paranoia-level/N` tag (CRS). */
  paranoiaLevel: number | undefined;
  /** The message says the rule interrupted the transaction (`Access denied with code 403 (phase 2)`). */
  disruptive: boolean;
  /** The status of an interrupting message. */
  status: number | undefined;
  phase: number | undefined;
  /** `[uri "..."]`: the path as the rules saw it (REQUEST_FILENAME), when the message carries it. */
  uri: string | undefined;
  file: string;
  line: number;
}

const SEVERITY_WORDS: Readonly<Record<string, number>> = {
  EMERGENCY: 0, ALERT: 1, CRITICAL: 2, ERROR: 3, WARNING: 4, NOTICE: 5, INFO: 6, DEBUG: 7,
};

/**
 * `2`, or v2's `CRITICAL`. v3 writes `0` for a rule without severity (its default), so a numeric 0 reads as none;
 * CRS gives every scoring rule a severity of 2 to 5.
 */
export function severityNumber(s: string | undefined): number | undefined {
  if (s === undefined || s === '') return undefined;
  if (/^\d$/.test(s)) return s === '0' ? undefined : Number(s);
  return SEVERITY_WORDS[s.toUpperCase()];
}

/** `paranoia-level/2` -> 2. */
export function paranoiaLevelOf(tags: readonly string[]): number | undefined {
  for (const t of tags) {
    const m = /^paranoia-level\/(\d)$/.exec(t);
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** A chained rule that re-checks what matched names it `MATCHED_VARS:ARGS:q` (v3): the request's variable is after the prefix. */
function requestVariable(name: string): string {
  return name.replace(/^MATCHED_VARS(?:_NAMES)?:/, '');
}

/** Names that are the rules' own bookkeeping (`TX:1`, the captures a chained rule compares), not a request's variable. */
const INTERNAL = /^(?:TX|MATCHED_VARS?|MATCHED_VAR_NAME|MATCHED_VARS_NAMES)(?::|$)/;

/**
 * The variable a match text names: v3's ``against variable `ARGS:q' (Value: `...' )``, v2's `... at ARGS:q.`,
 * or CRS's logdata `Matched Data: X found within ARGS:q: value` (what libinjection's messages leave to it, and
 * what names the request's variable when a chained rule matched on `TX:1`, as 942130 does).
 */
export function matchedVariable(match: string, data: string): { variable: string | undefined; value: string | undefined } {
  let fromMatch: { variable: string; value: string | undefined } | undefined;
  const v3 = match.indexOf("against variable `");
  if (v3 !== -1) {
    const start = v3 + 18;
    const end = match.indexOf("' (Value: `", start);
    if (end !== -1) {
      const valueEnd = match.lastIndexOf("' )");
      fromMatch = { variable: requestVariable(match.slice(start, end)), value: valueEnd > end ? match.slice(end + 11, valueEnd) : undefined };
    }
  }
  if (fromMatch === undefined) {
    const v2 = /^(?:.*?) at ([A-Z_]+(?::.*?)?)\.$/s.exec(match);
    if (v2) fromMatch = { variable: requestVariable(v2[1]!), value: undefined };
  }
  if (fromMatch !== undefined && !INTERNAL.test(fromMatch.variable)) return fromMatch;
  const within = data.indexOf(' found within ');
  if (within !== -1) {
    const rest = data.slice(within + 14);
    const colon = rest.indexOf(': ');
    const variable = requestVariable(colon === -1 ? rest : rest.slice(0, colon));
    if (variable !== '' && !INTERNAL.test(variable)) return { variable, value: colon === -1 ? undefined : rest.slice(colon + 2) };
  }
  return fromMatch ?? { variable: undefined, value: undefined };
}

/** `[file "` followed by the fields every message has, where the match text ends. */
const FIELDS_START = / \[file "[^"]*"\] \[line "\d+"\] \[id "\d+"\]/;

/**
 * Reads the `[name "value"]` fields after the match text. A value ends at the first `"]` followed by ` [` or the
 * end of the line; v3 escapes `"` in data and tags, so only msg and uri (and only with such text in them) can be
 * misread.
 */
function fields(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let pos = 0;
  while (pos < text.length) {
    const m = /^ ?\[([a-z_]+) "/.exec(text.slice(pos, pos + 40));
    if (!m) break;
    const start = pos + m[0].length;
    let end = text.indexOf('"]', start);
    while (end !== -1 && end + 2 < text.length && !text.startsWith(' [', end + 2)) end = text.indexOf('"]', end + 2);
    if (end === -1) break;
    out.push([m[1]!, text.slice(start, end)]);
    pos = end + 2;
  }
  return out;
}

/**
 * Parses one message line of a Native record's section H: v3's `ModSecurity: Warning. ...` / `ModSecurity:
 * Access denied with code 403 (phase 2). ...`, or v2's Message value (`Warning. Pattern match ...`). Returns
 * undefined for lines that are not rule messages (v2's `Apache-Error:` and the like are not passed here).
 */
export function parseMessageLine(line: string): RuleMessage | undefined {
  let text = line.startsWith('ModSecurity: ') ? line.slice(13) : line;
  let disruptive = false;
  let status: number | undefined;
  let phase: number | undefined;
  const denied = /^Access denied with (?:code (\d+)|connection close|redirection to \S+ using status (\d+))[^(]*\(phase (\d)\)\. ?/.exec(text);
  if (denied) {
    disruptive = true;
    status = denied[1] !== undefined ? Number(denied[1]) : denied[2] !== undefined ? Number(denied[2]) : undefined;
    phase = Number(denied[3]);
    text = text.slice(denied[0].length);
  } else if (text.startsWith('Warning. ')) text = text.slice(9);
  const start = FIELDS_START.exec(text);
  if (!start) return undefined;
  const match = text.slice(0, start.index);
  const f = fields(text.slice(start.index));
  const get = (name: string): string | undefined => f.find(([n]) => n === name)?.[1];
  const tags = f.filter(([n]) => n === 'tag').map(([, v]) => v);
  const data = get('data') ?? '';
  const { variable, value } = matchedVariable(match, data);
  return {
    ruleId: Number(get('id')),
    variable,
    value,
    msg: get('msg') ?? '',
    data,
    severity: severityNumber(get('severity')),
    tags,
    paranoiaLevel: paranoiaLevelOf(tags),
    disruptive,
    status,
    phase,
    uri: get('uri'),
    file: get('file') ?? '',
    line: Number(get('line') ?? 0),
  };
}

/** One entry of a JSON record's `messages` (v3's layout: `{ message, details: { match, ruleId, data, tags, ... } }`). */
export function parseJsonMessage(m: unknown): RuleMessage | undefined {
  const msg = m as { message?: unknown; details?: Record<string, unknown> } | null;
  const d = msg?.details;
  if (d === undefined || d === null || typeof d !== 'object') return undefined;
  const ruleId = Number(d.ruleId);
  if (!Number.isInteger(ruleId)) return undefined;
  const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
  const tags = Array.isArray(d.tags) ? d.tags.map(str) : [];
  const data = str(d.data);
  const { variable, value } = matchedVariable(str(d.match), data);
  return {
    ruleId,
    variable,
    value,
    msg: str(msg?.message),
    data,
    severity: severityNumber(str(d.severity)),
    tags,
    paranoiaLevel: paranoiaLevelOf(tags),
    disruptive: false,
    status: undefined,
    phase: undefined,
    uri: undefined,
    file: str(d.file),
    line: Number(d.lineNumber ?? 0) || 0,
  };
}
