import { defineAction } from './types';

/**
 * A match of this rule alone does not mark the transaction for the audit log.
 * @example SecRule ARGS "@rx x" "id:1,phase:2,noauditlog,pass"
 */
export const noauditlog = defineAction({
  name: 'noauditlog',
  apply(_node, rule) {
    rule.auditLog = false;
  },
});
