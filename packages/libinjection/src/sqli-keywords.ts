import { AsciiNameTable } from './ascii-name-table';
import { FINGERPRINTS, KEYWORDS_TSV } from './data/sqli-data';

const WORDS: string[] = [];
const TYPES: string[] = [];
for (const line of KEYWORDS_TSV.split('\n')) {
  const tab = line.indexOf('\t');
  WORDS.push(line.slice(0, tab));
  TYPES.push(line.slice(tab + 1));
}
// Looked up by byte range, so that neither an upper-cased copy nor a joined phrase is built.
const KEYWORDS = new AsciiNameTable(WORDS);

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
  const index = KEYWORDS.find(s, start, len);
  return index < 0 ? '' : (TYPES[index] as string);
}

/** {@link lookupWord} of the phrase `a[aStart, +aLen) + ' ' + b[bStart, +bLen)`, without building it. */
export function lookupPhrase(a: string, aStart: number, aLen: number, b: string, bStart: number, bLen: number): string {
  const index = KEYWORDS.findPhrase(a, aStart, aLen, b, bStart, bLen);
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
