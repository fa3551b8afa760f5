/**
 * ssdeep context-triggered piecewise hashes (Kornblum's spamsum, as libfuzzy 2.x computes and compares them),
 * for `@fuzzyHash`. No maintained npm package does this: `ssdeep.js` (0.0.3, 2014) only hashes and `ssdeep`
 * (0.1.1) is an old native binding, hence this implementation. Checked against libfuzzy 2.14 (Debian's
 * libfuzzy2, which libmodsecurity v3 links) on generated inputs in the tests.
 *
 * A hash is `blocksize:digest1:digest2`: the input is cut where a rolling hash over the last 7 bytes hits
 * `blocksize - 1` modulo `blocksize`, each piece gives one base64 character of a running hash of its bytes; digest2
 * uses twice the block size. Two hashes compare (0 to 100) when their block sizes are equal or differ by a factor
 * of two, by a weighted edit distance between digests that share a 7-character substring.
 */

const ROLLING_WINDOW = 7;
const MIN_BLOCKSIZE = 3;
const SPAMSUM_LENGTH = 64;
const NUM_BLOCKHASHES = 31;
/** The FNV-style piece hash is only ever used modulo 64, which depends on its low 6 bits only. */
const HASH_INIT = 0x28021967 & 63;
const HASH_PRIME = 0x01000193 & 63;
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const blockSize = (i: number): number => MIN_BLOCKSIZE * 2 ** i;

interface BlockHash {
  h: number;
  halfh: number;
  digest: string;
  /** The character for a piece cut off when the digest was full (libfuzzy keeps it past the end). */
  tail: string;
  halfdigest: string;
}

/** The ssdeep hash of `input` (bytes as a latin1 string: one char = one byte). */
export function ssdeepHash(input: string): string {
  const window = new Uint8Array(ROLLING_WINDOW);
  let h1 = 0;
  let h2 = 0;
  let h3 = 0;
  let n = 0;
  const total = input.length;
  const bh: BlockHash[] = [{ h: HASH_INIT, halfh: HASH_INIT, digest: '', tail: '', halfdigest: '' }];
  let start = 0;
  let end = 1;
  let lastH = 0;
  let needLastHash = false;
  const piece = (h: number, c: number): number => ((h * HASH_PRIME) ^ c) & 63;

  for (let k = 0; k < total; k++) {
    const c = input.charCodeAt(k) & 0xff;
    h2 = (h2 - h1 + ROLLING_WINDOW * c) >>> 0;
    h1 = (h1 + c - window[n % ROLLING_WINDOW]!) >>> 0;
    window[n % ROLLING_WINDOW] = c;
    n++;
    h3 = ((h3 << 5) ^ c) >>> 0;
    const sum = (h1 + h2 + h3) >>> 0;
    for (let i = start; i < end; i++) {
      const b = bh[i]!;
      b.h = piece(b.h, c);
      b.halfh = piece(b.halfh, c);
    }
    if (needLastHash) lastH = piece(lastH, c);
    for (let i = start; i < end; i++) {
      const size = blockSize(i);
      if (sum % size !== size - 1) break;
      const b = bh[i]!;
      if (b.digest.length === 0) {
        // The first trigger of the largest block size: start the next one from its state.
        const last = bh[end - 1]!;
        if (end < NUM_BLOCKHASHES) {
          bh[end] = { h: last.h, halfh: last.halfh, digest: '', tail: '', halfdigest: '' };
          end++;
        } else if (!needLastHash) {
          needLastHash = true;
          lastH = last.h;
        }
      }
      const ch = B64[b.h]!;
      b.halfdigest = B64[b.halfh]!;
      if (b.digest.length < SPAMSUM_LENGTH - 1) {
        b.digest += ch;
        b.tail = '';
        b.h = HASH_INIT;
        if (b.digest.length < SPAMSUM_LENGTH / 2) b.halfh = HASH_INIT;
      } else {
        b.tail = ch;
        // Drop the smallest block size once it cannot be the one chosen.
        if (end - start >= 2 && blockSize(start) * SPAMSUM_LENGTH < total && bh[start + 1]!.digest.length >= SPAMSUM_LENGTH / 2) {
          start++;
        }
      }
    }
  }

  const rolling = (h1 + h2 + h3) >>> 0;
  let bi = start;
  while (blockSize(bi) * SPAMSUM_LENGTH < total) {
    bi++;
    if (bi >= NUM_BLOCKHASHES) throw new RangeError('input too large for an ssdeep hash');
  }
  while (bi >= end) bi--;
  while (bi > start && bh[bi]!.digest.length < SPAMSUM_LENGTH / 2) bi--;

  const first = bh[bi]!;
  let out = `${blockSize(bi)}:${first.digest}`;
  if (rolling !== 0) out += B64[first.h];
  else if (first.tail !== '') out += first.tail;
  out += ':';
  if (bi < end - 1) {
    const second = bh[bi + 1]!;
    out += second.digest.slice(0, SPAMSUM_LENGTH / 2 - 1);
    if (rolling !== 0) out += B64[second.halfh];
    else if (second.halfdigest !== '') out += second.halfdigest;
  } else if (rolling !== 0) {
    out += B64[bi === 0 ? first.h : lastH & 63];
  }
  return out;
}

/** Runs of more than three equal characters are cut to three before comparing (libfuzzy does). */
function eliminateSequences(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (i >= 3 && s[i] === s[i - 1] && s[i] === s[i - 2] && s[i] === s[i - 3]) continue;
    out += s[i];
  }
  return out;
}

function hasCommonSubstring(a: string, b: string): boolean {
  if (a.length < ROLLING_WINDOW || b.length < ROLLING_WINDOW) return false;
  const seen = new Set<string>();
  for (let i = 0; i + ROLLING_WINDOW <= a.length; i++) seen.add(a.slice(i, i + ROLLING_WINDOW));
  for (let i = 0; i + ROLLING_WINDOW <= b.length; i++) if (seen.has(b.slice(i, i + ROLLING_WINDOW))) return true;
  return false;
}

/** Edit distance with insertion and deletion cost 1, substitution cost 2. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 2));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

function scoreStrings(a: string, b: string, size: number): number {
  if (a.length > SPAMSUM_LENGTH || b.length > SPAMSUM_LENGTH) return 0;
  if (!hasCommonSubstring(a, b)) return 0;
  let score = Math.floor((editDistance(a, b) * SPAMSUM_LENGTH) / (a.length + b.length));
  score = Math.floor((100 * score) / SPAMSUM_LENGTH);
  if (score >= 100) return 0;
  score = 100 - score;
  const capFrom = Math.floor((99 + ROLLING_WINDOW) / ROLLING_WINDOW) * MIN_BLOCKSIZE;
  if (size >= capFrom) return score;
  return Math.min(score, Math.floor(size / MIN_BLOCKSIZE) * Math.min(a.length, b.length));
}

interface Parsed {
  size: number;
  d1: string;
  d2: string;
}

/** `size:digest1:digest2`, ignoring what follows a comma (a file name in ssdeep's output). */
function parse(hash: string): Parsed | undefined {
  const m = /^\s*\+?(\d+):([^:]*):([^,]*)/.exec(hash);
  if (m === null) return undefined;
  const size = Number(m[1]);
  const d1 = m[2]!;
  const d2 = m[3]!;
  if (!Number.isSafeInteger(size) || d1.length > SPAMSUM_LENGTH || d2.length > SPAMSUM_LENGTH) return undefined;
  return { size, d1, d2 };
}

/** libfuzzy's fuzzy_compare: 0 (no similarity) to 100; -1 when a hash cannot be read. */
export function ssdeepCompare(hash1: string, hash2: string): number {
  const a = parse(hash1);
  const b = parse(hash2);
  if (a === undefined || b === undefined) return -1;
  if (a.size !== b.size && a.size * 2 !== b.size && !(a.size % 2 === 0 && a.size / 2 === b.size)) return 0;
  const a1 = eliminateSequences(a.d1);
  const a2 = eliminateSequences(a.d2);
  const b1 = eliminateSequences(b.d1);
  const b2 = eliminateSequences(b.d2);
  if (a.size === b.size && a1 === b1 && a2 === b2) return 100;
  if (a.size === b.size) return Math.max(scoreStrings(a1, b1, a.size), scoreStrings(a2, b2, a.size * 2));
  if (a.size === b.size * 2) return scoreStrings(a1, b2, a.size);
  return scoreStrings(a2, b1, b.size);
}
