import { defineTransformation } from './types';
import { skipSpaceBackward } from './trim';

/**
 * Removes trailing whitespace (C's `isspace`: space, \t, \n, \v, \f, \r).
 * @example SecRule ARGS:user "@endsWith admin" "id:1,phase:2,t:none,t:trimRight,deny"
 */
export const trimRight = defineTransformation({
  name: 'trimRight',
  transform(input) {
    const end = skipSpaceBackward(input, input.length);
    return end === input.length ? input : input.slice(0, end);
  },
});
