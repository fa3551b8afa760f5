import { FINGERPRINTS, KEYWORDS_TSV } from './data/sqli-data';

/**
 * The keyword table as an open-addressing hash over upper-cased byte codes, so that a word, a
 * range of the input or two token values joined by a space (`UNION` + `ALL`) can be looked up
 * without building an upper-cased copy of it.
 */
const WORDS: string[] = [];
const TYPES: string[] = [];
const HASHES: number[] = [];
let longestWord = 0;
for (const line of KEYWORDS_TSV.split('\n')) {
  const tab = line.indexOf('\t');
  const word = line.slice(0, tab);
  WORDS.push(word);
  TYPES.push(line.slice(tab + 1));
  HASHES.push(hashOf(word));
  if (word.length > longestWord) longestWord = word.length;
}
const LONGEST_WORD = longestWord;

// At most half full, so that a probe always reaches an empty slot quickly.
let tableSize = 1;
while (tableSize < WORDS.length * 2) tableSize *= 2;
const MASK = tableSize - 1;
const SLOTS = new Int32Array(tableSize).fill(-1);
WORDS.forEach((_word, index) => {
  let slot = (HASHES[index] as number) & MASK;
  while ((SLOTS[slot] as number) >= 0) slot = (slot + 1) & MASK;
  SLOTS[slot] = index;
});

function step(h: number, upperCode: number): number {
  return (Math.imul(h, 31) + upperCode) | 0;
}

function hashOf(upperWord: string): number {
  let h = 0;
  for (let i = 0; i < upperWord.length; i++) h = step(h, upperWord.charCodeAt(i));
  return h;
}

function upper(c: number): number {
  return c >= 0x61 && c <= 0x7a ? c - 0x20 : c;
}

/** Hash of `s[start, start + len)` upper-cased, continuing from `h`; NaN when a byte is NUL or >= 0x80. */
function hashRange(h: number, s: string, start: number, len: number): number {
  let out = h;
  for (let i = start; i < start + len; i++) {
    const c = s.charCodeAt(i);
    // Such a byte can never be in the ASCII table; `toUpperCase` would even turn `ß` into `SS`.
    if (c === 0 || c >= 0x80) return NaN;
    out = step(out, upper(c));
  }
  return out;
}

function rangeMatches(word: string, at: number, s: string, start: number, len: number): boolean {
  for (let i = 0; i < len; i++) {
    if (upper(s.charCodeAt(start + i)) !== word.charCodeAt(at + i)) return false;
  }
  return true;
}

/**
 * Index of the keyword equal (ASCII case-insensitively) to `a[aStart, aStart + aLen)`, followed,
 * when `bLen >= 0`, by a space and `b[bStart, bStart + bLen)`; -1 when there is none. Ranges are
 * assumed to lie within their strings.
 */
function find(a: string, aStart: number, aLen: number, b: string, bStart: number, bLen: number): number {
  const total = bLen < 0 ? aLen : aLen + 1 + bLen;
  if (total === 0 || total > LONGEST_WORD) return -1;
  let h = hashRange(0, a, aStart, aLen);
  if (bLen >= 0) h = hashRange(step(h, 0x20), b, bStart, bLen);
  if (h !== h) return -1;
  for (let slot = h & MASK; ; slot = (slot + 1) & MASK) {
    const index = SLOTS[slot] as number;
    if (index < 0) return -1;
    const word = WORDS[index] as string;
    if (HASHES[index] !== h || word.length !== total || !rangeMatches(word, 0, a, aStart, aLen)) continue;
    if (bLen < 0 || (word.charCodeAt(aLen) === 0x20 && rangeMatches(word, aLen + 1, b, bStart, bLen))) return index;
  }
}

/**
 * Token type of a keyword, two-byte operator or merged phrase (`UNION ALL`), or `''` when unknown.
 * ASCII-only case folding: on latin1 `toUpperCase` would turn `ß` into `SS` and invent matches the
 * reference never makes, so a word with a byte >= 0x80 (or a NUL) is never a keyword.
 */
export function lookupWord(word: string): string {
  return lookupRange(word, 0, word.length);
}

/** {@link lookupWord} of `s[start, start + len)`, without a substring. */
export function lookupRange(s: string, start: number, len: number): string {
  const index = find(s, start, len, '', 0, -1);
  return index < 0 ? '' : (TYPES[index] as string);
}

/** {@link lookupWord} of the phrase `a[aStart, +aLen) + ' ' + b[bStart, +bLen)`, without building it. */
export function lookupPhrase(a: string, aStart: number, aLen: number, b: string, bStart: number, bLen: number): string {
  const index = find(a, aStart, aLen, b, bStart, bLen);
  return index < 0 ? '' : (TYPES[index] as string);
}

// Upper-cased on load: libinjection compares fingerprints case-insensitively, so `t`/`T` and `f`/`F`
// collide, and that collision is part of the reference behaviour.
const FINGERPRINT_SET = new Set<string>(FINGERPRINTS.split('\n').map((fp) => fp.toUpperCase()));

/** Blacklist half of libinjection's check: the fingerprint, upper-cased, is a known SQLi shape. */
export function isBlacklistedFingerprint(fingerprint: string): boolean {
  return fingerprint.length > 0 && FINGERPRINT_SET.has(fingerprint.toUpperCase());
}

/**
 * The same blacklist keyed by number, for the detector's hot path: each upper-cased fingerprint
 * byte is a 5-bit digit (1..31; the blacklist uses 20 symbols), so a fingerprint of at most 5
 * bytes is a small integer and no fingerprint string has to be built to look it up.
 */
const FINGERPRINT_DIGIT = new Uint8Array(256);
let digitCount = 0;
for (const fp of FINGERPRINT_SET) {
  for (let i = 0; i < fp.length; i++) {
    const c = fp.charCodeAt(i);
    if (FINGERPRINT_DIGIT[c] === 0) FINGERPRINT_DIGIT[c] = ++digitCount;
  }
}
if (digitCount > 31) throw new Error(`libinjection fingerprints: ${digitCount} symbols do not fit 5 bits`);
// Lower-case type letters share the digit of their upper-case form (ASCII letters only).
for (let c = 0x61; c <= 0x7a; c++) FINGERPRINT_DIGIT[c] = FINGERPRINT_DIGIT[c - 0x20] as number;

/** Key of an upper-cased fingerprint, or -1 when it holds a byte the blacklist never uses. */
function keyOf(fp: string): number {
  let key = 0;
  for (let i = 0; i < fp.length; i++) {
    const d = FINGERPRINT_DIGIT[fp.charCodeAt(i)] as number;
    if (d === 0) return -1;
    key = key * 32 + d;
  }
  return key;
}

const FINGERPRINT_KEYS = new Set<number>();
for (const fp of FINGERPRINT_SET) if (fp.length <= 5) FINGERPRINT_KEYS.add(keyOf(fp));
if (FINGERPRINT_KEYS.size !== FINGERPRINT_SET.size) throw new Error('libinjection fingerprints: keys are not unique');

/**
 * Appends one fingerprint byte (a token type's code) to a key started at 0; the result stays -1
 * once a byte is not a blacklist symbol. Callers append at most 5 bytes.
 */
export function fingerprintKeyAppend(key: number, code: number): number {
  if (key < 0) return -1;
  const d = code < 256 ? (FINGERPRINT_DIGIT[code] as number) : 0;
  return d === 0 ? -1 : key * 32 + d;
}

/** {@link isBlacklistedFingerprint} of a fingerprint given by its key. */
export function isBlacklistedKey(key: number): boolean {
  return key > 0 && FINGERPRINT_KEYS.has(key);
}
