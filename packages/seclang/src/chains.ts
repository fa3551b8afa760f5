import type { Directive, SecActionNode, SecRuleNode } from './ast';
import type { DiagnosticSink } from './diagnostics';

type RuleLike = SecRuleNode | SecActionNode;

/**
 * Chains are nested objects, and every consumer walks them; a bound keeps hostile input from building one
 * deep enough to overflow a recursive walk. CRS's longest chain has 5 rules.
 */
export const MAX_CHAIN_LENGTH = 256;

function hasChain(rule: RuleLike): boolean {
  return rule.actions.some((a) => a.name.toLowerCase() === 'chain');
}

/**
 * Makes chains explicit: a rule with a `chain` action owns the next SecRule/SecAction of the stream as
 * `chained` (recursively), and that rule leaves the top level. Other directives in between stay where they
 * are (ModSecurity links the next rule it reads, whatever comes between). A `chain` on the last rule is
 * reported as `dangling-chain`.
 */
export function linkChains(directives: Directive[], sink: DiagnosticSink): Directive[] {
  const out: Directive[] = [];
  let open: RuleLike | undefined;
  let length = 0;
  for (const d of directives) {
    if (d.kind !== 'SecRule' && d.kind !== 'SecAction') {
      out.push(d);
      continue;
    }
    if (open !== undefined && length >= MAX_CHAIN_LENGTH) {
      sink.error('chain-too-long', `a chain may have at most ${MAX_CHAIN_LENGTH} rules; this rule starts a new one`, d.loc);
      open = undefined;
    }
    if (open !== undefined) {
      open.chained = d;
      length++;
    } else {
      out.push(d);
      length = 1;
    }
    open = hasChain(d) ? d : undefined;
  }
  if (open !== undefined) {
    const chain = open.actions.find((a) => a.name.toLowerCase() === 'chain');
    sink.errorModsecurityLoads(
      'dangling-chain',
      'the last rule has a chain action but no rule follows it',
      chain?.loc ?? open.loc,
      'the chain never completes: the rule runs its setvar-like actions when it matches, but never its disruptive action, msg or log line',
    );
  }
  return out;
}
