import { hasOddParity, mapBytes } from './parity';
import { defineTransformation } from './types';

const TABLE: Uint8Array = Uint8Array.from({ length: 256 }, (_, b) => (hasOddParity(b) ? b & 0x7f : b | 0x80));

/**
 * Sets bit 7 of each byte so that the byte has odd parity (bit 7 cleared when the 8-bit parity of the input
 * byte is odd, set otherwise, as ModSecurity computes it).
 * @example SecRule ARGS "@rx adm" "id:1,phase:2,t:none,t:parityOdd7bit,deny"
 */
export const parityOdd7bit = defineTransformation({
  name: 'parityOdd7bit',
  transform(input) {
    return mapBytes(input, TABLE);
  },
});
