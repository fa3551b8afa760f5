import { catalog } from '@rampart/seclang';
import type { Check } from '../types';

/**
 * Metadata (id, msg, tag, severity, logdata...), `phase`, `skip` and `skipAfter` describe or steer the whole
 * chain, so they belong to its first rule; ModSecurity v2 refuses them in chained rules. Disruptive
 * actions are the `disruptive-in-chain` check's.
 */
export const chainStarterOnly: Check = {
  name: 'chain-starter-only',
  meta: {
    severity: 'error',
    docs:
      'Metadata, phase, skip and skipAfter in a chained rule: they apply to the whole chain and belong on its ' +
      'first rule (ModSecurity v2 refuses them).',
    engineMessages: [/^action '.*' is only allowed in the first rule of a chain/],
  },
  check(ctx) {
    for (const { rule, position, head } of ctx.rules) {
      if (position === 0) continue;
      for (const a of rule.actions) {
        const info = catalog.findAction(a.name);
        if (info?.chainStarterOnly === true && info.kind !== 'disruptive') {
          ctx.report(a.loc, `'${a.rawName}' in a chained rule: it belongs on the chain's first rule (line ${head.loc.line})`);
        }
      }
    }
  },
};
