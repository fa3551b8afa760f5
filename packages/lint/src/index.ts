export { lint, lintParsed, lintText } from './lint';
export type { LintOptions, LintResult } from './lint';
export { computeStats } from './stats';
export type { LintStats } from './stats';
export { builtinChecks, checksForProfile, inProfile } from './checks';
export * as checks from './checks';
export { formatters, formatGithub, formatJson, formatSarif, formatText, formatStatsText, isFormatName } from './formatters';
export type { FormatName, FormatOptions, Formatter } from './formatters';
export { CheckTester } from './rule-tester';
export type { CheckCases, ExpectedError, InvalidCase, ValidCase } from './rule-tester';
export type {
  Check,
  CheckContext,
  CheckMeta,
  EngineLoad,
  EngineProblem,
  Fix,
  LintDiagnostic,
  LintSettings,
  Profile,
  RelatedLocation,
  ReportOptions,
  RuleEntry,
  RuleNode,
  TextEdit,
} from './types';
export { PROFILES } from './types';
export { applyFixes, fixUntilStable, MAX_FIX_PASSES } from './fix';
export type { FixLoopResult, FixOutput } from './fix';
export { SourceFile } from './source';
export { startLanguageServer } from './lsp/lazy';
export type { LanguageServerOptions } from './lsp/server';
