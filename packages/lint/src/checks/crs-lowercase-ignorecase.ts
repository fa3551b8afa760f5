import type { Check } from '../types';

/**
 * `t:lowercase` and a pattern starting with `(?i)` do the same work twice: CRS uses one or the other.
 * crs-linter's `lowercase_ignorecase`.
 */
export const crsLowercaseIgnorecase: Check = {
  name: 'crs-lowercase-ignorecase',
  meta: {
    severity: 'error',
    docs: 'A rule with both `t:lowercase` and a `(?i)` pattern: one of the two is redundant.',
    profiles: ['crs'],
    crsLinterNames: ['lowercase_ignorecase'],
  },
  check(ctx) {
    for (const { rule } of ctx.rules) {
      if (rule.kind !== 'SecRule' || rule.operator.name !== 'rx' || !rule.operator.argument.startsWith('(?i)')) continue;
      for (const a of rule.actions) {
        if (a.name === 't' && a.value?.trim().toLowerCase() === 'lowercase') {
          ctx.report(a.loc, 't:lowercase with a (?i) pattern: the pattern already ignores case; drop one of them');
        }
      }
    }
  },
};
