import type { ConfigAst, Diagnostic, ParseDiagnosticCode, SecActionNode, SecRuleNode, Severity, SourceLocation } from '@rampart/seclang';
import type { SourceFile } from './source';

/**
 * Which checks run: `generic` finds what is wrong in any SecLang rule set (what an engine refuses, rules that
 * cannot work as written); `crs` adds the consistency rules the OWASP CRS project holds its own rules to
 * (crs-linter's checks: spelling, action order, formatting, tags, versions, variables).
 */
export type Profile = 'generic' | 'crs';

export const PROFILES: readonly Profile[] = ['generic', 'crs'];

/** Replace `text.slice(start, end)` of a file's text by `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** A mechanical fix: edits of one file that do not overlap. */
export interface Fix {
  file: string;
  edits: TextEdit[];
}

/** One problem found by a check. `related` points at other places the message talks about. */
export interface LintDiagnostic {
  /** The name of the check that found it, e.g. `duplicate-id`. */
  check: string;
  severity: Severity;
  message: string;
  loc: SourceLocation;
  related?: RelatedLocation[];
  /** Present when `--fix` can correct the problem by itself. */
  fix?: Fix;
}

export interface RelatedLocation {
  message: string;
  loc: SourceLocation;
}

export interface CheckMeta {
  /** The severity of what the check reports unless a report says otherwise. */
  severity: Severity;
  /** What the check finds and why it matters, in a sentence or two. */
  docs: string;
  /** Parser diagnostic codes this check reports, so that the `syntax` check does not report them again. */
  parserCodes?: readonly ParseDiagnosticCode[];
  /** The profiles that run the check; every profile when absent. */
  profiles?: readonly Profile[];
  /** Some of its findings carry a fix (`--fix`). */
  fixable?: boolean;
  /**
   * The check needs the whole rule set to be right (what other files set or define): the language server,
   * which lints one document, leaves it out.
   */
  wholeRuleSet?: boolean;
  /** The names crs-linter gives the same check, so that its `#crs-linter:ignore:NAME` comments apply. */
  crsLinterNames?: readonly string[];
  /**
   * Engine load messages that report what this check finds. When the engine reports one in the rule where the
   * check reported, the check's finding takes the engine's words (lint = load) and the engine's copy goes.
   */
  engineMessages?: readonly RegExp[];
}

/** A lint check, ESLint-style: a name, metadata, and a function that walks the context and reports. */
export interface Check {
  name: string;
  meta: CheckMeta;
  check(ctx: CheckContext): void;
}

/** A SecRule or SecAction, whether it heads a chain or is a member of one. */
export type RuleNode = SecRuleNode | SecActionNode;

export interface RuleEntry {
  rule: RuleNode;
  /** The first rule of the chain; the rule itself when it is not chained. */
  head: RuleNode;
  /** 0 for the head, 1 for the first chained rule, ... */
  position: number;
}

export interface ReportOptions {
  severity?: Severity;
  related?: RelatedLocation[];
  fix?: Fix;
}

/** What the checks are told beyond the files: the CRS version and test tree to compare against. */
export interface LintSettings {
  /** The CRS version rules must carry in `ver:` (`4.28.0`); read from the linted tree when absent. */
  crsVersion?: string;
  /** The directory of CRS's go-ftw tests (`tests/regression/tests`), for the rule-tests check. */
  crsTestsDir?: string;
  /** CRS's list of the tags rules may carry (`util/APPROVED_TAGS`), for the approved-tags check. */
  crsApprovedTags?: string;
}

/** A problem the engine reports when it loads the configuration, in its own words. */
export interface EngineProblem {
  message: string;
  loc?: SourceLocation;
}

/** What the engine says when it compiles the linted configuration. */
export interface EngineLoad {
  errors: readonly EngineProblem[];
  warnings: readonly EngineProblem[];
}

export interface CheckContext {
  readonly ast: ConfigAst;
  readonly parserDiagnostics: readonly Diagnostic[];
  /** Every SecRule and SecAction in reading order, chain members right after their head. */
  readonly rules: readonly RuleEntry[];
  readonly profile: Profile;
  readonly settings: LintSettings;
  /** Whether a file exists (data files); replaceable in tests. */
  fileExists(path: string): boolean;
  /** The text of a linted file (undefined for a file that could not be read). */
  source(file: string): SourceFile | undefined;
  /** Every linted text, in reading order. */
  readonly sourceFiles: readonly SourceFile[];
  /** The engine's compile of the whole configuration, run once per lint on first use. */
  engine(): EngineLoad;
  report(loc: SourceLocation, message: string, options?: ReportOptions): void;
  /** Reports the parser's diagnostics of one code under this check. */
  reportParserDiagnostics(code: ParseDiagnosticCode): void;
  /** Whether the parser already reported `code` somewhere inside `loc` (so a walk does not report it twice). */
  parserReported(code: ParseDiagnosticCode, loc: SourceLocation): boolean;
}
