import { refusedOperator } from './refused';

/**
 * Validates the XML request body against a DTD (ModSecurity, libxml2). Refused: no sound XML DTD
 * validator is installed, and accepting the rule without validating would be a silent no-op.
 * @example SecRule XML "@validateDTD /etc/rampart/schema.dtd" "id:164,phase:2,deny"
 */
export const validateDTD = refusedOperator(
  'validateDTD',
  'no XML DTD validator is available in Rampart (ModSecurity uses libxml2); the rule would never validate anything',
);
