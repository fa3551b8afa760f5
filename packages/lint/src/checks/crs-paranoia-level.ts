import type { ActionNode } from '@rampart/seclang';
import type { Check, RuleNode } from '../types';

/** `SecRule TX:DETECTION_PARANOIA_LEVEL "@lt 2" "...,skipAfter:END-..."`: the rules after it are paranoia level 2. */
function paranoiaSection(rule: RuleNode): number | undefined {
  if (rule.kind !== 'SecRule' || rule.operator.name !== 'lt' || rule.operator.negated) return undefined;
  const v = rule.variables[0];
  if (rule.variables.length !== 1 || v === undefined || v.name !== 'TX' || v.count || v.selector?.kind !== 'key') return undefined;
  if (v.selector.value.toLowerCase() !== 'detection_paranoia_level') return undefined;
  const n = rule.operator.argument.trim();
  return /^[1-9]$/.test(n) ? Number(n) : undefined;
}

const SCORE = /^(inbound|outbound)_anomaly_score_pl([0-9])$/i;

/**
 * CRS places each detection rule in the paranoia-level section of its file (after `SecRule
 * TX:DETECTION_PARANOIA_LEVEL "@lt N" ... skipAfter`) and says so three times; the three must agree:
 * - a rule that logs carries `tag:'paranoia-level/N'` for its section's N (a `nolog` rule carries none);
 * - it adds to `tx.inbound_anomaly_score_plN` (or outbound) of the same N;
 * - the score it adds is `%{tx.<severity>_anomaly_score}` for its own `severity` (CRITICAL: critical_...).
 * crs-linter's `pl_consistency`. Each file is read on its own, from paranoia level 0 (no section yet).
 */
export const crsParanoiaLevel: Check = {
  name: 'crs-paranoia-level',
  meta: {
    severity: 'error',
    docs:
      'A rule whose paranoia-level/N tag, anomaly score variable (tx.inbound_anomaly_score_plN) or score ' +
      '(%{tx.critical_anomaly_score} for severity CRITICAL) does not match its paranoia-level section or severity.',
    profiles: ['crs'],
    crsLinterNames: ['pl_consistency'],
  },
  check(ctx) {
    const sections = new Map<string, number>();
    const chains = new Map<RuleNode, RuleNode[]>();
    for (const { rule, head } of ctx.rules) chains.set(head, [...(chains.get(head) ?? []), rule]);
    for (const [head, chain] of chains) {
      const file = head.loc.file;
      const section = paranoiaSection(head);
      if (section !== undefined) {
        sections.set(file, section);
        continue;
      }
      const pl = sections.get(file) ?? 0;
      if (pl === 0) continue;
      const all: ActionNode[] = chain.flatMap((r) => r.actions);
      const nolog = all.some((a) => a.name === 'nolog');
      const plTags = head.actions.filter((a) => a.name === 'tag' && /^paranoia-level\//.test(a.value?.trim() ?? ''));
      for (const tag of plTags) {
        const value = (tag.value ?? '').trim();
        if (nolog) ctx.report(tag.loc, `tag '${value}' on a nolog rule: only rules that log carry a paranoia level tag`);
        else if (value !== `paranoia-level/${pl}`) ctx.report(tag.loc, `tag '${value}' in the paranoia level ${pl} section: write 'paranoia-level/${pl}'`);
      }
      if (!nolog && plTags.length === 0) ctx.report(head.loc, `rule in the paranoia level ${pl} section without tag 'paranoia-level/${pl}'`);
      const severity = head.actions.find((a) => a.name === 'severity')?.value?.trim().toLowerCase();
      for (const a of all) {
        const sv = a.setvar;
        if (sv === undefined || sv.collection !== 'TX' || sv.op === 'delete') continue;
        const m = SCORE.exec(sv.key.text.trim());
        if (m === null) continue;
        if (Number(m[2]) !== pl) ctx.report(a.loc, `tx.${sv.key.text} in the paranoia level ${pl} section: add to ${m[1]}_anomaly_score_pl${pl}`);
        const value = (sv.value?.text ?? '').trim();
        if (value === '0' && sv.op === 'set') continue;
        const score = /^%\{tx\.([a-z]+)_anomaly_score\}$/i.exec(value);
        if (score === null) continue;
        if (severity === undefined) ctx.report(a.loc, `adds %{tx.${score[1]}_anomaly_score} but the rule has no severity`);
        else if ((score[1] as string).toLowerCase() !== severity) ctx.report(a.loc, `adds %{tx.${score[1]}_anomaly_score} but the rule's severity is ${severity.toUpperCase()}: add %{tx.${severity}_anomaly_score}`);
      }
    }
  },
};
