import type { ConfigAst, SourceLocation } from '@rampart/seclang';
import type { Check, LintDiagnostic, RuleNode } from './types';

const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 <= c2);
const startsIn = (loc: SourceLocation, span: SourceLocation) =>
  loc.file === span.file && before(span.line, span.column, loc.line, loc.column) && before(loc.line, loc.column, span.endLine, span.endColumn);
const sameStart = (a: SourceLocation, b: SourceLocation) => a.file === b.file && a.line === b.line && a.column === b.column;

/** The directive, or the rule of a chain, whose text holds `loc`'s start. */
function spanOf(spans: readonly SourceLocation[], loc: SourceLocation): SourceLocation | undefined {
  let best: SourceLocation | undefined;
  for (const s of spans) {
    if (!startsIn(loc, s)) continue;
    if (best === undefined || startsIn(s, best)) best = s;
  }
  return best;
}

/**
 * Lint = load, reported once. `engine-load` reports everything the engine says; where a check reported the
 * same problem in the same rule (the same words, or words the check claims in `meta.engineMessages`), the
 * check's finding keeps its place (usually more precise than the engine's, which names the rule) and its
 * name, and takes the engine's words and, if higher, its severity; the engine's copy is dropped.
 */
export function mergeEngineFindings(list: readonly LintDiagnostic[], ast: ConfigAst, checks: readonly Check[]): LintDiagnostic[] {
  const engine = list.filter((d) => d.check === 'engine-load');
  if (engine.length === 0) return [...list];
  const claims = new Map(checks.map((c) => [c.name, c.meta.engineMessages ?? []]));
  const spans: SourceLocation[] = [];
  for (const d of ast.directives) {
    spans.push(d.loc);
    for (let r: RuleNode | undefined = d.kind === 'SecRule' || d.kind === 'SecAction' ? d.chained : undefined; r !== undefined; r = r.chained) spans.push(r.loc);
  }
  const others = list.filter((d) => d.check !== 'engine-load');
  /** The engine message each finding took, so that it absorbs no other (different) words. */
  const took = new Map<LintDiagnostic, string>();
  const dropped = new Set<LintDiagnostic>();
  for (const e of engine) {
    const span = spanOf(spans, e.loc);
    if (span === undefined) continue;
    const candidates = others.filter((o) => {
      if (spanOf(spans, o.loc) !== span) return false;
      const taken = took.get(o);
      if (taken !== undefined && taken !== e.message) return false;
      return o.message === e.message || (claims.get(o.check) ?? []).some((re) => re.test(e.message));
    });
    const chosen = candidates.find((o) => sameStart(o.loc, e.loc)) ?? candidates.find((o) => o.message === e.message) ?? candidates[0];
    if (chosen === undefined) continue;
    chosen.message = e.message;
    if (e.severity === 'error') chosen.severity = 'error';
    took.set(chosen, e.message);
    dropped.add(e);
  }
  // The engine may say the same thing twice at one place (a phase it reads twice): once is enough.
  const seen = new Set<string>();
  return list.filter((d) => {
    if (dropped.has(d)) return false;
    if (d.check !== 'engine-load') return true;
    const key = `${d.loc.file}\n${d.loc.line}\n${d.loc.column}\n${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
