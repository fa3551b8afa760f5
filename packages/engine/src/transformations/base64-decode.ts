import { CHAR } from './bytes';
import { defineTransformation } from './types';

/** Sextet value of each byte of the standard alphabet; -1 for every other byte. */
const SEXTET: Int8Array = (() => {
  const table = new Int8Array(256).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let v = 0; v < 64; v++) table[alphabet.charCodeAt(v)] = v;
  return table;
})();

/**
 * Up to this many base64 chars are decoded in JS into a string; longer runs go to Buffer's native decoder.
 * Measured on Node 20: the JS decoder is 2-4x faster up to ~48 chars (Buffer.from + toString pay a pool
 * allocation and two native calls per value) and 2-3x slower from 128 chars on.
 */
const SHORT_INPUT = 64;

/** Sextet of the byte at `i`, or -1 when it is outside the alphabet (or not a latin1 char at all). */
function sextetAt(input: string, i: number): number {
  const c = input.charCodeAt(i);
  return c > 0xff ? -1 : (SEXTET[c] as number);
}

/**
 * Decodes Base64, stopping at the first byte outside the standard alphabet (`=` padding, a space, a NUL,
 * a base64url `-`...): what comes before it is decoded, a lone trailing sextet is dropped, missing padding
 * is tolerated.
 *
 * Behaviour choice: this is ModSecurity v2's (APR) and Coraza's behaviour. ModSecurity v3 hands the whole
 * value to mbedtls, which rejects any invalid character and then yields an EMPTY string — a known bypass
 * (ModSecurity PR #3533, CRS issue #3376) that we do not reproduce. Both agree on well-formed input and on
 * input with garbage after the padding (`VGVzdENhc2U=\0VGVzdENhc2U=` gives `TestCase`).
 * @example SecRule REQUEST_HEADERS:Authorization "@rx ^admin:" "id:1,phase:1,t:none,t:base64Decode,deny"
 */
export const base64Decode = defineTransformation({
  name: 'base64Decode',
  transform(input) {
    const n = input.length;
    // Most values CRS hands to this are not Base64: they stop within the first two chars, which are
    // needed to make one byte.
    if (n < 2 || sextetAt(input, 0) < 0 || sextetAt(input, 1) < 0) return '';
    let usable = 2;
    while (usable < n && sextetAt(input, usable) >= 0) usable++;
    if (usable > SHORT_INPUT) {
      // A single sextet cannot make a byte.
      const whole = usable % 4 === 1 ? usable - 1 : usable;
      return Buffer.from(whole === n ? input : input.slice(0, whole), 'base64').toString('latin1');
    }
    const rest = usable % 4;
    const full = usable - rest;
    let out = '';
    let i = 0;
    for (; i < full; i += 4) {
      const v =
        (sextetAt(input, i) << 18) | (sextetAt(input, i + 1) << 12) | (sextetAt(input, i + 2) << 6) |
        sextetAt(input, i + 3);
      out += String.fromCharCode(v >>> 16, (v >>> 8) & 0xff, v & 0xff);
    }
    if (rest === 2) {
      out += CHAR[((sextetAt(input, i) << 2) | (sextetAt(input, i + 1) >>> 4)) & 0xff];
    } else if (rest === 3) {
      const v = (sextetAt(input, i) << 12) | (sextetAt(input, i + 1) << 6) | sextetAt(input, i + 2);
      out += String.fromCharCode(v >>> 10, (v >>> 2) & 0xff);
    }
    return out;
  },
});
