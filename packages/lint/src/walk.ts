import type { ActionNode, ConfigAst, MacroRef, VariableRef } from '@rampart/seclang';
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

/** Where a rule reads a macro: its operator argument, or one of its actions (the setvar key or value included). */
export interface MacroUse {
  ref: MacroRef;
  action?: ActionNode;
}

/** Every macro reference of a rule, in the operator argument and in the actions. */
export function macroUses(rule: RuleNode): MacroUse[] {
  const out: MacroUse[] = [];
  const add = (parts: readonly (string | MacroRef)[] | undefined, action?: ActionNode) => {
    for (const p of parts ?? []) if (typeof p !== 'string') out.push(action === undefined ? { ref: p } : { ref: p, action });
  };
  if (rule.kind === 'SecRule') add(rule.operator.argumentMacro.parts);
  for (const a of rule.actions) {
    if (a.setvar !== undefined) {
      add(a.setvar.key.parts, a);
      add(a.setvar.value?.parts, a);
    } else add(a.macro?.parts, a);
  }
  return out;
}

/** The rule's id as written (for messages), or undefined. */
export function idText(rule: RuleNode): string | undefined {
  return rule.actions.find((a) => a.name === 'id')?.value?.trim();
}
