import { mapAsciiCase } from './ascii-case';
import { defineTransformation } from './types';

const HIGH_BYTE = /[\x80-\xff]/;
const UPPER = /[A-Z]/;

/**
 * Lowercases ASCII letters only, like ModSecurity's `tolower` in the C locale: latin1 letters such as
 * 0xC0 stay as they are (JavaScript's `toLowerCase` would change them).
 * @example SecRule ARGS "@rx <script" "id:1,phase:2,t:none,t:lowercase,deny"
 */
export const lowercase = defineTransformation({
  name: 'lowercase',
  transform(input) {
    // Most values have no capital letter: that regex test beat a char-code loop and returns the input
    // without a copy. toLowerCase is native and fast, and is exactly ASCII lowercasing when no byte is
    // above 0x7f.
    if (!UPPER.test(input)) return input;
    if (!HIGH_BYTE.test(input)) return input.toLowerCase();
    return mapAsciiCase(input, 0x41, 0x61);
  },
});
