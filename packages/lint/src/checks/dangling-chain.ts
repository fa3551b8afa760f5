import type { Directive, SourceLocation } from '@rampart/seclang';
import type { Check } from '../types';

function after(a: SourceLocation, b: SourceLocation): boolean {
  return a.line > b.endLine || (a.line === b.endLine && a.column > b.endColumn);
}

/**
 * A `chain` with no rule after it is an error. A chain whose next rule comes only after other directives
 * (a SecMarker, a setting, an Include) is a warning: ModSecurity links the next rule it reads whatever comes
 * between, which is rarely what the author meant.
 */
export const danglingChain: Check = {
  name: 'dangling-chain',
  meta: {
    severity: 'error',
    docs:
      'A rule with `chain` that no rule follows is an error; other directives between a chained rule and the ' +
      'rule that continues it are a warning.',
    parserCodes: ['dangling-chain'],
  },
  check(ctx) {
    ctx.reportParserDiagnostics('dangling-chain');
    const others: Directive[] = ctx.ast.directives.filter((d) => d.kind !== 'SecRule' && d.kind !== 'SecAction');
    for (const { rule } of ctx.rules) {
      const chain = rule.actions.find((a) => a.name === 'chain');
      if (chain === undefined) continue;
      const next = rule.chained;
      if (next === undefined) {
        if (!ctx.parserReported('dangling-chain', rule.loc)) ctx.report(chain.loc, "'chain' but no rule follows to continue the chain");
        continue;
      }
      const between =
        next.loc.file !== rule.loc.file
          ? undefined
          : others.find((d) => d.loc.file === rule.loc.file && after(d.loc, rule.loc) && after(next.loc, d.loc));
      if (next.loc.file !== rule.loc.file) {
        ctx.report(chain.loc, `the chain continues in another file (${next.loc.file}:${next.loc.line})`, { severity: 'warning' });
      } else if (between !== undefined) {
        ctx.report(chain.loc, `${between.name} on line ${between.loc.line} comes between this rule and the rule that continues its chain (line ${next.loc.line})`, {
          severity: 'warning',
        });
      }
    }
  },
};
