import { isHex, outputBuffer, x2c } from './bytes';
import { defineTransformation } from './types';
import { firstPercentOrPlus } from './url-decode';

const PERCENT = 0x25;
const PLUS = 0x2b;

function isU(c: number): boolean {
  return c === 0x75 || c === 0x55;
}

function isF(c: number): boolean {
  return c === 0x66 || c === 0x46;
}

/**
 * Like urlDecode (`%HH`, `+` to space, invalid escapes kept), plus IIS's `%uHHHH`, which becomes ONE byte:
 * - with `SecUnicodeMapFile` loaded (`ctx.unicodeMap`), the code point's mapped byte when it has one;
 * - otherwise the low byte of the code point, except full-width ASCII `%uFF01`-`%uFF5E`, which maps to
 *   0x21-0x7E (low byte + 0x20), as ModSecurity does without a map or for unmapped code points.
 * A `%u` not followed by four hex digits is copied as `%u` and decoding resumes after the `u`.
 * @example SecRule ARGS "@rx <script" "id:1,phase:2,t:none,t:urlDecodeUni,deny"
 */
export const urlDecodeUni = defineTransformation({
  name: 'urlDecodeUni',
  transform(input, ctx) {
    const first = firstPercentOrPlus(input);
    if (first < 0) return input;
    const map = ctx.unicodeMap;
    const n = input.length;
    // CRS runs this on almost every value: bytes go straight into one Buffer (see ByteSink for the numbers).
    const out = outputBuffer(n);
    let d = 0;
    for (let k = 0; k < first; k++) out[d++] = input.charCodeAt(k);
    let i = first;
    while (i < n) {
      const c = input.charCodeAt(i);
      if (c === PLUS) {
        out[d++] = 0x20;
        i++;
        continue;
      }
      if (c === PERCENT) {
        if (i + 1 < n && isU(input.charCodeAt(i + 1))) {
          if (i + 5 < n) {
            const h1 = input.charCodeAt(i + 2);
            const h2 = input.charCodeAt(i + 3);
            const h3 = input.charCodeAt(i + 4);
            const h4 = input.charCodeAt(i + 5);
            if (isHex(h1) && isHex(h2) && isHex(h3) && isHex(h4)) {
              const mapped = map === undefined ? undefined : map.get((x2c(h1, h2) << 8) | x2c(h3, h4));
              let byte: number;
              if (mapped !== undefined) {
                byte = mapped & 0xff;
              } else {
                byte = x2c(h3, h4);
                if (byte > 0x00 && byte < 0x5f && isF(h1) && isF(h2)) byte += 0x20;
              }
              out[d++] = byte;
              i += 6;
              continue;
            }
          }
          // Not a valid %u escape: keep "%u" and look at what follows it.
          out[d++] = PERCENT;
          out[d++] = input.charCodeAt(i + 1);
          i += 2;
          continue;
        }
        if (i + 2 < n) {
          const hi = input.charCodeAt(i + 1);
          const lo = input.charCodeAt(i + 2);
          if (isHex(hi) && isHex(lo)) {
            out[d++] = x2c(hi, lo);
            i += 3;
            continue;
          }
        }
      }
      out[d++] = c;
      i++;
    }
    return out.toString('latin1', 0, d);
  },
});
