import { defineTransformation } from './types';

/**
 * Replaces the value with its length in bytes, in decimal.
 * @example SecRule ARGS "@gt 1024" "id:1,phase:2,t:none,t:length,deny"
 */
export const length = defineTransformation({
  name: 'length',
  transform(input) {
    return String(input.length);
  },
});
