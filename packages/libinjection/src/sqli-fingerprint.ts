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

/**
 * Tokenizes and folds `input` in `context` into `slots` with `tokenizer` (reset here) and applies
 * the fix-ups of the fingerprint step; returns how many tokens make the fingerprint, whose bytes
 * are the slots' types. An unparsable input (a token of type `X`) becomes the single token `X`.
 */
export function foldInto(
  input: string,
  context: SqliContext,
  options: SqliOptions,
  slots: SqliToken[],
  tokenizer: SqliTokenizer,
): number {
  tokenizer.reset(input, context, options);
  const n = foldTokens(tokenizer, slots);
  const last = slots[n - 1];
  // PHP's `` `cmd` `` operator: a lone trailing backtick is treated as a comment of what follows.
  if (n > 2 && last !== undefined && last.type === 'n' && last.strOpen === '`' && last.len === 0 && last.strClose === '') {
    last.type = 'c';
  }
  for (let i = 0; i < n; i++) {
    if ((slots[i] as SqliToken).type === 'X') {
      const evil = slots[0] as SqliToken;
      evil.clear();
      evil.type = 'X';
      return 1;
    }
  }
  return n;
}

/** Tokenizes and folds `input` in `context` into `slots` and builds the fingerprint. */
export function fingerprintInto(
  input: string,
  context: SqliContext,
  options: SqliOptions,
  slots: SqliToken[],
): SqliFingerprint {
  const tokenizer = new SqliTokenizer(input, context, options);
  const n = foldInto(input, context, options, slots, tokenizer);
  const tokens = slots.slice(0, n);
  let fingerprint = '';
  for (const t of tokens) fingerprint += t.type;
  return {
    fingerprint,
    tokens,
    statsTokens: tokenizer.statsTokens,
    statsCommentDdx: tokenizer.statsCommentDdx,
    statsCommentHash: tokenizer.statsCommentHash,
  };
}

/** libinjection's `libinjection_sqli_fingerprint` for a single context. */
export function sqliFingerprint(input: string, context: SqliContext, options: SqliOptions = {}): SqliFingerprint {
  return fingerprintInto(input, context, options, newTokenSlots());
}

const EMPTY_TOKEN = new SqliToken();

function tokenAt(tokens: readonly SqliToken[], i: number): SqliToken {
  return tokens[i] ?? EMPTY_TOKEN;
}

/** Whether the fingerprint bytes `fp[0, len)` spell `s`. */
function fpIs(fp: Uint8Array, len: number, s: string): boolean {
  if (len !== s.length) return false;
  for (let i = 0; i < len; i++) if (fp[i] !== s.charCodeAt(i)) return false;
  return true;
}

/**
 * The whitelist half of the check: shapes that the blacklist accepts but that are common in benign
 * text (`1 -- note`, `'a' or 'b'` without surrounding quotes, ...) are let through. `input` is the
 * whole original input, which two rules inspect directly. The fingerprint is given as its bytes
 * `fp[0, len)` so that the detector need not build it as a string.
 */
export function passesWhitelist(
  input: string,
  fp: Uint8Array,
  len: number,
  tokens: readonly SqliToken[],
  statsTokens: number,
): boolean {
  if (len > 1 && fp[len - 1] === 0x63 && input.includes('sp_password')) return true;
  const t0 = tokenAt(tokens, 0);
  const t1 = tokenAt(tokens, 1);
  if (len === 2) {
    if (fp[1] === 0x55) return statsTokens !== 2;
    if (t1.valCode(0) === 0x23) return false;
    if (t0.type === 'n' && t1.type === 'c' && t1.valCode(0) !== 0x2f) return false;
    if (t0.type === '1' && t1.type === 'c') {
      if (t1.valCode(0) === 0x2f) return true;
      if (statsTokens > 2) return true;
      // The reference indexes the input by the number's (capped) length, as if it started at 0.
      const ch = t0.len < input.length ? input.charCodeAt(t0.len) : 0;
      // Signed-char quirk of the reference (x86): a byte >= 0x80 counts as "<= 32".
      if (ch <= 32 || ch >= 0x80) return true;
      const next = t0.len + 1 < input.length ? input.charCodeAt(t0.len + 1) : 0;
      if (ch === 0x2f && next === 0x2a) return true;
      if (ch === 0x2d && next === 0x2d) return true;
      return false;
    }
    if (t1.len > 2 && t1.valCode(0) === 0x2d) return false;
    return true;
  }
  if (len === 3) {
    if (fpIs(fp, len, 'sos') || fpIs(fp, len, 's&s')) {
      const t2 = tokenAt(tokens, 2);
      return t0.strOpen === '' && t2.strClose === '' && t0.strClose === t2.strOpen;
    }
    if (fpIs(fp, len, 's&n') || fpIs(fp, len, 'n&1') || fpIs(fp, len, '1&1') || fpIs(fp, len, '1&v') || fpIs(fp, len, '1&s')) {
      return statsTokens !== 3;
    }
    if (t1.type === 'k') return t1.len >= 5 && t1.valStartsWithCi('INTO');
  }
  return true;
}

// Scratch bytes of a fingerprint handed to `passesWhitelist` by `isSqliFingerprint`.
const FP_SCRATCH = new Uint8Array(8);

/** libinjection's `libinjection_sqli_check_fingerprint`: blacklisted and not whitelisted. */
export function isSqliFingerprint(input: string, r: SqliFingerprint): boolean {
  if (!isBlacklistedFingerprint(r.fingerprint)) return false;
  // A blacklisted fingerprint has at most 5 bytes, all ASCII.
  const len = r.fingerprint.length;
  for (let i = 0; i < len; i++) FP_SCRATCH[i] = r.fingerprint.charCodeAt(i);
  return passesWhitelist(input, FP_SCRATCH, len, r.tokens, r.statsTokens);
}
