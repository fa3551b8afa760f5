import { Collection } from '../collections/collection';
import type { CompiledRule } from '../rules/compiled-rule';
import type { MacroScope } from '../operators/types';

/** What the RULE variable reads: the rule being evaluated, and the scope its msg and logdata expand in. */
export interface RuleVariableScope extends MacroScope {
  readonly currentRule: CompiledRule | undefined;
}

/** The fields RULE offers as a target, in the order libmodsecurity v3 lists (and tries) them. */
export const RULE_FIELDS = ['id', 'rev', 'severity', 'logdata', 'msg'] as const;

/**
 * RULE as a target, as libmodsecurity v3 fills it (`variables/rule.h`): the id, rev, severity, logdata and msg
 * of the chain the current rule belongs to (a chained rule's own msg and logdata were merged into its head's at
 * load), each present only when the rule has it; msg and logdata with their macros expanded.
 *
 * @example SecRule RULE:id "@rx ^9" "id:900,phase:1,pass,log,msg:'rule %{RULE.id}'"
 */
export function ruleCollection(scope: RuleVariableScope): Collection {
  const out = new Collection();
  const head = scope.currentRule?.head;
  if (!head) return out;
  if (head.id !== 0) out.add('id', String(head.id));
  if (head.rev !== undefined && head.rev !== '') out.add('rev', head.rev);
  if (head.severity !== undefined) out.add('severity', String(head.severity));
  if (head.logdata) out.add('logdata', head.logdata.expand(scope));
  if (head.msg) out.add('msg', head.msg.expand(scope));
  return out;
}

/**
 * `RULE:/re/`: libmodsecurity v3 tries the regex on the field names in RULE_FIELDS order and offers only the first
 * field it matches (case-insensitively), never several; the choice depends on the pattern alone, so it is made at
 * load time. Undefined when no field name matches (the target then offers nothing).
 */
export function ruleFieldForRegex(matches: (name: string) => boolean): string | undefined {
  return RULE_FIELDS.find((f) => matches(f));
}
