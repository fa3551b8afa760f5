import * as fs from 'node:fs';
import { parse, parseFiles } from '@rampart/seclang';
import type { ParseResult, SourceLocation } from '@rampart/seclang';
import { builtinChecks, checksForProfile } from './checks';
import { collectRules, createContext, defaultFileExists } from './context';
import { loadWithEngine } from './engine-load';
import { applyExemptions } from './exemptions';
import { mergeEngineFindings } from './merge-engine';
import { SourceFile } from './source';
import { computeStats } from './stats';
import type { LintStats } from './stats';
import type { Check, EngineLoad, LintDiagnostic, LintSettings, Profile } from './types';

export interface LintOptions {
  /** The checks to run; by default those of the profile. */
  checks?: readonly Check[];
  /** `generic` (default) or `crs`: which checks run by default, and what checks that read it expect. */
  profile?: Profile;
  settings?: LintSettings;
  /** How data files are looked up (tests replace it). */
  fileExists?: (path: string) => boolean;
  /** How rule files are read (default: from disk, latin1); editors and tests pass texts they hold. */
  readFile?: (path: string) => string;
}

export interface LintResult {
  diagnostics: LintDiagnostic[];
  stats: LintStats;
  /** The text of every file read, by path: what fixes apply to. */
  sources: ReadonlyMap<string, SourceFile>;
}

/** Lints configuration files (Includes followed), reporting every problem, not just the first. */
export function lint(files: readonly string[], options: LintOptions = {}): LintResult {
  const sources = new Map<string, SourceFile>();
  const read = options.readFile ?? ((p: string) => fs.readFileSync(p, 'latin1'));
  const parsed = parseFiles(files, {
    readFile: (p) => {
      const text = read(p);
      sources.set(p, new SourceFile(p, text));
      return text;
    },
  });
  return lintParsed(parsed, options, sources);
}

/**
 * Lints SecLang text; `file` names it in locations and anchors relative data-file paths. Includes are not
 * followed unless `followIncludes` is set.
 */
export function lintText(text: string, options: LintOptions & { file?: string; followIncludes?: boolean } = {}): LintResult {
  const { file, followIncludes, ...rest } = options;
  const name = file ?? '<input>';
  const sources = new Map<string, SourceFile>([[name, new SourceFile(name, text)]]);
  const parsed = parse(text, {
    ...(file === undefined ? {} : { file }),
    ...(followIncludes === true
      ? {
          followIncludes: true,
          readFile: (p: string) => {
            const t = (rest.readFile ?? ((f: string) => fs.readFileSync(f, 'latin1')))(p);
            sources.set(p, new SourceFile(p, t));
            return t;
          },
        }
      : {}),
  });
  return lintParsed(parsed, rest, sources);
}

/** Runs the checks over a parse result; `sources` holds the text of its files (for checks that read it). */
export function lintParsed(parsed: ParseResult, options: LintOptions = {}, sources: ReadonlyMap<string, SourceFile> = new Map()): LintResult {
  const profile = options.profile ?? 'generic';
  let engine: EngineLoad | undefined;
  const input = {
    ast: parsed.ast,
    parserDiagnostics: parsed.diagnostics,
    rules: collectRules(parsed.ast),
    fileExists: options.fileExists ?? defaultFileExists,
    sources,
    profile,
    settings: options.settings ?? {},
    engine: () => (engine ??= loadWithEngine(parsed.ast)),
  };
  const checks = options.checks ?? checksForProfile(profile);
  const found: LintDiagnostic[] = [];
  for (const check of checks) check.check(createContext(check, input, found));
  const kept = applyExemptions(mergeEngineFindings(found, parsed.ast, builtinChecks), parsed.ast, sources, builtinChecks);
  return { diagnostics: sortDiagnostics(kept, parsed.ast.files), stats: computeStats(parsed.ast), sources };
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
