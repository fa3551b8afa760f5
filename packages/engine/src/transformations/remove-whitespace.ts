import { defineTransformation } from './types';

const WHITESPACE = /[ \t\n\v\f\r\xa0\xc2]/;
const WHITESPACE_ALL = /[ \t\n\v\f\r\xa0\xc2]+/g;

/**
 * Removes whitespace as ModSecurity v3 does: C's `isspace` (space, \t, \n, \v, \f, \r) plus 0xA0 (NBSP) and
 * 0xC2 (the first byte of UTF-8 NBSP, so v3 also strips it from other UTF-8 characters such as `©`).
 * @example SecRule ARGS "@rx unionselect" "id:1,phase:2,t:none,t:removeWhitespace,deny"
 */
export const removeWhitespace = defineTransformation({
  name: 'removeWhitespace',
  transform(input) {
    if (!WHITESPACE.test(input)) return input;
    return input.replace(WHITESPACE_ALL, '');
  },
});
