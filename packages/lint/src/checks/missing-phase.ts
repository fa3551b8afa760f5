import type { Check } from '../types';

/** `phase:` values ModSecurity accepts: 1-5 and the v2 names (`request` = 2, `response` = 4, `logging` = 5). */
export const PHASE_VALUES: ReadonlyMap<string, number> = new Map([
  ['1', 1], ['2', 2], ['3', 3], ['4', 4], ['5', 5], ['request', 2], ['response', 4], ['logging', 5],
]);

/**
 * A rule that starts a chain (or stands alone) without `phase:` runs in phase 2 in ModSecurity v2 and v3,
 * whatever SecDefaultAction says: SecDefaultAction gives defaults to the rules *of its phase*, it does not
 * place rules in a phase. Phase 2 is rarely what the author of a rule without a phase meant (phase 1 rules
 * cannot block early, response rules see nothing), so the linter warns and asks for an explicit phase.
 * An unknown value is an error: ModSecurity refuses to load it.
 */
export const missingPhase: Check = {
  name: 'missing-phase',
  meta: {
    severity: 'warning',
    docs:
      'A rule without `phase:` runs in phase 2 (ModSecurity\'s default, not SecDefaultAction\'s): write the ' +
      'phase explicitly. A phase other than 1-5, request, response or logging is an error.',
    engineMessages: [/^phase must be/],
  },
  check(ctx) {
    for (const { rule, position } of ctx.rules) {
      const phases = rule.actions.filter((a) => a.name === 'phase');
      for (const a of phases) {
        if (!PHASE_VALUES.has((a.value ?? '').trim().toLowerCase())) {
          ctx.report(a.loc, `invalid phase '${a.value ?? ''}': use 1-5, request, response or logging`, { severity: 'error' });
        }
      }
      if (position === 0 && phases.length === 0) {
        ctx.report(rule.loc, `${rule.kind} has no phase; ModSecurity runs it in phase 2: write phase:2 if that is meant`);
      }
    }
  },
};
