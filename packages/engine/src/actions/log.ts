import { defineAction } from './types';

/**
 * Writes an error-log line (and marks the transaction for the audit log) when the rule matches.
 * @example SecRule ARGS "@rx x" "id:1,phase:2,log,pass"
 */
export const log = defineAction({
  name: 'log',
  apply(_node, rule) {
    rule.log = true;
    rule.auditLog = true;
  },
});
