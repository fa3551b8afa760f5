import { ByteSink, isAlnum, isDigit, isHex } from './bytes';
import { defineTransformation } from './types';

const AMP = 0x26;
const HASH = 0x23;
const SEMI = 0x3b;
const NBSP = 0xa0;

/**
 * Named entities decoded, compared case-insensitively against the whole name. This is ModSecurity v3's
 * current table (after GHSA-cxqf-vgrr-xxrv): entities that map into ASCII plus `nbsp`. Older v3 releases
 * only knew quot/amp/lt/gt/nbsp and matched prefixes (`&ltest;` gave `<`); we follow the fixed behaviour.
 */
const NAMED: ReadonlyMap<string, number> = new Map([
  ['amp', 0x26], ['apos', 0x27], ['ast', 0x2a], ['bsol', 0x5c], ['caret', 0x5e], ['colon', 0x3a],
  ['comma', 0x2c], ['commat', 0x40], ['dollar', 0x24], ['equals', 0x3d], ['grave', 0x60], ['gt', 0x3e],
  ['hyphen', 0x2d], ['lbrace', 0x7b], ['lbrack', 0x5b], ['lowbar', 0x5f], ['lpar', 0x28], ['lt', 0x3c],
  ['nbsp', NBSP], ['num', 0x23], ['percnt', 0x25], ['period', 0x2e], ['plus', 0x2b], ['quest', 0x3f],
  ['quot', 0x22], ['rbrace', 0x7d], ['rbrack', 0x5d], ['rpar', 0x29], ['semi', 0x3b], ['sol', 0x2f],
  ['tilde', 0x7e], ['verbar', 0x7c],
]);
const LONGEST_NAME = 6;

/**
 * The byte C's `(unsigned char)strtol(digits, NULL, base)` gives: the value modulo 256, or 0xFF when the
 * value overflows a 64-bit `long` (strtol then returns LONG_MAX).
 */
function numericEntityByte(input: string, start: number, end: number, base: 10 | 16): number {
  let k = start;
  while (k < end && input.charCodeAt(k) === 0x30) k++;
  const significant = end - k;
  if (base === 16) {
    if (significant > 16 || (significant === 16 && parseInt(input[k] ?? '0', 16) >= 8)) return 0xff;
    return parseInt(input.slice(Math.max(k, end - 2), end) || '0', 16);
  }
  if (significant > 19 || (significant === 19 && input.slice(k, end) > '9223372036854775807')) return 0xff;
  let byte = 0;
  for (; k < end; k++) byte = (byte * 10 + (input.charCodeAt(k) - 0x30)) % 256;
  return byte;
}

/**
 * Decodes HTML character references as ModSecurity v3 does: `&#DDD;`, `&#xHH;`/`&#XHH;` (any number of
 * digits, the `;` optional, the value taken modulo 256 — `&#x10041;` gives `A`), and the named entities of
 * its table (`;` optional too: `&lt` works). Anything else — `&#;`, `&#xg;`, `&foo;`, a lone `&` — is kept
 * as it is.
 * @example SecRule ARGS "@rx <script" "id:1,phase:2,t:none,t:htmlEntityDecode,deny"
 */
export const htmlEntityDecode = defineTransformation({
  name: 'htmlEntityDecode',
  transform(input) {
    let i = input.indexOf('&');
    if (i < 0) return input;
    const n = input.length;
    const out = new ByteSink(n);
    let run = 0;
    while (i < n) {
      if (input.charCodeAt(i) !== AMP || i + 1 >= n) {
        i++;
        continue;
      }
      let j = i + 1;
      let decoded = -1;
      if (input.charCodeAt(j) === HASH) {
        j++;
        const x = j < n ? input.charCodeAt(j) : 0;
        const hex = x === 0x78 || x === 0x58;
        if (hex) j++;
        const start = j;
        if (hex) while (j < n && isHex(input.charCodeAt(j))) j++;
        else while (j < n && isDigit(input.charCodeAt(j))) j++;
        if (j > start) decoded = numericEntityByte(input, start, j, hex ? 16 : 10);
        else {
          // Keep "&#" or "&#x" and go on after them.
          i = start;
          continue;
        }
      } else {
        const start = j;
        while (j < n && isAlnum(input.charCodeAt(j))) j++;
        if (j - start > 0 && j - start <= LONGEST_NAME) {
          decoded = NAMED.get(input.slice(start, j).toLowerCase()) ?? -1;
        }
        if (decoded < 0) {
          // Unknown name (or none): keep "&name" and go on after it.
          i = j > start ? j : i + 1;
          continue;
        }
      }
      out.copyRun(input, run, i);
      out.push(decoded);
      i = j < n && input.charCodeAt(j) === SEMI ? j + 1 : j;
      run = i;
    }
    // `&` without an entity (`a&b`, `&foo;`) changes nothing: the input itself, no copy.
    if (run === 0) return input;
    out.copyRun(input, run, n);
    return out.toString();
  },
});
