import { refusedOperator } from './refused';

/**
 * Validates the XML request body against an XML Schema (ModSecurity, libxml2; Coraza reads JSON Schema
 * instead). Refused: no sound XML Schema validator is installed.
 * @example SecRule XML "@validateSchema /etc/rampart/schema.xsd" "id:165,phase:2,deny"
 */
export const validateSchema = refusedOperator(
  'validateSchema',
  'no XML Schema validator is available in Rampart (ModSecurity uses libxml2); the rule would never validate anything',
);
