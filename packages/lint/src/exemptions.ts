import type { ConfigAst, SourceLocation } from '@rampart/seclang';
import type { SourceFile } from './source';
import type { Check, LintDiagnostic, RuleNode } from './types';

/**
 * `#rampart-lint:ignore:check-a,check-b` (and crs-linter's `#crs-linter:ignore:pass_nolog`, which CRS's own
 * files carry) above a directive silences those checks on that directive, and on the rules of its chain.
 * Comments and blank lines between the comment and the directive are skipped, as crs-linter does.
 */
const IGNORE = /^\s*#\s*(rampart-lint|crs-linter)\s*:\s*ignore\s*:\s*(.*)$/i;

export interface IgnoreComment {
  /** `rampart-lint` or `crs-linter`. */
  tool: 'rampart-lint' | 'crs-linter';
  names: string[];
  loc: SourceLocation;
}

/** Every ignore comment of a file, in order. */
export function ignoreComments(source: SourceFile): IgnoreComment[] {
  const out: IgnoreComment[] = [];
  if (!/ignore/i.test(source.text)) return out;
  for (let n = 1; n <= source.lineCount; n++) {
    const text = source.line(n);
    const m = IGNORE.exec(text);
    if (m === null) continue;
    const names = (m[2] as string).split(',').map((s) => s.trim()).filter((s) => s !== '');
    const tool = (m[1] as string).toLowerCase() === 'crs-linter' ? 'crs-linter' : 'rampart-lint';
    out.push({ tool, names, loc: { file: source.file, line: n, column: 1, endLine: n, endColumn: Math.max(1, text.length) } });
  }
  return out;
}

/** Our checks a name of an ignore comment means (crs-linter's names through `meta.crsLinterNames`). */
export function checksNamed(comment: IgnoreComment, name: string, checks: readonly Check[]): Check[] {
  if (comment.tool === 'rampart-lint') return checks.filter((c) => c.name === name);
  const lower = name.toLowerCase();
  return checks.filter((c) => (c.meta.crsLinterNames ?? []).includes(lower));
}

function within(loc: SourceLocation, span: SourceLocation): boolean {
  if (loc.file !== span.file) return false;
  const afterStart = loc.line > span.line || (loc.line === span.line && loc.column >= span.column);
  const beforeEnd = loc.line < span.endLine || (loc.line === span.endLine && loc.column <= span.endColumn);
  return afterStart && beforeEnd;
}

/** Drops the diagnostics that an ignore comment silences. */
export function applyExemptions(
  diagnostics: readonly LintDiagnostic[],
  ast: ConfigAst,
  sources: ReadonlyMap<string, SourceFile>,
  checks: readonly Check[],
): LintDiagnostic[] {
  const starts = new Map<string, SourceLocation[]>();
  for (const d of ast.directives) {
    const spans: SourceLocation[] = [];
    for (let rule: RuleNode | undefined = d.kind === 'SecRule' || d.kind === 'SecAction' ? d : undefined; rule !== undefined; rule = rule.chained) {
      spans.push(rule.loc);
    }
    starts.set(`${d.loc.file}\n${d.loc.line}`, spans.length > 0 ? spans : [d.loc]);
  }
  const exemptions: Array<{ checks: Set<string>; spans: SourceLocation[] }> = [];
  for (const source of sources.values()) {
    const comments = ignoreComments(source);
    let i = 0;
    while (i < comments.length) {
      const silenced = new Set<string>();
      // Consecutive ignore comments (with other comments and blank lines between) add up for the next directive.
      let line = (comments[i] as IgnoreComment).loc.line;
      for (;;) {
        const c = comments[i] as IgnoreComment;
        for (const name of c.names) for (const check of checksNamed(c, name, checks)) silenced.add(check.name);
        i++;
        line = c.loc.line + 1;
        while (line <= source.lineCount && /^\s*(#.*)?$/.test(source.line(line)) && !(i < comments.length && (comments[i] as IgnoreComment).loc.line === line)) line++;
        if (!(i < comments.length && (comments[i] as IgnoreComment).loc.line === line)) break;
      }
      const spans = starts.get(`${source.file}\n${line}`);
      if (spans !== undefined && silenced.size > 0) exemptions.push({ checks: silenced, spans });
    }
  }
  if (exemptions.length === 0) return [...diagnostics];
  return diagnostics.filter((d) => !exemptions.some((e) => e.checks.has(d.check) && e.spans.some((s) => within(d.loc, s))));
}
