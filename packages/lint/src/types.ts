import type { ConfigAst, Diagnostic, ParseDiagnosticCode, SecActionNode, SecRuleNode, Severity, SourceLocation } from '@rampart/seclang';

/** One problem found by a check. `related` points at other places the message talks about. */
export interface LintDiagnostic {
  /** The name of the check that found it, e.g. `duplicate-id`. */
  check: string;
  severity: Severity;
  message: string;
  loc: SourceLocation;
  related?: RelatedLocation[];
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
}

export interface CheckContext {
  readonly ast: ConfigAst;
  readonly parserDiagnostics: readonly Diagnostic[];
  /** Every SecRule and SecAction in reading order, chain members right after their head. */
  readonly rules: readonly RuleEntry[];
  /** Whether a file exists (data files); replaceable in tests. */
  fileExists(path: string): boolean;
  report(loc: SourceLocation, message: string, options?: ReportOptions): void;
  /** Reports the parser's diagnostics of one code under this check. */
  reportParserDiagnostics(code: ParseDiagnosticCode): void;
  /** Whether the parser already reported `code` somewhere inside `loc` (so a walk does not report it twice). */
  parserReported(code: ParseDiagnosticCode, loc: SourceLocation): boolean;
}
