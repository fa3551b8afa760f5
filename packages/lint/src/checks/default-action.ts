import { catalog } from '@rampart/seclang';
import type { Check } from '../types';
import { PHASE_VALUES } from './missing-phase';

/**
 * SecDefaultAction gives the rules of one phase their default disruptive action, logging and
 * transformations. ModSecurity requires a phase and a disruptive action in it, and refuses metadata
 * (id, msg, tag...), which only make sense on a rule; two defaults for the same phase replace each other.
 */
export const defaultAction: Check = {
  name: 'default-action',
  meta: {
    severity: 'error',
    docs: 'A SecDefaultAction without phase or disruptive action, with metadata actions, or a second one for the same phase.',
  },
  check(ctx) {
    const seen = new Map<number, number>();
    for (const d of ctx.ast.directives) {
      if (d.kind !== 'SecDefaultAction') continue;
      const phaseAction = d.actions.find((a) => a.name === 'phase');
      const phase = PHASE_VALUES.get((phaseAction?.value ?? '').trim().toLowerCase());
      if (phaseAction === undefined) ctx.report(d.loc, 'SecDefaultAction needs a phase');
      if (!d.actions.some((a) => catalog.findAction(a.name)?.kind === 'disruptive')) {
        ctx.report(d.loc, 'SecDefaultAction needs a disruptive action (pass, deny, block...)');
      }
      for (const a of d.actions) {
        const info = catalog.findAction(a.name);
        if (info?.kind === 'metadata' && a.name !== 'phase') ctx.report(a.loc, `'${a.rawName}' is rule metadata: not allowed in SecDefaultAction`);
      }
      if (phase !== undefined) {
        const previous = seen.get(phase);
        if (previous !== undefined) {
          ctx.report(d.loc, `a second SecDefaultAction for phase ${phase} (the first is on line ${previous}) replaces it`, { severity: 'warning' });
        }
        seen.set(phase, d.loc.line);
      }
    }
  },
};
