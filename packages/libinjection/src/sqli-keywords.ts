import { FINGERPRINTS, KEYWORDS_TSV } from './data/sqli-data';

const KEYWORDS = new Map<string, string>();
for (const line of KEYWORDS_TSV.split('\n')) {
  const tab = line.indexOf('\t');
  KEYWORDS.set(line.slice(0, tab), line.slice(tab + 1));
}

// Upper-cased on load: libinjection compares fingerprints case-insensitively, so `t`/`T` and `f`/`F`
// collide, and that collision is part of the reference behaviour.
const FINGERPRINT_SET = new Set<string>(FINGERPRINTS.split('\n').map((fp) => fp.toUpperCase()));

/** True when the string holds a NUL or a byte >= 0x80: such a key can never be in the ASCII tables. */
function hasNonTableByte(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c >= 0x80) return true;
  }
  return false;
}

/**
 * Token type of a keyword, two-byte operator or merged phrase (`UNION ALL`), or `''` when unknown.
 * ASCII-only case folding: `toUpperCase` is applied only to pure-ASCII keys, because on latin1 it
 * would turn `ß` into `SS` and invent matches the reference never makes.
 */
export function lookupWord(word: string): string {
  if (word.length === 0 || hasNonTableByte(word)) return '';
  return KEYWORDS.get(word.toUpperCase()) ?? '';
}

/** Blacklist half of libinjection's check: the fingerprint, upper-cased, is a known SQLi shape. */
export function isBlacklistedFingerprint(fingerprint: string): boolean {
  return fingerprint.length > 0 && FINGERPRINT_SET.has(fingerprint.toUpperCase());
}
