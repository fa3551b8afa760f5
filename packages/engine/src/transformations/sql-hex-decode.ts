import { ByteSink, isHex, x2c } from './bytes';
import { defineTransformation } from './types';

const HEX_LITERAL = /0[xX][0-9A-Fa-f]{2}/;

/**
 * Decodes SQL hexadecimal literals: `0x` (or `0X`) followed by at least one pair of hex digits is replaced
 * by the bytes of all the pairs that follow; an odd last digit is kept as it is (`0x4142430x434241` gives
 * `ABCCBA`, `0x414` gives `A4`). Anything else is copied.
 * @example SecRule ARGS "@rx union select" "id:1,phase:2,t:none,t:sqlHexDecode,deny"
 */
export const sqlHexDecode = defineTransformation({
  name: 'sqlHexDecode',
  transform(input) {
    let i = input.search(HEX_LITERAL);
    if (i < 0) return input;
    const n = input.length;
    const out = new ByteSink(n);
    out.copyRun(input, 0, i);
    let run = i;
    while (i < n) {
      const c1 = input.charCodeAt(i + 1);
      if (
        i + 3 < n && input.charCodeAt(i) === 0x30 && (c1 === 0x78 || c1 === 0x58) &&
        isHex(input.charCodeAt(i + 2)) && isHex(input.charCodeAt(i + 3))
      ) {
        out.copyRun(input, run, i);
        i += 2;
        do {
          out.push(x2c(input.charCodeAt(i), input.charCodeAt(i + 1)));
          i += 2;
        } while (i + 1 < n && isHex(input.charCodeAt(i)) && isHex(input.charCodeAt(i + 1)));
        run = i;
      } else {
        i++;
      }
    }
    out.copyRun(input, run, n);
    return out.toString();
  },
});
