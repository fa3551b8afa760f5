import { refusedOperator } from './refused';

/**
 * Looks the input up in a Google Safe Browsing database (ModSecurity v2). Refused, as ModSecurity v3
 * refuses it.
 * @example SecRule ARGS "@gsbLookup =https?://(.*?)" "id:168,phase:2,deny"
 */
export const gsbLookup = refusedOperator(
  'gsbLookup',
  'Google Safe Browsing lookups are not implemented (ModSecurity v3 refuses @gsbLookup too)',
);
