import { hasOddParity, mapBytes } from './parity';
import { defineTransformation } from './types';

const TABLE: Uint8Array = Uint8Array.from({ length: 256 }, (_, b) => (hasOddParity(b) ? b | 0x80 : b & 0x7f));

/**
 * Sets bit 7 of each byte so that the byte has even parity (bit 7 set when the 8-bit parity of the input
 * byte is odd, cleared otherwise, as ModSecurity computes it).
 * @example SecRule ARGS "@rx \xe1dmin" "id:1,phase:2,t:none,t:parityEven7bit,deny"
 */
export const parityEven7bit = defineTransformation({
  name: 'parityEven7bit',
  transform(input) {
    return mapBytes(input, TABLE);
  },
});
