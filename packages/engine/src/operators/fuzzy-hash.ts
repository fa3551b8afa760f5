import { refusedOperator } from './refused';

/**
 * Compares the input against ssdeep fuzzy hashes (ModSecurity, a build option). Refused: Rampart has no
 * ssdeep implementation.
 * @example SecRule REQUEST_BODY "@fuzzyHash /etc/rampart/ssdeep.txt 60" "id:166,phase:2,deny"
 */
export const fuzzyHash = refusedOperator(
  'fuzzyHash',
  'Rampart has no ssdeep (context-triggered piecewise hashing) implementation',
);
