import { defineTransformation } from './types';
import { skipSpaceForward } from './trim';

/**
 * Removes leading whitespace (C's `isspace`: space, \t, \n, \v, \f, \r).
 * @example SecRule ARGS:user "@beginsWith admin" "id:1,phase:2,t:none,t:trimLeft,deny"
 */
export const trimLeft = defineTransformation({
  name: 'trimLeft',
  transform(input) {
    const start = skipSpaceForward(input, 0);
    return start === 0 ? input : input.slice(start);
  },
});
