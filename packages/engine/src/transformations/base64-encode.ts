import { defineTransformation } from './types';

/**
 * Encodes the value as standard Base64 with `=` padding.
 * @example SecRule ARGS "@streq PHNjcmlwdD4=" "id:1,phase:2,t:none,t:base64Encode,deny"
 */
export const base64Encode = defineTransformation({
  name: 'base64Encode',
  transform(input) {
    return Buffer.from(input, 'latin1').toString('base64');
  },
});
