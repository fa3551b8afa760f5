import { foldTokens, TOKEN_SLOTS } from './sqli-fold';
import { isBlacklistedFingerprint } from './sqli-keywords';
import { SqliToken } from './sqli-token';
import { SqliTokenizer } from './sqli-tokenizer';
import type { SqliContext, SqliOptions } from './sqli-tokenizer';

/** The fingerprint of one input in one context, with what the whitelist rules need to judge it. */
export interface SqliFingerprint {
  /** Token types of the folded tokens, at most 5 characters; `X` alone when unparsable. */
  readonly fingerprint: string;
  /** The folded tokens (`fingerprint.length` of them). */
  readonly tokens: readonly SqliToken[];
  readonly statsTokens: number;
  readonly statsCommentDdx: number;
  readonly statsCommentHash: number;
}

export function newTokenSlots(): SqliToken[] {
  const slots: SqliToken[] = [];
  for (let i = 0; i < TOKEN_SLOTS; i++) slots.push(new SqliToken());
  return slots;
}

/** Tokenizes and folds `input` in `context` into `slots` and builds the fingerprint. */
export function fingerprintInto(
  input: string,
  context: SqliContext,
  options: SqliOptions,
  slots: SqliToken[],
): SqliFingerprint {
  const tokenizer = new SqliTokenizer(input, context, options);
  const n = foldTokens(tokenizer, slots);
  const tokens = slots.slice(0, n);
  const last = tokens[n - 1];
  // PHP's `` `cmd` `` operator: a lone trailing backtick is treated as a comment of what follows.
  if (n > 2 && last !== undefined && last.type === 'n' && last.strOpen === '`' && last.len === 0 && last.strClose === '') {
    last.type = 'c';
  }
  let fingerprint = '';
  for (const t of tokens) fingerprint += t.type;
  if (fingerprint.includes('X')) {
    const evil = slots[0] as SqliToken;
    evil.clear();
    evil.type = 'X';
    fingerprint = 'X';
    return { fingerprint, tokens: [evil], ...stats(tokenizer) };
  }
  return { fingerprint, tokens, ...stats(tokenizer) };
}

function stats(t: SqliTokenizer): Pick<SqliFingerprint, 'statsTokens' | 'statsCommentDdx' | 'statsCommentHash'> {
  return { statsTokens: t.statsTokens, statsCommentDdx: t.statsCommentDdx, statsCommentHash: t.statsCommentHash };
}

/** libinjection's `libinjection_sqli_fingerprint` for a single context. */
export function sqliFingerprint(input: string, context: SqliContext, options: SqliOptions = {}): SqliFingerprint {
  return fingerprintInto(input, context, options, newTokenSlots());
}

function tokenAt(r: SqliFingerprint, i: number): SqliToken {
  return r.tokens[i] ?? EMPTY_TOKEN;
}
const EMPTY_TOKEN = new SqliToken();

/**
 * The whitelist half of the check: shapes that the blacklist accepts but that are common in benign
 * text (`1 -- note`, `'a' or 'b'` without surrounding quotes, ...) are let through. `input` is the
 * whole original input, which two rules inspect directly.
 */
function passesWhitelist(input: string, r: SqliFingerprint): boolean {
  const fp = r.fingerprint;
  const len = fp.length;
  if (len > 1 && fp.charAt(len - 1) === 'c' && input.includes('sp_password')) return true;
  const t0 = tokenAt(r, 0);
  const t1 = tokenAt(r, 1);
  if (len === 2) {
    if (fp.charAt(1) === 'U') return r.statsTokens !== 2;
    if (t1.val.charAt(0) === '#') return false;
    if (t0.type === 'n' && t1.type === 'c' && t1.val.charAt(0) !== '/') return false;
    if (t0.type === '1' && t1.type === 'c') {
      if (t1.val.charAt(0) === '/') return true;
      if (r.statsTokens > 2) return true;
      // The reference indexes the input by the number's (capped) length, as if it started at 0.
      const ch = t0.len < input.length ? input.charCodeAt(t0.len) : 0;
      // Signed-char quirk of the reference (x86): a byte >= 0x80 counts as "<= 32".
      if (ch <= 32 || ch >= 0x80) return true;
      const next = t0.len + 1 < input.length ? input.charCodeAt(t0.len + 1) : 0;
      if (ch === 0x2f && next === 0x2a) return true;
      if (ch === 0x2d && next === 0x2d) return true;
      return false;
    }
    if (t1.len > 2 && t1.val.charAt(0) === '-') return false;
    return true;
  }
  if (len === 3) {
    if (fp === 'sos' || fp === 's&s') {
      const t2 = tokenAt(r, 2);
      return t0.strOpen === '' && t2.strClose === '' && t0.strClose === t2.strOpen;
    }
    if (fp === 's&n' || fp === 'n&1' || fp === '1&1' || fp === '1&v' || fp === '1&s') return r.statsTokens !== 3;
    if (t1.type === 'k') return t1.len >= 5 && t1.val.slice(0, 4).toUpperCase() === 'INTO';
  }
  return true;
}

/** libinjection's `libinjection_sqli_check_fingerprint`: blacklisted and not whitelisted. */
export function isSqliFingerprint(input: string, r: SqliFingerprint): boolean {
  return isBlacklistedFingerprint(r.fingerprint) && passesWhitelist(input, r);
}
