import type { Check } from '../types';

/**
 * `skipAfter:LABEL` jumps forward to the SecMarker (or rule id) LABEL in the same phase. With no such marker
 * after the rule, ModSecurity skips every remaining rule of the phase, silently: almost always a typo or a
 * rule moved to the wrong file. Only the linted files are searched, so linting a single file of a rule set
 * can warn about markers that live in another file.
 */
export const skipAfterTarget: Check = {
  name: 'skip-after-target',
  meta: {
    severity: 'warning',
    docs: 'A skipAfter whose SecMarker (or rule id) does not follow the rule in the linted files: the rest of the phase would be skipped.',
    engineMessages: [/skipAfter:.* names no SecMarker/],
  },
  check(ctx) {
    // Positions in reading order; a chained rule takes its head's position.
    const position = new Map<object, number>();
    const labels = new Map<string, number[]>();
    const add = (label: string, at: number) => {
      const list = labels.get(label);
      if (list === undefined) labels.set(label, [at]);
      else list.push(at);
    };
    ctx.ast.directives.forEach((d, i) => {
      position.set(d, i);
      if (d.kind === 'SecMarker') add(d.label, i);
      if (d.kind === 'SecRule' || d.kind === 'SecAction') {
        const id = d.actions.find((a) => a.name === 'id')?.value?.trim();
        if (id !== undefined && id !== '') add(id, i);
      }
    });
    for (const { rule, head } of ctx.rules) {
      for (const a of rule.actions) {
        if (a.name !== 'skipAfter' || a.value === undefined || a.macro?.parts.some((p) => typeof p !== 'string')) continue;
        const label = a.value.trim();
        const at = position.get(head) ?? -1;
        const targets = labels.get(label);
        if (targets === undefined) ctx.report(a.loc, `skipAfter:${label}: no SecMarker or rule id '${label}' in the linted files`);
        else if (!targets.some((t) => t > at)) ctx.report(a.loc, `skipAfter:${label}: the marker comes before this rule, so the rest of the phase is skipped`);
      }
    }
  },
};
