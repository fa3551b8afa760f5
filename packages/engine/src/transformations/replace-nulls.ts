import { defineTransformation } from './types';

const NUL = /\0/g;

/**
 * Replaces each NUL byte with a space.
 * @example SecRule ARGS "@rx select from" "id:1,phase:2,t:none,t:replaceNulls,deny"
 */
export const replaceNulls = defineTransformation({
  name: 'replaceNulls',
  transform(input) {
    if (input.indexOf('\0') < 0) return input;
    return input.replace(NUL, ' ');
  },
});
