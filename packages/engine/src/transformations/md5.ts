import { createHash } from 'node:crypto';
import { defineTransformation } from './types';

/**
 * Replaces the value with its MD5 digest: the raw 16 bytes as a latin1 string, as ModSecurity does (chain
 * `t:hexEncode` to compare against a hex string).
 * @example SecRule ARGS:pw "@streq 5f4dcc3b5aa765d61d8327deb882cf99" "id:1,phase:2,t:none,t:md5,t:hexEncode,deny"
 */
export const md5 = defineTransformation({
  name: 'md5',
  transform(input) {
    return createHash('md5').update(input, 'latin1').digest().toString('latin1');
  },
});
