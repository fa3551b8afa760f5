import type { Directive, SourceLocation } from '@rampart/seclang';
import type { Check } from '../types';

function after(a: SourceLocation, b: SourceLocation): boolean {
  return a.line > b.endLine || (a.line === b.endLine && a.column > b.endColumn);
}

/** The first of `sorted` (one file's directives in source order) that starts after `loc` ends: a binary search. */
function firstAfter(sorted: readonly Directive[], loc: SourceLocation): Directive | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (after((sorted[mid] as Directive).loc, loc)) hi = mid;
    else lo = mid + 1;
  }
  return sorted[lo];
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
    // Directives other than rules, per file, in source order (the parser keeps reading order within a file).
    const others = new Map<string, Directive[]>();
    for (const d of ctx.ast.directives) {
      if (d.kind === 'SecRule' || d.kind === 'SecAction') continue;
      const list = others.get(d.loc.file);
      if (list === undefined) others.set(d.loc.file, [d]);
      else list.push(d);
    }
    for (const list of others.values()) list.sort((a, b) => a.loc.line - b.loc.line || a.loc.column - b.loc.column);
    for (const { rule } of ctx.rules) {
      const chain = rule.actions.find((a) => a.name === 'chain');
      if (chain === undefined) continue;
      const next = rule.chained;
      if (next === undefined) {
        if (!ctx.parserReported('dangling-chain', rule.loc)) ctx.report(chain.loc, "'chain' but no rule follows to continue the chain");
        continue;
      }
      const candidate = firstAfter(others.get(rule.loc.file) ?? [], rule.loc);
      const between = candidate !== undefined && after(next.loc, candidate.loc) ? candidate : undefined;
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
