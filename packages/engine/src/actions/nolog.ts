import { defineAction } from './types';

/**
 * Matches of this rule are not written to the error log nor mark the audit log.
 * @example SecRule ARGS "@rx x" "id:1,phase:2,nolog,pass"
 */
export const nolog = defineAction({
  name: 'nolog',
  apply(_node, rule) {
    rule.log = false;
    rule.auditLog = false;
  },
});
