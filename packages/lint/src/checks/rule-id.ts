import type { ActionNode } from '@rampart/seclang';
import type { RuleNode } from '../types';

/** The rule's id as a number, or undefined when it has none or an invalid one. */
export function ruleId(rule: RuleNode): number | undefined {
  const id = rule.actions.find((a) => a.name === 'id');
  return id === undefined ? undefined : parseId(id);
}

export function parseId(action: ActionNode): number | undefined {
  const v = (action.value ?? '').trim();
  if (!/^[0-9]{1,15}$/.test(v)) return undefined;
  const n = Number(v);
  return n > 0 ? n : undefined;
}
