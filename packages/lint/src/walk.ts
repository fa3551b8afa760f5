import type { ActionNode, ConfigAst, VariableRef } from '@rampart/seclang';
import type { RuleNode } from './types';
import { collectRules } from './context';

/** Every action list of a configuration: rules, chain members, SecDefaultAction and SecRuleUpdateActionById. */
export function allActions(ast: ConfigAst): ActionNode[] {
  const out: ActionNode[] = [];
  for (const { rule } of collectRules(ast)) out.push(...rule.actions);
  for (const d of ast.directives) {
    if (d.kind === 'SecDefaultAction' || d.kind === 'RuleUpdateAction') out.push(...d.actions);
  }
  return out;
}

/** Every variable reference: rule targets, SecRuleUpdateTarget* lists and `ctl:ruleRemoveTarget*` targets. */
export function allVariables(ast: ConfigAst): VariableRef[] {
  const out: VariableRef[] = [];
  for (const { rule } of collectRules(ast)) {
    if (rule.kind === 'SecRule') out.push(...rule.variables);
  }
  for (const d of ast.directives) {
    if (d.kind === 'RuleUpdateTarget') out.push(...d.variables, ...(d.replace ?? []));
  }
  for (const a of allActions(ast)) if (a.ctl?.target !== undefined) out.push(...a.ctl.target.variables);
  return out;
}

export function findActions(rule: RuleNode, name: string): ActionNode[] {
  return rule.actions.filter((a) => a.name === name);
}
