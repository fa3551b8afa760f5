import { stripNul } from './ascii';
import { BLACK_ATTRS, BLACK_TAGS, EVENT_NAMES_UNION } from './data/xss-data';
import { Html5Tokenizer } from './html5-tokenizer';
import { toByteString } from './latin1';
import type { Html5Context } from './html5-tokenizer';

/** How an attribute's value is judged. */
export type AttrClass = 'NONE' | 'BLACK' | 'ATTR_URL' | 'STYLE' | 'ATTR_INDIRECT';

export interface XssOptions {
  /**
   * Event names (upper-case, without `on`) for `on*` attributes. An attribute name of 5+ bytes that
   * starts with `on` is black when the rest *starts with* one of them (libinjection C semantics, so
   * `onclickfoo` is black). Default: the union of libinjection's 298 and libinjection-go's 432 names,
   * the most detection-friendly choice and a superset of ModSecurity v3.0.13.
   */
  readonly eventNames?: readonly string[];
}

// No options given: one shared object instead of a fresh `{}` per call.
const NO_OPTIONS: XssOptions = Object.freeze({});

// Module-local for `detectXss`, which the CommonJS output would otherwise read from `exports`.
const CONTEXTS: readonly Html5Context[] = [
  'data',
  'value-no-quote',
  'value-single-quote',
  'value-double-quote',
  'value-back-quote',
];
/** The five starting contexts, in the reference's order. */
export const XSS_CONTEXTS = CONTEXTS;

/**
 * Exact, ASCII-case-insensitive name lookup that skips NUL bytes, without allocating: candidates are
 * bucketed by length and upper-cased first byte, and a name without NUL can only equal a candidate
 * of its own length and first letter, so most ranges are rejected by one array read. Names are
 * given as a range of the input so that the tokenizer's tokens need no substring.
 */
class NameTable<V> {
  private readonly buckets: (readonly (readonly [string, V])[] | undefined)[];
  private readonly longest: number;
  constructor(entries: readonly (readonly [string, V])[]) {
    this.longest = entries.reduce((max, entry) => Math.max(max, entry[0].length), 0);
    // Filled up front: an array grown by far-apart indexes would fall back to dictionary elements.
    this.buckets = new Array<undefined>(bucketKey(this.longest + 1, 0)).fill(undefined);
    for (const entry of entries) {
      const name = entry[0];
      if (name.length === 0) continue;
      const key = bucketKey(name.length, name.charCodeAt(0));
      this.buckets[key] = [...(this.buckets[key] ?? []), entry];
    }
  }
  get(s: string, start: number, end: number): V | undefined {
    if (hasNul(s, start, end)) {
      const key = stripNul(s.slice(start, end));
      return this.find(key, 0, key.length);
    }
    return this.find(s, start, end);
  }

  /** The lookup proper, for a range without NUL. */
  private find(s: string, start: number, end: number): V | undefined {
    const len = end - start;
    if (len === 0 || len > this.longest) return undefined;
    const bucket = this.buckets[bucketKey(len, s.charCodeAt(start))];
    if (bucket === undefined) return undefined;
    for (let i = 0; i < bucket.length; i++) {
      const entry = bucket[i] as readonly [string, V];
      if (startsWithCi(s, start, end, entry[0])) return entry[1];
    }
    return undefined;
  }

}

function bucketKey(len: number, firstByte: number): number {
  return len * 256 + (firstByte >= 0x61 && firstByte <= 0x7a ? firstByte - 0x20 : firstByte);
}

// The first NUL at or after `nulFrom` in `nulInput` (-1: none). A scan checks many short ranges of
// one input, mostly from left to right: one native `indexOf` then answers all the ranges before
// the NUL it found, instead of a loop over every range. `forgetNul` drops the input after a scan.
let nulInput = '';
let nulFrom = 0;
let nulAt = -1;

function hasNul(s: string, start: number, end: number): boolean {
  if (s !== nulInput || start < nulFrom || (nulAt >= 0 && nulAt < start)) {
    nulInput = s;
    nulFrom = start;
    nulAt = s.indexOf('\0', start);
  }
  return nulAt >= 0 && nulAt < end;
}

function forgetNul(): void {
  nulInput = '';
  nulFrom = 0;
  nulAt = -1;
}

const BLACK_TAG_TABLE = new NameTable<true>(BLACK_TAGS.map((name) => [name, true] as const));
const BLACK_ATTR_TABLE = new NameTable<AttrClass>(BLACK_ATTRS.map(([name, cls]) => [name, cls as AttrClass] as const));
const URL_SCHEMES = ['DATA', 'VIEW-SOURCE', 'JAVA', 'VBSCRIPT'];

/** One node of the event-name trie: children by byte, and whether a name ends here. */
interface TrieNode {
  readonly children: Map<number, TrieNode>;
  terminal: boolean;
}

/**
 * Event names as a trie over their bytes, for prefix matching without building upper-cased
 * substrings: the name after `on` is walked byte by byte, ASCII letters upper-cased.
 */
class EventMatcher {
  private readonly root: TrieNode = { children: new Map(), terminal: false };
  constructor(names: readonly string[]) {
    for (const name of names) {
      let node = this.root;
      for (let i = 0; i < name.length; i++) {
        const c = name.charCodeAt(i);
        let child = node.children.get(c);
        if (child === undefined) {
          child = { children: new Map(), terminal: false };
          node.children.set(c, child);
        }
        node = child;
      }
      node.terminal = true;
    }
  }
  /** True when `s[start, end)` (an attribute name after `on`) starts with an event name. */
  matchesPrefix(s: string, start: number, end: number): boolean {
    let node: TrieNode | undefined = this.root;
    // A NUL inside the compared span makes the reference's comparison fail, so the walk stops at it.
    for (let i = start; ; i++) {
      if (node.terminal) return true;
      if (i >= end) return false;
      const c = s.charCodeAt(i);
      if (c === 0) return false;
      node = node.children.get(c >= 0x61 && c <= 0x7a ? c - 0x20 : c);
      if (node === undefined) return false;
    }
  }
}

const DEFAULT_EVENTS = new EventMatcher(EVENT_NAMES_UNION);
const matcherCache = new WeakMap<readonly string[], EventMatcher>();

function eventMatcher(options: XssOptions): EventMatcher {
  const names = options.eventNames;
  if (names === undefined) return DEFAULT_EVENTS;
  let m = matcherCache.get(names);
  if (m === undefined) {
    m = new EventMatcher(names);
    matcherCache.set(names, m);
  }
  return m;
}

/** Whether `s[start, end)` starts with `upperPrefix` (upper-case ASCII), ignoring ASCII case. */
function startsWithCi(s: string, start: number, end: number, upperPrefix: string): boolean {
  if (end - start < upperPrefix.length) return false;
  for (let i = 0; i < upperPrefix.length; i++) {
    const c = s.charCodeAt(start + i);
    const u = c >= 0x61 && c <= 0x7a ? c - 0x20 : c;
    if (u !== upperPrefix.charCodeAt(i)) return false;
  }
  return true;
}

function classifyRange(s: string, start: number, end: number, events: EventMatcher): AttrClass {
  const len = end - start;
  if (len < 2) return 'NONE';
  if (len >= 5) {
    if (startsWithCi(s, start, end, 'ON') && events.matchesPrefix(s, start + 2, end)) return 'BLACK';
    if (startsWithCi(s, start, end, 'XMLNS') || startsWithCi(s, start, end, 'XLINK')) return 'BLACK';
  }
  return BLACK_ATTR_TABLE.get(s, start, end) ?? 'NONE';
}

/** Class of an attribute name: `on*` events, `xmlns`/`xlink` prefixes, then the exact-name table. */
export function classifyAttribute(name: string, options: XssOptions = NO_OPTIONS): AttrClass {
  try {
    return classifyRange(name, 0, name.length, eventMatcher(options));
  } finally {
    forgetNul();
  }
}

function isBlackTagRange(s: string, start: number, end: number): boolean {
  if (end - start < 3) return false;
  if (BLACK_TAG_TABLE.get(s, start, end) === true) return true;
  return startsWithCi(s, start, end, 'SVG') || startsWithCi(s, start, end, 'XSL');
}

/** Black tag: an exact name from the list (NUL bytes ignored), or any `svg*` / `xsl*` tag. */
export function isBlackTag(name: string): boolean {
  try {
    return isBlackTagRange(name, 0, name.length);
  } finally {
    forgetNul();
  }
}

function digitValue(ch: number, hex: boolean): number {
  if (ch >= 0x30 && ch <= 0x39) return ch - 0x30;
  if (!hex) return -1;
  const l = ch | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

// The result of `decodeCharAt`, kept here rather than in a fresh object per character.
let decodedCode = 0;

/**
 * Decodes one character of the attribute value `s[.., end)` at `i` (`&#65;`, `&#x41`, raw bytes):
 * the code goes to `decodedCode`, and how many bytes it used is returned. Named entities are not
 * decoded: `&amp;` reads as `&`.
 */
function decodeCharAt(s: string, i: number, end: number): number {
  const c = s.charCodeAt(i);
  decodedCode = 0x26;
  // Signed-char reference: a raw byte >= 0x80 reads as a negative value (so "<= 32" while skipping).
  if (c !== 0x26 || end - i < 2) {
    decodedCode = c >= 0x80 ? c - 256 : c;
    return 1;
  }
  if (s.charCodeAt(i + 1) !== 0x23) return 1;
  const hex = i + 2 < end && (s.charCodeAt(i + 2) | 0x20) === 0x78;
  let k = hex ? i + 3 : i + 2;
  if (digitValue(k < end ? s.charCodeAt(k) : 0, hex) < 0) return 1;
  let value = 0;
  while (k < end) {
    const ch = s.charCodeAt(k);
    if (ch === 0x3b) {
      decodedCode = value;
      return k + 1 - i;
    }
    const d = digitValue(ch, hex);
    if (d < 0) break;
    value = value * (hex ? 16 : 10) + d;
    if (value > 0x1000ff) return 1;
    k++;
  }
  decodedCode = value;
  return k - i;
}

/** True when `value[start, end)`, HTML-entity-decoded on the fly, starts with `prefix` (upper-case ASCII). */
function entityDecodedStartsWith(value: string, start: number, end: number, prefix: string): boolean {
  let i = start;
  let matched = 0;
  let first = true;
  while (i < end) {
    i += decodeCharAt(value, i, end);
    const code = decodedCode;
    if (first && code <= 32) continue;
    first = false;
    if (code === 0 || code === 10) continue;
    const upper = code >= 0x61 && code <= 0x7a ? code - 0x20 : code;
    // Only the low 8 bits are compared, as the reference does (`&#x141;` equals `A`).
    if ((upper & 0xff) !== prefix.charCodeAt(matched)) return false;
    matched++;
    if (matched === prefix.length) return true;
  }
  return false;
}

/**
 * URL attribute values that start with a dangerous scheme prefix. No colon is required, so
 * `href=database.html` is flagged too: a known false positive of the reference, kept for parity.
 */
export function isBlackUrl(value: string): boolean {
  return isBlackUrlRange(value, 0, value.length);
}

/** {@link isBlackUrl} of `s[start, end)`, without a substring. */
function isBlackUrlRange(s: string, start: number, end: number): boolean {
  let from = start;
  while (from < end) {
    const c = s.charCodeAt(from);
    if (c > 0x20 && c < 0x7f) break;
    from++;
  }
  for (let i = 0; i < URL_SCHEMES.length; i++) {
    if (entityDecodedStartsWith(s, from, end, URL_SCHEMES[i] as string)) return true;
  }
  return false;
}

/** Whether the comment `s[start, end)` is one that browsers or parsers act on. */
function isBlackCommentRange(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (s.charCodeAt(i) === 0x60) return true;
  const len = end - start;
  if (len > 3) {
    // IE conditional comments and `<!--xml ...>` islands.
    if (s.charCodeAt(start) === 0x5b && startsWithCi(s, start + 1, end, 'IF')) return true;
    if (startsWithCi(s, start, end, 'XML')) return true;
  }
  // A NUL among the first six bytes can match neither name, as in the reference.
  if (len > 5 && (startsWithCi(s, start, end, 'IMPORT') || startsWithCi(s, start, end, 'ENTITY'))) return true;
  return false;
}

// One tokenizer for every call: detection is synchronous and each call resets it. `tokenizerBusy`
// is set during a scan, so that a scan started from inside one gets a tokenizer of its own.
const TOKENIZER = new Html5Tokenizer('', 'data');
let tokenizerBusy = false;

/** libinjection's `libinjection_is_xss` for one starting context. */
export function isXssInContext(input: string, context: Html5Context, options: XssOptions = NO_OPTIONS): boolean {
  return isXssWith(input, context, eventMatcher(options));
}

/**
 * {@link isXssInContext} with the options already resolved: they are read once, before the pooled
 * tokenizer is touched, so no caller code (an option getter) runs in the middle of a scan.
 */
function isXssWith(input: string, context: Html5Context, events: EventMatcher): boolean {
  if (tokenizerBusy) return scan(new Html5Tokenizer(input, context), input, events);
  const h = TOKENIZER;
  h.reset(input, context);
  tokenizerBusy = true;
  try {
    return scan(h, input, events);
  } finally {
    tokenizerBusy = false;
    h.release();
    forgetNul();
  }
}

function scan(h: Html5Tokenizer, input: string, events: EventMatcher): boolean {
  let attr: AttrClass = 'NONE';
  while (h.next()) {
    const type = h.tokenType;
    if (type !== 'ATTR_VALUE') attr = 'NONE';
    switch (type) {
      case 'DOCTYPE':
        return true;
      case 'TAG_NAME_OPEN':
        if (isBlackTagRange(input, h.tokenStart, h.tokenStart + h.tokenLen)) return true;
        break;
      case 'ATTR_NAME':
        attr = classifyRange(input, h.tokenStart, h.tokenStart + h.tokenLen, events);
        break;
      case 'ATTR_VALUE':
        switch (attr) {
          case 'NONE':
            break;
          case 'BLACK':
          case 'STYLE':
            return true;
          case 'ATTR_URL':
            if (isBlackUrlRange(input, h.tokenStart, h.tokenStart + h.tokenLen)) return true;
            break;
          case 'ATTR_INDIRECT':
            // `<animate attributeName="href" ...>` names the attribute it writes to.
            if (classifyRange(input, h.tokenStart, h.tokenStart + h.tokenLen, events) !== 'NONE') return true;
            break;
        }
        attr = 'NONE';
        break;
      case 'TAG_COMMENT':
        if (isBlackCommentRange(input, h.tokenStart, h.tokenStart + h.tokenLen)) return true;
        break;
      default:
        break;
    }
  }
  return false;
}

/**
 * libinjection's `libinjection_xss`: the input is XSS when the HTML5 tokenizer, started in any of
 * the five contexts (text, unquoted / `'` / `"` / `` ` `` attribute value), meets a black tag,
 * attribute, URL scheme, comment or a doctype. `raw` is bytes as a latin1 string (code units above
 * 0xFF are re-encoded as UTF-8 first).
 *
 * Behaviour choices: `on*` attributes are matched as a prefix against the union event list (see
 * {@link XssOptions}); byte 0xFF is not end-of-input (see {@link Html5Tokenizer}).
 */
export function detectXss(raw: string, options: XssOptions = NO_OPTIONS): boolean {
  const input = toByteString(raw);
  const events = eventMatcher(options);
  for (let i = 0; i < CONTEXTS.length; i++) {
    if (isXssWith(input, CONTEXTS[i] as Html5Context, events)) return true;
  }
  return false;
}
