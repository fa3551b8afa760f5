import { defineTransformation } from './types';

const NOT_BASE64 = /[^A-Za-z0-9+/]/;

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
    const bad = input.search(NOT_BASE64);
    let usable = bad < 0 ? input.length : bad;
    // A single sextet cannot make a byte.
    if (usable % 4 === 1) usable--;
    if (usable <= 0) return '';
    return Buffer.from(usable === input.length ? input : input.slice(0, usable), 'base64').toString('latin1');
  },
});
