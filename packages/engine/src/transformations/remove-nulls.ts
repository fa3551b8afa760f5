import { defineTransformation } from './types';

const NULS = /\0+/g;

/**
 * Removes NUL bytes.
 * @example SecRule ARGS "@rx <script" "id:1,phase:2,t:none,t:removeNulls,deny"
 */
export const removeNulls = defineTransformation({
  name: 'removeNulls',
  transform(input) {
    if (input.indexOf('\0') < 0) return input;
    return input.replace(NULS, '');
  },
});
