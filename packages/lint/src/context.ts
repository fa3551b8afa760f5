import * as fs from 'node:fs';
import type { ConfigAst, Diagnostic, SourceLocation } from '@rampart/seclang';
import type { SourceFile } from './source';
import type { Check, CheckContext, EngineLoad, LintDiagnostic, LintSettings, Profile, ReportOptions, RuleEntry, RuleNode } from './types';

/**
 * Parser diagnostics that are warnings in lint too. Everything else the parser reports is an error in lint,
 * whatever severity the parser gives it: what the engine accepts only by guessing (as libmodsecurity does: a
 * `chain` on the last rule, an action list left open at the end of a line) is still a mistake in the file.
 */
export const PARSER_WARNINGS: ReadonlySet<string> = new Set(['comment-continuation']);

/** The severity lint gives a parser diagnostic. */
export function lintSeverity(d: Diagnostic): Diagnostic['severity'] {
  return PARSER_WARNINGS.has(d.code) ? d.severity : 'error';
}

/** Longest chain we follow; a parser bug or a hand-made cyclic AST must not hang the linter. */
const MAX_CHAIN = 10_000;

/** Every SecRule/SecAction with its chain head and position, in reading order. */
export function collectRules(ast: ConfigAst): RuleEntry[] {
  const out: RuleEntry[] = [];
  for (const d of ast.directives) {
    if (d.kind !== 'SecRule' && d.kind !== 'SecAction') continue;
    let rule: RuleNode | undefined = d;
    for (let position = 0; rule !== undefined && position < MAX_CHAIN; position++) {
      out.push({ rule, head: d, position });
      rule = rule.chained;
    }
  }
  return out;
}

/** `inner` lies within `outer` (same file, by line:column). */
export function within(inner: SourceLocation, outer: SourceLocation): boolean {
  if (inner.file !== outer.file) return false;
  const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 <= c2);
  return before(outer.line, outer.column, inner.line, inner.column) && before(inner.line, inner.column, outer.endLine, outer.endColumn);
}

export interface SharedInput {
  ast: ConfigAst;
  parserDiagnostics: readonly Diagnostic[];
  rules: readonly RuleEntry[];
  fileExists: (path: string) => boolean;
  sources: ReadonlyMap<string, SourceFile>;
  profile: Profile;
  settings: LintSettings;
  engine: () => EngineLoad;
}

export const defaultFileExists = (path: string): boolean => {
  try {
    return fs.statSync(path).isFile();
  } catch {
    return false;
  }
};

/** A context bound to one check: reports carry its name and default severity. */
export function createContext(check: Check, input: SharedInput, sink: LintDiagnostic[]): CheckContext {
  const report = (loc: SourceLocation, message: string, options: ReportOptions = {}): void => {
    const d: LintDiagnostic = { check: check.name, severity: options.severity ?? check.meta.severity, message, loc };
    if (options.related !== undefined && options.related.length > 0) d.related = options.related;
    if (options.fix !== undefined && options.fix.edits.length > 0) d.fix = options.fix;
    sink.push(d);
  };
  return {
    ast: input.ast,
    parserDiagnostics: input.parserDiagnostics,
    rules: input.rules,
    profile: input.profile,
    settings: input.settings,
    fileExists: input.fileExists,
    source: (file) => input.sources.get(file),
    sourceFiles: [...input.sources.values()],
    engine: input.engine,
    report,
    reportParserDiagnostics(code) {
      for (const d of input.parserDiagnostics) if (d.code === code) report(d.loc, d.message, { severity: lintSeverity(d) });
    },
    parserReported(code, loc) {
      return input.parserDiagnostics.some((d) => d.code === code && within(d.loc, loc));
    },
  };
}
