import type { SourceLocation } from '@rampart/seclang';
import type { Check, RuleNode } from '../types';
import { macroUses } from '../walk';

/** Metadata a chain's first rule expands when the whole chain has matched (so after every rule's capture). */
const EXPANDED_AFTER_CHAIN = new Set(['msg', 'logdata', 'tag']);

const isCaptureKey = (key: string | undefined) => key !== undefined && /^[0-9]$/.test(key.trim());

/**
 * TX:0-TX:9 hold what the last rule with `capture` captured. A rule that reads them (as a target, in `%{TX.1}`)
 * needs a `capture` in its chain before the read, or it reads whatever an unrelated earlier rule left there:
 * - a target or an operator argument is read before the rule's own operator runs: a rule before it must capture;
 * - an action (setvar, setenv, ctl...) runs when its rule matches: its own rule may capture;
 * - msg, logdata and tag of the chain's first rule are expanded once the whole chain matched: any rule may capture.
 * crs-linter's `capture` and `standalonetxn` checks cover the same ground.
 */
export const captureMissing: Check = {
  name: 'capture-missing',
  meta: {
    severity: 'error',
    docs:
      'TX:0-TX:9 read (as a target or as %{TX.1}) without a `capture` earlier in the rule or its chain: the rule ' +
      'reads what an unrelated rule captured last.',
    crsLinterNames: ['capture', 'standalonetxn'],
  },
  check(ctx) {
    const chains = new Map<RuleNode, RuleNode[]>();
    for (const { rule, head } of ctx.rules) chains.set(head, [...(chains.get(head) ?? []), rule]);
    for (const [head, chain] of chains) {
      const captureAt = chain.findIndex((r) => r.actions.some((a) => a.name === 'capture'));
      const hasCapture = captureAt >= 0;
      const reported = new Set<RuleNode>();
      const report = (rule: RuleNode, loc: SourceLocation, what: string) => {
        if (reported.has(rule)) return;
        reported.add(rule);
        const where = rule === head ? (hasCapture ? 'its capture comes in a later rule of the chain' : 'no rule of its chain has capture') : hasCapture ? 'the chain captures only after this rule' : 'no rule of its chain has capture';
        ctx.report(loc, `${what} is read here but ${where}: it holds what an earlier, unrelated rule captured`);
      };
      chain.forEach((rule, k) => {
        if (rule.kind === 'SecRule') {
          for (const v of rule.variables) {
            if (v.name !== 'TX' || v.negated || v.selector?.kind !== 'key' || !isCaptureKey(v.selector.value)) continue;
            if (!(hasCapture && captureAt < k)) report(rule, v.loc, `TX:${v.selector.value.trim()}`);
          }
        }
        for (const use of macroUses(rule)) {
          if (use.ref.collection !== 'TX' || !isCaptureKey(use.ref.key)) continue;
          const loc = use.action?.loc ?? (rule.kind === 'SecRule' ? rule.operator.loc : rule.loc);
          let ok: boolean;
          if (use.action === undefined) ok = hasCapture && captureAt < k;
          else if (rule === head && EXPANDED_AFTER_CHAIN.has(use.action.name)) ok = hasCapture;
          else ok = hasCapture && captureAt <= k;
          if (!ok) report(rule, loc, use.ref.raw);
        }
      });
    }
  },
};
