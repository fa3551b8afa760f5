import type { Check } from '../types';
import { parseId } from './rule-id';

export const missingId: Check = {
  name: 'missing-id',
  meta: {
    severity: 'error',
    docs:
      'Every SecRule and SecAction that starts a chain (or stands alone) needs a positive integer `id`: ' +
      'ModSecurity refuses a rule without one, and exclusions, logs and tests refer to rules by id.',
    engineMessages: [/has no id \(/, /^action 'id' /, /^invalid id/, /\bid\b.*(integer|number)/],
  },
  check(ctx) {
    for (const { rule, position } of ctx.rules) {
      if (position > 0) continue;
      const ids = rule.actions.filter((a) => a.name === 'id');
      if (ids.length === 0) {
        ctx.report(rule.loc, `${rule.kind} has no id`);
        continue;
      }
      for (const a of ids) {
        if (parseId(a) === undefined) ctx.report(a.loc, `invalid id '${a.value ?? ''}': an id is an integer from 1`);
      }
      for (const extra of ids.slice(1)) ctx.report(extra.loc, `${rule.kind} has more than one id`);
    }
  },
};
