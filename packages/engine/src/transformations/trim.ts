import { isSpace } from './bytes';
import { defineTransformation } from './types';

/** Index of the first byte that is not C whitespace, from `start`. */
export function skipSpaceForward(input: string, start: number): number {
  let i = start;
  while (i < input.length && isSpace(input.charCodeAt(i))) i++;
  return i;
}

/** One past the last byte that is not C whitespace. */
export function skipSpaceBackward(input: string, end: number): number {
  let i = end;
  while (i > 0 && isSpace(input.charCodeAt(i - 1))) i--;
  return i;
}

/**
 * Removes leading and trailing whitespace: C's `isspace` (space, \t, \n, \v, \f, \r). NUL and NBSP (0xA0)
 * are not whitespace. JavaScript's `trim` is not used because it also strips NBSP and Unicode spaces.
 * @example SecRule ARGS:user "@streq admin" "id:1,phase:2,t:none,t:trim,deny"
 */
export const trim = defineTransformation({
  name: 'trim',
  transform(input) {
    const end = skipSpaceBackward(input, input.length);
    const start = skipSpaceForward(input, 0);
    if (start === 0 && end === input.length) return input;
    return start >= end ? '' : input.slice(start, end);
  },
});
