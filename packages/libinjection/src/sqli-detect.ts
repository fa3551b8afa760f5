import { fingerprintInto, isSqliFingerprint, newTokenSlots } from './sqli-fingerprint';
import { toByteString } from './latin1';
import type { SqliContext, SqliOptions } from './sqli-tokenizer';

export interface SqliResult {
  isSqli: boolean;
  /** Fingerprint of the context that matched; `''` when the input is not SQLi. */
  fingerprint: string;
}

export const CONTEXT_NONE_ANSI: SqliContext = { quote: 'none', mysql: false };
export const CONTEXT_NONE_MYSQL: SqliContext = { quote: 'none', mysql: true };
export const CONTEXT_SINGLE_ANSI: SqliContext = { quote: 'single', mysql: false };
export const CONTEXT_SINGLE_MYSQL: SqliContext = { quote: 'single', mysql: true };
export const CONTEXT_DOUBLE_MYSQL: SqliContext = { quote: 'double', mysql: true };

const SHARED_SLOTS = newTokenSlots();

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
 */
export function detectSqli(raw: string, options: SqliOptions = {}): SqliResult {
  const input = toByteString(raw);
  if (input.length === 0) return { isSqli: false, fingerprint: '' };
  // Detection is synchronous and only the fingerprint string escapes, so one set of slots is reused.
  const slots = SHARED_SLOTS;
  const attempt = (context: SqliContext): { hit: SqliResult | undefined; retryMysql: boolean } => {
    const r = fingerprintInto(input, context, options, slots);
    const hit = isSqliFingerprint(input, r) ? { isSqli: true, fingerprint: r.fingerprint } : undefined;
    return { hit, retryMysql: r.statsCommentDdx + r.statsCommentHash > 0 };
  };

  const none = attempt(CONTEXT_NONE_ANSI);
  if (none.hit) return none.hit;
  if (none.retryMysql) {
    const mysql = attempt(CONTEXT_NONE_MYSQL);
    if (mysql.hit) return mysql.hit;
  }
  if (input.includes("'")) {
    const single = attempt(CONTEXT_SINGLE_ANSI);
    if (single.hit) return single.hit;
    if (single.retryMysql) {
      const mysql = attempt(CONTEXT_SINGLE_MYSQL);
      if (mysql.hit) return mysql.hit;
    }
  }
  if (input.includes('"')) {
    const double = attempt(CONTEXT_DOUBLE_MYSQL);
    if (double.hit) return double.hit;
  }
  return { isSqli: false, fingerprint: '' };
}
