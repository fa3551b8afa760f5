import { defineAction } from './types';

/**
 * Marks the transaction for the audit log when the rule matches.
 * @example SecRule ARGS "@rx x" "id:1,phase:2,auditlog,pass"
 */
export const auditlog = defineAction({
  name: 'auditlog',
  apply(_node, rule) {
    rule.auditLog = true;
  },
});
