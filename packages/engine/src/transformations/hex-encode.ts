import { defineTransformation } from './types';

/**
 * Encodes every byte as two lowercase hexadecimal digits.
 * @example SecRule ARGS "@streq 3c736372697074" "id:1,phase:2,t:none,t:hexEncode,deny"
 */
export const hexEncode = defineTransformation({
  name: 'hexEncode',
  transform(input) {
    return Buffer.from(input, 'latin1').toString('hex');
  },
});
