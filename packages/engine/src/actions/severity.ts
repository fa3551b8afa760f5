import { defineAction, requireValue } from './types';
import { parseSeverity } from './values';

/**
 * The severity of the rule: 0-7 or EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG.
 * @example SecRule ARGS "@rx x" "id:1,phase:2,severity:'CRITICAL',pass"
 */
export const severity = defineAction({
  name: 'severity',
  apply(node, rule) {
    rule.severity = parseSeverity(requireValue(node));
  },
});
