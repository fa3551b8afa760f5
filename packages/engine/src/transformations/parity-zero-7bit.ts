import { defineTransformation } from './types';

const HIGH_BYTE = /[\x80-\xff]/;
const HIGH_BYTES = /[\x80-\xff]/g;

/**
 * Clears bit 7 of every byte.
 * @example SecRule ARGS "@rx admin" "id:1,phase:2,t:none,t:parityZero7bit,deny"
 */
export const parityZero7bit = defineTransformation({
  name: 'parityZero7bit',
  transform(input) {
    if (!HIGH_BYTE.test(input)) return input;
    return input.replace(HIGH_BYTES, (b) => String.fromCharCode(b.charCodeAt(0) & 0x7f));
  },
});
