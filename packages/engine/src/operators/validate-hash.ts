import { refusedOperator } from './refused';

/**
 * Checks HMAC tokens written by ModSecurity v2's SecHashEngine. Refused, as ModSecurity v3 refuses it.
 * @example SecRule REQUEST_URI "@validateHash /product/" "id:167,phase:1,deny"
 */
export const validateHash = refusedOperator(
  'validateHash',
  'the SecHashEngine family is not implemented (ModSecurity v3 refuses @validateHash too)',
);
