import type { Directive, SecActionNode, SecRuleNode } from './ast';
import type { DiagnosticSink } from './diagnostics';

type RuleLike = SecRuleNode | SecActionNode;

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
  for (const d of directives) {
    if (d.kind !== 'SecRule' && d.kind !== 'SecAction') {
      out.push(d);
      continue;
    }
    if (open !== undefined) open.chained = d;
    else out.push(d);
    open = hasChain(d) ? d : undefined;
  }
  if (open !== undefined) {
    const chain = open.actions.find((a) => a.name.toLowerCase() === 'chain');
    sink.error('dangling-chain', 'the last rule has a chain action but no rule follows it', chain?.loc ?? open.loc);
  }
  return out;
}
