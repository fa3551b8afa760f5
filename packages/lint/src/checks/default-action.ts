import { catalog } from '@rampart/seclang';
import type { Check } from '../types';
import { PHASE_VALUES } from './missing-phase';

/** Metadata that SecDefaultAction refuses: ModSecurity v2 (id, rev, ver, maturity, accuracy, msg) and v3 (its configuration-time actions). */
const REFUSED_METADATA = new Set(['id', 'rev', 'ver', 'maturity', 'accuracy', 'msg', 'severity']);

/**
 * SecDefaultAction gives the rules of one phase their default disruptive action, logging and
 * transformations. What the engines refuse, as the ModSecurity v3 parser does (and v2 or Coraza where
 * they are stricter):
 * - no phase (Coraza refuses it; v2 and v3 disagree on the phase they then pick);
 * - no disruptive action other than `block` (`block` means "the default disruptive action" itself);
 * - rule metadata (id, msg, severity, ...) and `t:none`, which would clear the defaults it sets;
 * - a second SecDefaultAction for the same phase.
 */
export const defaultAction: Check = {
  name: 'default-action',
  meta: {
    severity: 'error',
    docs:
      'A SecDefaultAction without phase or disruptive action, with rule metadata or t:none, or a second one ' +
      'for the same phase: ModSecurity v3 refuses all of them.',
    engineMessages: [/^SecDefaultAction /],
  },
  check(ctx) {
    const seen = new Map<number, number>();
    for (const d of ctx.ast.directives) {
      if (d.kind !== 'SecDefaultAction') continue;
      const phaseAction = d.actions.find((a) => a.name === 'phase');
      const phase = PHASE_VALUES.get((phaseAction?.value ?? '').trim().toLowerCase());
      if (phaseAction === undefined) ctx.report(d.loc, 'SecDefaultAction needs a phase');
      if (!d.actions.some((a) => a.name !== 'block' && catalog.findAction(a.name)?.kind === 'disruptive')) {
        ctx.report(d.loc, 'SecDefaultAction needs a disruptive action (pass, deny, redirect...; block does not count)');
      }
      for (const a of d.actions) {
        if (REFUSED_METADATA.has(a.name)) ctx.report(a.loc, `'${a.rawName}' is rule metadata: not allowed in SecDefaultAction`);
        if (a.name === 't' && a.value?.trim().toLowerCase() === 'none') ctx.report(a.loc, 't:none is not allowed in SecDefaultAction');
      }
      if (phase !== undefined) {
        const previous = seen.get(phase);
        if (previous !== undefined) ctx.report(d.loc, `a second SecDefaultAction for phase ${phase} (the first is on line ${previous})`);
        else seen.set(phase, d.loc.line);
      }
    }
  },
};
