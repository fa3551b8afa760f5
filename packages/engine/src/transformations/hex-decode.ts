import { x2c } from './bytes';
import { defineTransformation } from './types';

/**
 * Decodes pairs of hexadecimal digits into bytes, as ModSecurity does: pairs are not validated (a non-hex
 * digit goes through the same arithmetic, so `0z` becomes 0x23) and an odd last digit is dropped.
 * @example SecRule ARGS:data "@contains <script" "id:1,phase:2,t:none,t:hexDecode,deny"
 */
export const hexDecode = defineTransformation({
  name: 'hexDecode',
  transform(input) {
    const pairs = input.length >> 1;
    const out = Buffer.allocUnsafe(pairs);
    for (let k = 0; k < pairs; k++) {
      out[k] = x2c(input.charCodeAt(2 * k), input.charCodeAt(2 * k + 1));
    }
    return out.toString('latin1');
  },
});
