import { catalog } from '@rampart/seclang';
import type { Check } from '../types';
import { PHASE_VALUES } from './missing-phase';

const PHASE_NAMES = ['', 'request headers', 'request body', 'response headers', 'response body', 'logging'];

/**
 * A variable read before the phase in which it gets its data (RESPONSE_BODY in phase 2, REQUEST_BODY in
 * phase 1) is always empty there, so the rule can never match on it: usually a wrong `phase:`. A chained
 * rule runs in the phase of the chain's first rule; a rule without a phase runs in phase 2.
 */
export const variablePhase: Check = {
  name: 'variable-phase',
  meta: {
    severity: 'warning',
    docs: 'A variable read in a phase before it has data (RESPONSE_BODY in phase 2, REQUEST_BODY in phase 1): always empty there.',
  },
  check(ctx) {
    for (const { rule, head } of ctx.rules) {
      if (rule.kind !== 'SecRule') continue;
      const phaseValue = head.actions.find((a) => a.name === 'phase')?.value;
      const phase = phaseValue === undefined ? 2 : PHASE_VALUES.get(phaseValue.trim().toLowerCase());
      if (phase === undefined) continue;
      for (const v of rule.variables) {
        if (v.negated) continue;
        const info = catalog.findVariable(v.rawName);
        if (info !== undefined && info.phase > phase) {
          ctx.report(v.loc, `${info.name} has no data before phase ${info.phase} (${PHASE_NAMES[info.phase]}); this rule runs in phase ${phase}`);
        }
      }
    }
  },
};
