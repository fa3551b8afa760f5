import type { ActionNode } from '@rampart/seclang';
import { actionRank, ORDER_TEXT } from '../crs/action-order';
import type { Check, Fix } from '../types';

/**
 * CRS writes a rule's actions in one order (id, phase, the disruptive action, ..., setvar, chain, skipAfter),
 * so that rules read alike and reviews see what changed. One finding per rule, at its first action out of
 * place; the fix moves every action of the rule to its place, keeping the order among equals (transformations
 * and setvars run in the order written).
 */
export const crsActionOrder: Check = {
  name: 'crs-action-order',
  meta: {
    severity: 'error',
    docs: `Actions out of CRS's order (${ORDER_TEXT}).`,
    profiles: ['crs'],
    fixable: true,
    crsLinterNames: ['ordered_actions'],
  },
  check(ctx) {
    for (const { rule } of ctx.rules) {
      const actions = rule.actions;
      let max = -1;
      let before: ActionNode | undefined;
      const misplaced = actions.find((a) => {
        const rank = actionRank(a.name);
        if (rank < max) return true;
        if (rank > max) before = a;
        max = rank;
        return false;
      });
      if (misplaced === undefined || before === undefined) continue;
      const sorted = actions.map((a, i) => ({ a, i })).sort((x, y) => actionRank(x.a.name) - actionRank(y.a.name) || x.i - y.i).map((x) => x.a);
      const source = ctx.source(rule.loc.file);
      let fix: Fix | undefined;
      if (source !== undefined && actions.every((a) => a.loc.file === rule.loc.file)) {
        const edits = actions
          .map((slot, i) => ({ start: source.start(slot.loc), end: source.end(slot.loc), text: source.slice((sorted[i] as ActionNode).loc) }))
          .filter((e, i) => sorted[i] !== actions[i] && e.text !== source.text.slice(e.start, e.end));
        fix = { file: rule.loc.file, edits };
      }
      ctx.report(misplaced.loc, `'${misplaced.rawName}' is written after '${before.rawName}': CRS's action order puts it before`, fix === undefined ? {} : { fix });
    }
  },
};
