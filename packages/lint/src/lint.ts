import { parse, parseFiles } from '@rampart/seclang';
import type { ParseResult, SourceLocation } from '@rampart/seclang';
import { builtinChecks } from './checks';
import { collectRules, createContext, defaultFileExists } from './context';
import { computeStats } from './stats';
import type { LintStats } from './stats';
import type { Check, LintDiagnostic } from './types';

export interface LintOptions {
  /** The checks to run; all built-in checks by default. */
  checks?: readonly Check[];
  /** How data files are looked up (tests replace it). */
  fileExists?: (path: string) => boolean;
}

export interface LintResult {
  diagnostics: LintDiagnostic[];
  stats: LintStats;
}

/** Lints configuration files (Includes followed), reporting every problem, not just the first. */
export function lint(files: readonly string[], options: LintOptions = {}): LintResult {
  return lintParsed(parseFiles(files), options);
}

/** Lints SecLang text; `file` names it in locations and anchors relative data-file paths. */
export function lintText(text: string, options: LintOptions & { file?: string } = {}): LintResult {
  const { file, ...rest } = options;
  return lintParsed(parse(text, file === undefined ? {} : { file }), rest);
}

/** Runs the checks over a parse result. */
export function lintParsed(parsed: ParseResult, options: LintOptions = {}): LintResult {
  const input = {
    ast: parsed.ast,
    parserDiagnostics: parsed.diagnostics,
    rules: collectRules(parsed.ast),
    fileExists: options.fileExists ?? defaultFileExists,
  };
  const diagnostics: LintDiagnostic[] = [];
  for (const check of options.checks ?? builtinChecks) check.check(createContext(check, input, diagnostics));
  return { diagnostics: sortDiagnostics(diagnostics, parsed.ast.files), stats: computeStats(parsed.ast) };
}

/** By file in reading order, then line, column and check name, so that output is stable. */
function sortDiagnostics(list: LintDiagnostic[], files: readonly string[]): LintDiagnostic[] {
  const order = new Map(files.map((f, i) => [f, i]));
  const fileRank = (loc: SourceLocation) => order.get(loc.file) ?? files.length;
  return list.sort(
    (a, b) =>
      fileRank(a.loc) - fileRank(b.loc) ||
      (a.loc.file < b.loc.file ? -1 : a.loc.file > b.loc.file ? 1 : 0) ||
      a.loc.line - b.loc.line ||
      a.loc.column - b.loc.column ||
      (a.check < b.check ? -1 : a.check > b.check ? 1 : 0),
  );
}
