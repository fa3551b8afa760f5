import { isHex, outputBuffer, x2c } from './bytes';
import { defineTransformation } from './types';

const PERCENT = 0x25;
const PLUS = 0x2b;

/** Index of the first `%` or `+`, or -1. Two native indexOf calls measured 2x faster than `search(/[%+]/)`
 *  and 10x faster than a char-code loop on a User-Agent value. */
export function firstPercentOrPlus(input: string): number {
  const p = input.indexOf('%');
  const q = input.indexOf('+');
  if (p < 0) return q;
  if (q < 0) return p;
  return p < q ? p : q;
}

/**
 * Decodes `%HH` and turns `+` into a space. Invalid or truncated escapes (`%`, `%0`, `%zz`, `%0g`) are left
 * as they are and decoding goes on right after the `%` (so `%%20` gives `% `). `%uHHHH` is not decoded here:
 * use urlDecodeUni.
 * @example SecRule ARGS "@contains <script" "id:1,phase:2,t:none,t:urlDecode,deny"
 */
export const urlDecode = defineTransformation({
  name: 'urlDecode',
  transform(input) {
    const first = firstPercentOrPlus(input);
    if (first < 0) return input;
    const n = input.length;
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
      if (c === PERCENT && i + 2 < n) {
        const hi = input.charCodeAt(i + 1);
        const lo = input.charCodeAt(i + 2);
        if (isHex(hi) && isHex(lo)) {
          out[d++] = x2c(hi, lo);
          i += 3;
          continue;
        }
      }
      out[d++] = c;
      i++;
    }
    return out.toString('latin1', 0, d);
  },
});
