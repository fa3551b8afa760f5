import { refusedOperator } from './refused';

/**
 * Rewrites stream data with a regex substitution (ModSecurity v2 STREAM_*_BODY). Refused, as ModSecurity
 * v3 refuses it.
 * @example SecRule STREAM_OUTPUT_BODY "@rsub s/foo/bar/" "id:169,phase:4,pass"
 */
export const rsub = refusedOperator(
  'rsub',
  'stream rewriting is not implemented (ModSecurity v3 refuses @rsub too)',
);
