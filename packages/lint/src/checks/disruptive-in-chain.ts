import { catalog } from '@rampart/seclang';
import type { Check } from '../types';

export const disruptiveInChain: Check = {
  name: 'disruptive-in-chain',
  meta: {
    severity: 'error',
    docs:
      'Disruptive actions (deny, block, pass, ...) belong to the first rule of a chain, which acts when the ' +
      'whole chain matches; ModSecurity v2 refuses them in chained rules.',
    engineMessages: [/^action '(allow|block|deny|drop|pass|proxy|redirect|pause)' is only allowed in the first rule of a chain/],
  },
  check(ctx) {
    for (const { rule, position, head } of ctx.rules) {
      if (position === 0) continue;
      for (const a of rule.actions) {
        if (catalog.findAction(a.name)?.kind === 'disruptive') {
          ctx.report(a.loc, `disruptive action '${a.rawName}' in a chained rule: put it on the chain's first rule (line ${head.loc.line})`);
        }
      }
    }
  },
};
