import type { Transaction } from '../transaction';
import { NO_SPANS } from '../operators/types';

/** sanitiseMatchedBytes: bytes a match covered, and how many of them stay readable at each end. */
export interface MatchedBytes {
  text: string;
  keepFirst: number;
  keepLast: number;
}

/** What the sanitise* actions of the matched rules asked to mask, by lower-case name, in first-seen order. */
export interface SanitiseTargets {
  /** Argument names as the request had them (only arguments that exist, as ModSecurity lists them). */
  args: Map<string, string>;
  requestHeaders: Map<string, string>;
  responseHeaders: Map<string, string>;
  /**
   * sanitiseMatchedBytes: only these bytes of the argument (or header) are masked, by lower-case name. A name
   * that is also masked whole (above) is not listed here.
   */
  argBytes: Map<string, MatchedBytes[]>;
  requestHeaderBytes: Map<string, MatchedBytes[]>;
  responseHeaderBytes: Map<string, MatchedBytes[]>;
}

const MATCHED_ARG = /^ARGS(?:_GET|_POST)?:/;

/**
 * `sanitiseMatchedBytes:1/4` keeps the first byte and the last 4 of each match readable. Like ModSecurity v2,
 * only the form `N/M` with one digit each is read; anything else masks every matched byte.
 */
function keepOf(param: string): { keepFirst: number; keepLast: number } {
  const m = /^(\d)\/(\d)$/.exec(param);
  return m ? { keepFirst: Number(m[1]), keepLast: Number(m[2]) } : { keepFirst: 0, keepLast: 0 };
}

/** The bytes the rule's operator matched in MATCHED_VAR, or undefined when it could not place them. */
function matchedBytesOf(matchedVar: string, spans: readonly number[], param: string): MatchedBytes[] | undefined {
  const keep = keepOf(param);
  const out: MatchedBytes[] = [];
  for (let i = 0; i + 1 < spans.length; i += 2) {
    const text = matchedVar.slice(spans[i]!, spans[i]! + spans[i + 1]!);
    if (text !== '' && !out.some((b) => b.text === text)) out.push({ text, ...keep });
  }
  return out.length > 0 ? out : undefined;
}

function addBytes(into: Map<string, MatchedBytes[]>, lowerName: string, bytes: readonly MatchedBytes[]): void {
  const list = into.get(lowerName);
  if (list === undefined) into.set(lowerName, [...bytes]);
  else for (const b of bytes) if (!list.some((x) => x.text === b.text)) list.push(b);
}

/**
 * Collects the sanitise* actions of every rule (and chain member) that matched. `sanitiseMatched` masks the
 * variable the rule matched, when it is an argument or a header (ModSecurity handles no other variables).
 * Every value the chain matched is masked (ModSecurity v2 runs the action for each). `sanitiseMatchedBytes`
 * masks only the bytes the operator matched (MatchedRule.matches), and the whole value when the operator cannot
 * say where (`@streq`, a negated operator).
 */
export function collectSanitiseTargets(tx: Transaction): SanitiseTargets {
  const argNames = new Map<string, string>();
  const reqHeaders = new Map<string, string>();
  const resHeaders = new Map<string, string>();
  const argBytes = new Map<string, MatchedBytes[]>();
  const reqHeaderBytes = new Map<string, MatchedBytes[]>();
  const resHeaderBytes = new Map<string, MatchedBytes[]>();
  for (const m of tx.matchedRules) {
    if (m.id === 0) continue;
    for (let r = tx.waf.rule(m.id); r !== undefined; r = r.chained) {
      const s = r.sanitise;
      for (const a of s.args) argNames.set(a.toLowerCase(), a);
      for (const h of s.requestHeaders) if (!reqHeaders.has(h.toLowerCase())) reqHeaders.set(h.toLowerCase(), h);
      for (const h of s.responseHeaders) if (!resHeaders.has(h.toLowerCase())) resHeaders.set(h.toLowerCase(), h);
      if (!s.matched) continue;
      // Every value the chain matched (the last one when they were not recorded).
      const matches = m.matches.length > 0 ? m.matches : [{ variable: m.matchedVarName, value: m.matchedVar, spans: NO_SPANS }];
      for (const v of matches) {
        const name = v.variable;
        const key = name.slice(name.indexOf(':') + 1);
        const lower = key.toLowerCase();
        const bytes = s.matchedBytes !== undefined ? matchedBytesOf(v.value, v.spans, s.matchedBytes) : undefined;
        if (MATCHED_ARG.test(name)) {
          if (bytes !== undefined) addBytes(argBytes, lower, bytes);
          else argNames.set(lower, key);
        } else if (name.startsWith('REQUEST_HEADERS:')) {
          if (bytes !== undefined) addBytes(reqHeaderBytes, lower, bytes);
          else if (!reqHeaders.has(lower)) reqHeaders.set(lower, key);
        } else if (name.startsWith('RESPONSE_HEADERS:')) {
          if (bytes !== undefined) addBytes(resHeaderBytes, lower, bytes);
          else if (!resHeaders.has(lower)) resHeaders.set(lower, key);
        }
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
  // A value masked whole needs no partial mask.
  for (const k of args.keys()) argBytes.delete(k);
  for (const k of reqHeaders.keys()) reqHeaderBytes.delete(k);
  for (const k of resHeaders.keys()) resHeaderBytes.delete(k);
  return { args, requestHeaders: reqHeaders, responseHeaders: resHeaders, argBytes, requestHeaderBytes: reqHeaderBytes, responseHeaderBytes: resHeaderBytes };
}

/**
 * `value` with the matched bytes masked (each occurrence, the kept bytes left readable), or undefined when a
 * matched text does not occur in it as it is (a transformation changed the value, or the text in the log is
 * still URL-encoded): the caller masks the whole value then, the safe side for a sanitiser.
 */
export function maskMatchedBytes(value: string, bytes: readonly MatchedBytes[]): string | undefined {
  let out = value;
  for (const b of bytes) {
    if (!out.includes(b.text)) return undefined;
    const len = b.text.length;
    const first = Math.min(b.keepFirst, len);
    const last = Math.min(b.keepLast, len - first);
    const masked = b.text.slice(0, first) + '*'.repeat(len - first - last) + b.text.slice(len - last);
    out = out.split(b.text).join(masked);
  }
  return out;
}

/** What the audit log shows for a value: masked whole, its matched bytes masked, or as it is. */
export function sanitisedValue(value: string, lowerName: string, whole: ReadonlyMap<string, string>, partial?: ReadonlyMap<string, readonly MatchedBytes[]>): string {
  if (whole.has(lowerName)) return maskValue(value);
  const bytes = partial?.get(lowerName);
  if (bytes === undefined) return value;
  return maskMatchedBytes(value, bytes) ?? maskValue(value);
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
export function maskUrlencoded(text: string, names: ReadonlyMap<string, string>, separator: string, partial?: ReadonlyMap<string, readonly MatchedBytes[]>): string {
  if ((names.size === 0 && (partial === undefined || partial.size === 0)) || text.length === 0) return text;
  const segments = text.split(separator);
  let changed = false;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const eq = seg.indexOf('=');
    if (eq === -1) continue;
    const lower = decodeFormName(seg.slice(0, eq)).toLowerCase();
    const raw = seg.slice(eq + 1);
    const masked = sanitisedValue(raw, lower, names, partial);
    if (masked === raw) continue;
    segments[i] = seg.slice(0, eq + 1) + masked;
    changed = true;
  }
  return changed ? segments.join(separator) : text;
}

/** The request target with the values of sanitised query-string arguments masked (the fragment kept). */
export function maskQueryString(target: string, names: ReadonlyMap<string, string>, separator: string, partial?: ReadonlyMap<string, readonly MatchedBytes[]>): string {
  const q = target.indexOf('?');
  if (q === -1 || (names.size === 0 && (partial === undefined || partial.size === 0))) return target;
  const hash = target.indexOf('#', q);
  const end = hash === -1 ? target.length : hash;
  return target.slice(0, q + 1) + maskUrlencoded(target.slice(q + 1, end), names, separator, partial) + target.slice(end);
}

const BOUNDARY = /boundary\s*=\s*"?([^";,\s]+)/i;
const PART_NAME = /\bname\s*=\s*"([^"]*)"|\bname\s*=\s*([^\s;]+)/i;

/**
 * Masks the content of the multipart form fields (not files) whose name is sanitised. The body was already
 * parsed by the engine; this pass only finds the parts again by their boundary, and leaves anything it cannot
 * recognise unchanged.
 */
export function maskMultipart(body: string, contentType: string, names: ReadonlyMap<string, string>, partial?: ReadonlyMap<string, readonly MatchedBytes[]>): string {
  if (names.size === 0 && (partial === undefined || partial.size === 0)) return body;
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
      const lower = (name?.[1] ?? name?.[2] ?? '').toLowerCase();
      if (name && !isFile && (names.has(lower) || partial?.has(lower) === true)) {
        const contentStart = lineEnd + 1 + headerEnd.index + headerEnd[0].length;
        let contentEnd = next;
        if (body[contentEnd - 1] === '\n') contentEnd--;
        if (body[contentEnd - 1] === '\r') contentEnd--;
        if (contentEnd > contentStart) {
          out += body.slice(copied, contentStart) + sanitisedValue(body.slice(contentStart, contentEnd), lower, names, partial);
          copied = contentEnd;
        }
      }
    }
    at = next;
  }
  return copied === 0 ? body : out + body.slice(copied);
}
