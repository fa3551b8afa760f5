import { defineOperator, NO_SPANS, withLocator } from './types';

function isContinuation(input: string, k: number): boolean {
  return (input.charCodeAt(k) & 0xc0) === 0x80;
}

/**
 * Length of the valid UTF-8 sequence at `i`, or 0 when it is invalid. The checks are ModSecurity v3's:
 * truncated sequence, continuation byte not 10xxxxxx, a lead byte that is a continuation byte or >= 0xF5,
 * overlong forms (which also rules out C0/C1 leads) and UTF-16 surrogates.
 */
function sequenceLength(input: string, i: number): number {
  const c = input.charCodeAt(i) & 0xff;
  const left = input.length - i;
  let len: number;
  let cp: number;
  if ((c & 0x80) === 0) return 1;
  if ((c & 0xe0) === 0xc0) {
    if (left < 2 || !isContinuation(input, i + 1)) return 0;
    len = 2;
    cp = ((c & 0x1f) << 6) | (input.charCodeAt(i + 1) & 0x3f);
  } else if ((c & 0xf0) === 0xe0) {
    if (left < 3 || !isContinuation(input, i + 1) || !isContinuation(input, i + 2)) return 0;
    len = 3;
    cp = ((c & 0x0f) << 12) | ((input.charCodeAt(i + 1) & 0x3f) << 6) | (input.charCodeAt(i + 2) & 0x3f);
  } else if ((c & 0xf8) === 0xf0) {
    // Lead bytes F5-F7 would encode beyond U+10FFFF.
    if (c >= 0xf5) return 0;
    if (left < 4) return 0;
    if (!isContinuation(input, i + 1) || !isContinuation(input, i + 2) || !isContinuation(input, i + 3)) return 0;
    len = 4;
    cp =
      ((c & 0x07) << 18) |
      ((input.charCodeAt(i + 1) & 0x3f) << 12) |
      ((input.charCodeAt(i + 2) & 0x3f) << 6) |
      (input.charCodeAt(i + 3) & 0x3f);
  } else {
    return 0;
  }
  if (cp >= 0xd800 && cp <= 0xdfff) return 0;
  if ((len === 4 && cp < 0x10000) || (len === 3 && cp < 0x800) || (len === 2 && cp < 0x80)) return 0;
  return len;
}

/** Position of the first invalid sequence, or -1. */
function invalidSequenceAt(input: string): number {
  const n = input.length;
  let i = 0;
  while (i < n) {
    // Runs of ASCII, most values entirely, need no sequence decoding.
    if ((input.charCodeAt(i) & 0x80) === 0) {
      i++;
      continue;
    }
    const len = sequenceLength(input, i);
    if (len === 0) return i;
    i += len;
  }
  return -1;
}

/** Whether the sequence at `i` is invalid only because the input ends before its last byte. */
function truncated(input: string, i: number): boolean {
  const c = input.charCodeAt(i) & 0xff;
  const left = input.length - i;
  if ((c & 0xe0) === 0xc0) return left < 2;
  if ((c & 0xf0) === 0xe0) return left < 3;
  if ((c & 0xf8) === 0xf0) return c < 0xf5 && left < 4;
  return false;
}

/**
 * Matches when the input (bytes) is not valid UTF-8: truncated sequences, invalid continuation or lead
 * bytes, overlong encodings, surrogates and code points above U+10FFFF. Empty input never matches.
 * @example SecRule ARGS "@validateUtf8Encoding" "id:920250,phase:2,block"
 */
export const validateUtf8Encoding = defineOperator({
  name: 'validateUtf8Encoding',
  compile() {
    return withLocator(
      (input) => invalidSequenceAt(input) >= 0,
      (input) => {
        // ModSecurity v3 logs the bad sequence's position with the input's length, except for a sequence cut
        // short by the end of the input, for which it logs nothing.
        const at = invalidSequenceAt(input);
        return at < 0 || truncated(input, at) ? NO_SPANS : [at, input.length];
      },
    );
  },
});
