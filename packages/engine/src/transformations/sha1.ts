import { createHash } from 'node:crypto';
import { defineTransformation } from './types';

/**
 * Replaces the value with its SHA-1 digest: the raw 20 bytes as a latin1 string, as ModSecurity does (chain
 * `t:hexEncode` to compare against a hex string).
 * @example SecRule ARGS:pw "@streq 5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8" "id:1,phase:2,t:none,t:sha1,t:hexEncode,deny"
 */
export const sha1 = defineTransformation({
  name: 'sha1',
  transform(input) {
    return createHash('sha1').update(input, 'latin1').digest().toString('latin1');
  },
});
