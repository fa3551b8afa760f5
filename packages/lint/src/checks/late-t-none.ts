import type { Check } from '../types';

/**
 * `t:none` clears the transformations listed before it (and those SecDefaultAction gives), so it belongs first.
 * Written after others, it silently discards them: `t:lowercase,t:none` inspects the value as it came.
 */
export const lateTNone: Check = {
  name: 'late-t-none',
  meta: {
    severity: 'warning',
    docs: '`t:none` after another transformation of the same rule: it discards the transformations before it (write it first).',
  },
  check(ctx) {
    for (const { rule } of ctx.rules) {
      const before: string[] = [];
      for (const a of rule.actions) {
        if (a.name !== 't' || a.value === undefined) continue;
        const name = a.value.trim();
        if (name.toLowerCase() !== 'none') {
          before.push(`t:${name}`);
          continue;
        }
        if (before.length > 0) {
          ctx.report(a.loc, `t:none after ${before.join(',')} discards ${before.length === 1 ? 'it' : 'them'}: the rule inspects the untransformed value (write t:none first)`);
          before.length = 0;
        }
      }
    }
  },
};
