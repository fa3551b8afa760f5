import { mapAsciiCase } from './ascii-case';
import { defineTransformation } from './types';

const HIGH_BYTE = /[\x80-\xff]/;
const LOWER = /[a-z]/;

/**
 * Uppercases ASCII letters only (ModSecurity v3's `toupper` in the C locale); bytes above 0x7f, including
 * 0xFF and 0xB5 which JavaScript would expand or change, stay as they are.
 * @example SecRule REQUEST_METHOD "@streq GET" "id:1,phase:1,t:none,t:uppercase,pass"
 */
export const uppercase = defineTransformation({
  name: 'uppercase',
  transform(input) {
    // No lowercase letter: the input as it is, without a copy (see lowercase).
    if (!LOWER.test(input)) return input;
    if (!HIGH_BYTE.test(input)) return input.toUpperCase();
    return mapAsciiCase(input, 0x61, 0x41);
  },
});
