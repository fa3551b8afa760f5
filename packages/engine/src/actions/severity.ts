import { defineAction, requireValue } from './types';
import { parseSeverity } from './values';

/**
 * The severity of the rule: 0-7 or EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG.
 * A match lowers HIGHEST_SEVERITY whether or not the rule logs (the rule evaluator does it when the chain
 * matched): ModSecurity v2 and v3 both track it apart from logging, so a `nolog` rule counts too.
 * @example SecRule ARGS "@rx x" "id:1,phase:2,severity:'CRITICAL',pass"
 */
export const severity = defineAction({
  name: 'severity',
  apply(node, rule) {
    rule.severity = parseSeverity(requireValue(node));
  },
});
