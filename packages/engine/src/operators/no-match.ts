import { defineOperator } from './types';

/**
 * Never matches (ModSecurity v2 and Coraza; v3's parser lacks it). Useful to switch a rule off while keeping
 * its non-disruptive side of a chain readable.
 * @example SecRule REQUEST_URI "@noMatch" "id:156,phase:1,pass,nolog"
 */
export const noMatch = defineOperator({
  name: 'noMatch',
  compile() {
    return () => false;
  },
});
