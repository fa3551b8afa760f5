import { foldInto, isSqliFingerprint, newTokenSlots, passesWhitelist } from './sqli-fingerprint';
import { TOKEN_SLOTS } from './sqli-fold';
import { fingerprintKeyAppend, isBlacklistedKey } from './sqli-keywords';
import { toByteString } from './latin1';
import type { SqliToken } from './sqli-token';
import { SqliTokenizer } from './sqli-tokenizer';
import type { SqliContext, SqliOptions } from './sqli-tokenizer';

export interface SqliResult {
  isSqli: boolean;
  /** Fingerprint of the context that matched; `''` when the input is not SQLi. */
  fingerprint: string;
}

// Module-local names for the detector, which the CommonJS output would otherwise read from `exports`.
const NONE_ANSI: SqliContext = { quote: 'none', mysql: false };
const NONE_MYSQL: SqliContext = { quote: 'none', mysql: true };
const SINGLE_ANSI: SqliContext = { quote: 'single', mysql: false };
const SINGLE_MYSQL: SqliContext = { quote: 'single', mysql: true };
const DOUBLE_MYSQL: SqliContext = { quote: 'double', mysql: true };
export const CONTEXT_NONE_ANSI = NONE_ANSI;
export const CONTEXT_NONE_MYSQL = NONE_MYSQL;
export const CONTEXT_SINGLE_ANSI = SINGLE_ANSI;
export const CONTEXT_SINGLE_MYSQL = SINGLE_MYSQL;
export const CONTEXT_DOUBLE_MYSQL = DOUBLE_MYSQL;

// The two possible option sets as shared objects: no fresh `{}` per call, and the caller's object is
// read once, before the pooled state is touched, so no caller code (a getter) runs mid-detection.
const NO_OPTIONS: SqliOptions = Object.freeze({});
const LEGACY_OPTIONS: SqliOptions = Object.freeze({ legacyExponent: true });

/**
 * The reusable state of {@link detectSqli}: one tokenizer, one set of token slots and the bytes of
 * the last fingerprint. Detection is synchronous, so one instance serves every call; each attempt
 * resets what it uses, and only fresh strings and a fresh result leave it.
 */
class SqliDetector {
  private readonly tokenizer = new SqliTokenizer('', NONE_ANSI);
  private readonly slots = newTokenSlots();
  private readonly fp = new Uint8Array(TOKEN_SLOTS);
  private fpLen = 0;
  /** Whether the last attempt saw a `--x` or `#` comment, a reason to retry the context as MySQL. */
  retryMysql = false;
  /** Set while a call uses this detector, so that a call from inside it gets a detector of its own. */
  busy = false;

  /** Whether `input` is SQLi in `context`; the fingerprint is then {@link fingerprint}. */
  attempt(input: string, context: SqliContext, options: SqliOptions): boolean {
    const { tokenizer, slots, fp } = this;
    const n = foldInto(input, context, options, slots, tokenizer);
    this.retryMysql = tokenizer.statsCommentDdx + tokenizer.statsCommentHash > 0;
    let key = 0;
    for (let i = 0; i < n; i++) {
      const type = (slots[i] as SqliToken).type;
      // Folded tokens always have a one-byte type; anything else takes the general path.
      if (type.length !== 1) return this.attemptGeneral(input, n);
      const code = type.charCodeAt(0);
      fp[i] = code;
      key = fingerprintKeyAppend(key, code);
    }
    this.fpLen = n;
    return isBlacklistedKey(key) && passesWhitelist(input, fp, n, slots, tokenizer.statsTokens);
  }

  private attemptGeneral(input: string, n: number): boolean {
    const { tokenizer, slots, fp } = this;
    const tokens = slots.slice(0, n);
    let fingerprint = '';
    for (const t of tokens) fingerprint += t.type;
    const hit = isSqliFingerprint(input, {
      fingerprint,
      tokens,
      statsTokens: tokenizer.statsTokens,
      statsCommentDdx: tokenizer.statsCommentDdx,
      statsCommentHash: tokenizer.statsCommentHash,
    });
    // A blacklisted fingerprint is at most 5 ASCII bytes, so it fits the scratch bytes.
    this.fpLen = hit ? fingerprint.length : 0;
    for (let i = 0; i < this.fpLen; i++) fp[i] = fingerprint.charCodeAt(i);
    return hit;
  }

  fingerprint(): string {
    let out = '';
    for (let i = 0; i < this.fpLen; i++) out += String.fromCharCode(this.fp[i] as number);
    return out;
  }

  /** Lets go of the last input, which the pooled tokenizer and slots would otherwise keep alive. */
  release(): void {
    this.tokenizer.release();
    for (const slot of this.slots) slot.release();
  }
}

const DETECTOR = new SqliDetector();

/**
 * libinjection's `libinjection_sqli`: the input as-is (ANSI, then MySQL when a `--x` or `#` was
 * seen), then as the inside of a `'` string (ANSI, then MySQL likewise) when it holds a `'`, then as
 * the inside of a `"` string (MySQL) when it holds a `"`. The first context whose fingerprint is
 * blacklisted and not whitelisted wins.
 *
 * `raw` is bytes as a latin1 string (one char per byte, codes 0..255; anything above is re-encoded
 * as UTF-8 first). Behaviour choices:
 * "1.e" numbers produce no token (libinjection v4 / Coraza, see {@link SqliOptions}); the two
 * signed-char quirks of the x86 reference (q-string delimiter, `1c` whitelist) are kept.
 *
 * Each call returns a new result object (callers may keep or change it).
 */
export function detectSqli(raw: string, options: SqliOptions = NO_OPTIONS): SqliResult {
  const input = toByteString(raw);
  if (input.length === 0) return { isSqli: false, fingerprint: '' };
  const opts = options.legacyExponent === true ? LEGACY_OPTIONS : NO_OPTIONS;
  const d = DETECTOR.busy ? new SqliDetector() : DETECTOR;
  d.busy = true;
  try {
    if (d.attempt(input, NONE_ANSI, opts)) return { isSqli: true, fingerprint: d.fingerprint() };
    if (d.retryMysql && d.attempt(input, NONE_MYSQL, opts)) return { isSqli: true, fingerprint: d.fingerprint() };
    if (input.includes("'")) {
      if (d.attempt(input, SINGLE_ANSI, opts)) return { isSqli: true, fingerprint: d.fingerprint() };
      if (d.retryMysql && d.attempt(input, SINGLE_MYSQL, opts)) return { isSqli: true, fingerprint: d.fingerprint() };
    }
    if (input.includes('"') && d.attempt(input, DOUBLE_MYSQL, opts)) {
      return { isSqli: true, fingerprint: d.fingerprint() };
    }
    return { isSqli: false, fingerprint: '' };
  } finally {
    d.busy = false;
    d.release();
  }
}
