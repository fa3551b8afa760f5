import { ByteSink, isHex, isOctal, x2c } from './bytes';
import { defineTransformation } from './types';

const BACKSLASH = 0x5c;

/** `\a \b \f \n \r \t \v`; any other escaped byte stands for itself (`\?`, `\'`, `\"`, `\\`, `\z`). */
function simpleEscape(c: number): number {
  switch (c) {
    case 0x61: return 0x07;
    case 0x62: return 0x08;
    case 0x66: return 0x0c;
    case 0x6e: return 0x0a;
    case 0x72: return 0x0d;
    case 0x74: return 0x09;
    case 0x76: return 0x0b;
    default: return c;
  }
}

/**
 * Decodes JavaScript escapes as ModSecurity does:
 * - `\uHHHH` gives ONE byte, the low byte of the code unit, except full-width ASCII `\uFF01`-`\uFF5E`, which
 *   gives 0x21-0x7E (low byte + 0x20); only a lowercase `u` is recognised;
 * - `\xHH` (lowercase `x` only); `\OOO` octal, at most three digits and only while the value fits a byte
 *   (`\666` is `\66` followed by `6`);
 * - `\a \b \f \n \r \t \v`, and `\C` for any other C gives C (so an invalid `\u00ag` gives `u00ag`);
 * - a backslash at the very end is kept.
 * @example SecRule ARGS "@rx alert\(" "id:1,phase:2,t:none,t:jsDecode,deny"
 */
export const jsDecode = defineTransformation({
  name: 'jsDecode',
  transform(input) {
    let i = input.indexOf('\\');
    if (i < 0) return input;
    const n = input.length;
    const out = new ByteSink(n);
    let run = 0;
    while (i < n) {
      if (input.charCodeAt(i) !== BACKSLASH || i + 1 >= n) {
        i++;
        continue;
      }
      out.copyRun(input, run, i);
      const c1 = input.charCodeAt(i + 1);
      if (
        c1 === 0x75 && i + 5 < n &&
        isHex(input.charCodeAt(i + 2)) && isHex(input.charCodeAt(i + 3)) &&
        isHex(input.charCodeAt(i + 4)) && isHex(input.charCodeAt(i + 5))
      ) {
        let byte = x2c(input.charCodeAt(i + 4), input.charCodeAt(i + 5));
        const h1 = input.charCodeAt(i + 2);
        const h2 = input.charCodeAt(i + 3);
        if (byte > 0x00 && byte < 0x5f && (h1 === 0x66 || h1 === 0x46) && (h2 === 0x66 || h2 === 0x46)) byte += 0x20;
        out.push(byte);
        i += 6;
      } else if (c1 === 0x78 && i + 3 < n && isHex(input.charCodeAt(i + 2)) && isHex(input.charCodeAt(i + 3))) {
        out.push(x2c(input.charCodeAt(i + 2), input.charCodeAt(i + 3)));
        i += 4;
      } else if (isOctal(c1)) {
        let digits = 1;
        while (digits < 3 && i + 1 + digits < n && isOctal(input.charCodeAt(i + 1 + digits))) digits++;
        // Three digits only while the value fits a byte (\000-\377).
        if (digits === 3 && c1 > 0x33) digits = 2;
        out.push(parseInt(input.slice(i + 1, i + 1 + digits), 8));
        i += 1 + digits;
      } else {
        out.push(simpleEscape(c1));
        i += 2;
      }
      run = i;
    }
    // Only a backslash at the very end, which is kept: the input itself, no copy.
    if (run === 0) return input;
    out.copyRun(input, run, n);
    return out.toString();
  },
});
