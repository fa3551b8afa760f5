import { defineAction, requireValue } from './types';
import type { CompiledRule } from '../rules/compiled-rule';
import { parseSeverity } from './values';

/** Rules that already carry the HIGHEST_SEVERITY update, so SecRuleUpdateActionById does not add a second one. */
const tracking = new WeakSet<CompiledRule>();

/**
 * The severity of the rule: 0-7 or EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG.
 * A match lowers HIGHEST_SEVERITY whether or not the rule logs: ModSecurity v2 and v3 both track it apart
 * from logging, so a `nolog` rule counts too.
 * @example SecRule ARGS "@rx x" "id:1,phase:2,severity:'CRITICAL',pass"
 */
export const severity = defineAction({
  name: 'severity',
  apply(node, rule) {
    rule.severity = parseSeverity(requireValue(node));
    if (tracking.has(rule)) return;
    tracking.add(rule);
    // Reads the field when the rule matches: a later SecRuleUpdateActionById may have changed it.
    rule.afterMatchActions.push((tx) => {
      const level = rule.severity;
      if (level !== undefined && level < tx.highestSeverity) {
        tx.highestSeverity = level;
        tx.vars.set('HIGHEST_SEVERITY', String(level));
      }
    });
  },
});
