import type { ActionNode } from '@rampart/seclang';
import type { Check, RuleNode } from '../types';
import { PHASE_VALUES } from './missing-phase';

/** Disruptive actions that stop or divert the transaction (pass does neither). */
const ACTING = new Set(['deny', 'drop', 'block', 'redirect', 'proxy', 'allow', 'pause']);

/** Why a rule can never match, or undefined when it can. A rule matches when any of its targets does. */
function neverMatches(rule: RuleNode): string | undefined {
  if (rule.kind !== 'SecRule') return undefined;
  const op = rule.operator;
  if (op.name === 'noMatch' && !op.negated) return '@noMatch never matches';
  if (op.name === 'unconditionalMatch' && op.negated) return '!@unconditionalMatch never matches';
  const targets = rule.variables.filter((v) => !v.negated);
  if (targets.length === 0 && rule.variables.length > 0) return 'every target is an exclusion (!...), so it inspects nothing';
  // `&X` counts are never negative: `@lt 0`, `@le -1`, `@eq -1` (or `!@ge 0`) cannot hold for any of them.
  const arg = op.argument.trim();
  if (targets.length > 0 && targets.every((v) => v.count) && /^[+-]?[0-9]+$/.test(arg)) {
    const n = Number(arg);
    const impossible =
      (!op.negated && ((op.name === 'lt' && n <= 0) || (op.name === 'le' && n < 0) || (op.name === 'eq' && n < 0))) ||
      (op.negated && ((op.name === 'ge' && n <= 0) || (op.name === 'gt' && n < 0)));
    if (impossible) return `a count (&) is never negative, so ${op.negated ? '!' : ''}@${op.rawName} ${arg} never holds`;
  }
  return undefined;
}

/**
 * A chain whose disruptive action can never take effect: a rule of the chain can never match (`@noMatch`, a
 * count compared below zero, only excluded targets), or the chain runs in phase 5, when the response has
 * already gone and nothing can be blocked or redirected any more.
 */
export const unreachableDisruptive: Check = {
  name: 'unreachable-disruptive',
  meta: {
    severity: 'warning',
    docs:
      'A disruptive action (deny, block, redirect...) that can never take effect: a rule of its chain never ' +
      'matches (@noMatch, `&ARGS "@lt 0"`, only excluded targets), or it runs in phase 5 (logging).',
  },
  check(ctx) {
    const chains = new Map<RuleNode, RuleNode[]>();
    for (const { rule, head } of ctx.rules) chains.set(head, [...(chains.get(head) ?? []), rule]);
    for (const [head, chain] of chains) {
      const disruptive = head.actions.filter((a) => ACTING.has(a.name)).pop() as ActionNode | undefined;
      if (disruptive === undefined) continue;
      const phase = PHASE_VALUES.get((head.actions.find((a) => a.name === 'phase')?.value ?? '2').trim().toLowerCase());
      if (phase === 5 && disruptive.name !== 'allow') {
        ctx.report(disruptive.loc, `'${disruptive.rawName}' in phase 5 (logging) never takes effect: the response has already been sent`);
        continue;
      }
      for (const rule of chain) {
        const why = neverMatches(rule);
        if (why === undefined) continue;
        const which = rule === head ? 'this rule' : `the chained rule on line ${rule.loc.line}`;
        ctx.report(disruptive.loc, `'${disruptive.rawName}' can never take effect: ${which} can never match (${why})`);
        break;
      }
    }
  },
};
