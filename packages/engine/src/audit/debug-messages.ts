import type { CompiledRule } from '../rules/compiled-rule';

/**
 * The debug-log messages the rule evaluator writes, worded as ModSecurity v3 words them so that people who
 * read its debug logs find their way. Each is built only after the caller checked the level.
 */
const title = (name: string): string => (name.length === 0 ? name : name[0]!.toUpperCase() + name.slice(1));
const q = (s: string, max = 1024): string => `"${s.length > max ? `${s.slice(0, max)}...` : s}"`;

export const debugMessages = {
  /** Level 4, at the start of each phase. */
  phaseStart: (phase: number, name: string, ruleCount: number): string => `Starting phase ${name}. (SecRules ${phase}: ${ruleCount} rules)`,
  /** Level 4, before a rule's operator runs over its targets. */
  ruleStart: (rule: CompiledRule): string => {
    const targets = rule.targets.map((t) => `${t.count ? '&' : ''}${t.variable}${t.selector.kind === 'key' ? `:${t.selector.key}` : t.selector.kind === 'regex' ? `:/${t.selector.source}/` : ''}`).join('|');
    const id = rule.id !== 0 ? `(Rule: ${rule.id}) ` : `(Rule: chained from ${rule.head.id}) `;
    return rule.unconditional
      ? `${id}Executing unconditional rule...`
      : `${id}Executing operator "${title(rule.operator.name)}" with param ${q(rule.operator.argument, 256)} against ${targets}.`;
  },
  /** Level 9, each value after the transformation chain. */
  transformed: (variable: string, input: string, output: string, chain: string): string =>
    `T (${chain}) ${variable}: ${q(input)} -> ${q(output)}`,
  /** Level 9, each value the operator is run against. */
  targetValue: (variable: string, value: string): string => `Target value: ${q(value)} (Variable: ${variable})`,
  /** Level 4, after the operator ran over all targets (1 matched). */
  ruleResult: (matched: boolean): string => `Rule returned ${matched ? 1 : 0}.`,
  /** Level 4, each action that runs. */
  action: (name: string, disruptive: boolean): string => `Running ${disruptive ? '(disruptive)' : '(non-disruptive)'} action: ${name}.`,
  /** Level 4, a rule not run because of ctl:ruleRemove* or SecRuleRemove*. */
  ruleRemoved: (id: number): string => `Skipped rule id '${id}' due to a ctl:ruleRemove* action.`,
  /** Level 9, rules skipped by skip/skipAfter. */
  ruleSkipped: (id: number, reason: string): string => `Skipping rule: ${id} (${reason}).`,
  /** Level 1 (error) / 4, the transaction was interrupted. */
  intervention: (status: number, ruleId: number, phase: number): string => `Intervention: status ${status} by rule ${ruleId} in phase ${phase}.`,
};
