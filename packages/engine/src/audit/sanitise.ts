import type { Transaction } from '../transaction';

/** What the sanitise* actions of the matched rules asked to mask, by lower-case name, in first-seen order. */
export interface SanitiseTargets {
  /** Argument names as the request had them (only arguments that exist, as ModSecurity lists them). */
  args: Map<string, string>;
  requestHeaders: Map<string, string>;
  responseHeaders: Map<string, string>;
}

const MATCHED_ARG = /^ARGS(?:_GET|_POST)?:/;

/**
 * Collects the sanitise* actions of every rule (and chain member) that matched. `sanitiseMatched` masks the
 * variable the rule matched, when it is an argument or a header (ModSecurity handles no other variables).
 * `sanitiseMatchedBytes` masks the whole value too: the matched byte range is not recorded, and masking more
 * than asked is the safe side for a sanitiser.
 */
export function collectSanitiseTargets(tx: Transaction): SanitiseTargets {
  const argNames = new Map<string, string>();
  const reqHeaders = new Map<string, string>();
  const resHeaders = new Map<string, string>();
  for (const m of tx.matchedRules) {
    if (m.id === 0) continue;
    for (let r = tx.waf.rule(m.id); r !== undefined; r = r.chained) {
      const s = r.sanitise;
      for (const a of s.args) argNames.set(a.toLowerCase(), a);
      for (const h of s.requestHeaders) if (!reqHeaders.has(h.toLowerCase())) reqHeaders.set(h.toLowerCase(), h);
      for (const h of s.responseHeaders) if (!resHeaders.has(h.toLowerCase())) resHeaders.set(h.toLowerCase(), h);
      if (s.matched) {
        const name = m.matchedVarName;
        const colon = name.indexOf(':');
        const key = name.slice(colon + 1);
        if (MATCHED_ARG.test(name)) argNames.set(key.toLowerCase(), key);
        else if (name.startsWith('REQUEST_HEADERS:') && !reqHeaders.has(key.toLowerCase())) reqHeaders.set(key.toLowerCase(), key);
        else if (name.startsWith('RESPONSE_HEADERS:') && !resHeaders.has(key.toLowerCase())) resHeaders.set(key.toLowerCase(), key);
      }
    }
  }
  // Arguments are listed under the names the request used, and only when present.
  const args = new Map<string, string>();
  if (argNames.size > 0) {
    for (const e of tx.collection('ARGS')?.entries() ?? []) {
      const lower = e.key.toLowerCase();
      if (argNames.has(lower) && !args.has(lower)) args.set(lower, e.key);
    }
  }
  return { args, requestHeaders: reqHeaders, responseHeaders: resHeaders };
}

export const maskValue = (s: string): string => '*'.repeat(s.length);

const hexValue = (c: number): number => (c >= 0x30 && c <= 0x39 ? c - 0x30 : (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 ? (c | 0x20) - 0x57 : -1);

/** Form-urlencoded decoding of an argument name (`+` and `%XX`), latin1 in and out; invalid escapes kept. */
export function decodeFormName(s: string): string {
  if (s.indexOf('%') === -1 && s.indexOf('+') === -1) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2b) out += ' ';
    else if (c === 0x25 && i + 2 < s.length && hexValue(s.charCodeAt(i + 1)) >= 0 && hexValue(s.charCodeAt(i + 2)) >= 0) {
      out += String.fromCharCode(hexValue(s.charCodeAt(i + 1)) * 16 + hexValue(s.charCodeAt(i + 2)));
      i += 2;
    } else out += s[i];
  }
  return out;
}

/** Masks, in `name=value` pairs split on `separator`, the raw (still encoded) value of every named argument. */
export function maskUrlencoded(text: string, names: ReadonlyMap<string, string>, separator: string): string {
  if (names.size === 0 || text.length === 0) return text;
  const segments = text.split(separator);
  let changed = false;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const eq = seg.indexOf('=');
    if (eq === -1) continue;
    if (!names.has(decodeFormName(seg.slice(0, eq)).toLowerCase())) continue;
    segments[i] = seg.slice(0, eq + 1) + maskValue(seg.slice(eq + 1));
    changed = true;
  }
  return changed ? segments.join(separator) : text;
}

/** The request target with the values of sanitised query-string arguments masked (the fragment kept). */
export function maskQueryString(target: string, names: ReadonlyMap<string, string>, separator: string): string {
  const q = target.indexOf('?');
  if (q === -1 || names.size === 0) return target;
  const hash = target.indexOf('#', q);
  const end = hash === -1 ? target.length : hash;
  return target.slice(0, q + 1) + maskUrlencoded(target.slice(q + 1, end), names, separator) + target.slice(end);
}

const BOUNDARY = /boundary\s*=\s*"?([^";,\s]+)/i;
const PART_NAME = /\bname\s*=\s*"([^"]*)"|\bname\s*=\s*([^\s;]+)/i;

/**
 * Masks the content of the multipart form fields (not files) whose name is sanitised. The body was already
 * parsed by the engine; this pass only finds the parts again by their boundary, and leaves anything it cannot
 * recognise unchanged.
 */
export function maskMultipart(body: string, contentType: string, names: ReadonlyMap<string, string>): string {
  if (names.size === 0) return body;
  const b = BOUNDARY.exec(contentType);
  if (!b) return body;
  const delimiter = `--${b[1]!}`;
  let out = '';
  let copied = 0;
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const lineEnd = body.indexOf('\n', at);
    if (lineEnd === -1) break;
    const next = body.indexOf(delimiter, lineEnd + 1);
    if (next === -1) break;
    const part = body.slice(lineEnd + 1, next);
    const headerEnd = /\r?\n\r?\n/.exec(part);
    if (headerEnd) {
      const headers = part.slice(0, headerEnd.index);
      const cd = /^content-disposition:[^\n]*/im.exec(headers);
      const name = cd ? PART_NAME.exec(cd[0]) : null;
      const isFile = cd !== null && /filename\*?\s*=/i.test(cd[0]);
      if (name && !isFile && names.has((name[1] ?? name[2] ?? '').toLowerCase())) {
        const contentStart = lineEnd + 1 + headerEnd.index + headerEnd[0].length;
        let contentEnd = next;
        if (body[contentEnd - 1] === '\n') contentEnd--;
        if (body[contentEnd - 1] === '\r') contentEnd--;
        if (contentEnd > contentStart) {
          out += body.slice(copied, contentStart) + maskValue(body.slice(contentStart, contentEnd));
          copied = contentEnd;
        }
      }
    }
    at = next;
  }
  return copied === 0 ? body : out + body.slice(copied);
}
