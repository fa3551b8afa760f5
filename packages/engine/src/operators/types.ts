/**
 * The contract of an operator (`@name argument`). An operator is compiled once at load time
 * (`compile`, which may throw a RuleCompileError with a clear message) into a matcher that runs per
 * value at run time and never throws. Inputs are latin1 strings: one char = one byte.
 */
import type { MacroRef, MacroString } from '@rampart/seclang';
import type { Re2Verdicts } from '../regex/re2-verdicts';
import type { CompileMemo } from '../compile-memo/compile-memo';

/** Resolves macro references at run time (the engine's transaction implements it). */
export interface MacroScope {
  resolve(ref: MacroRef): string;
}

/** A compiled macro string: `constant` is set when the text has no macro, so operators can precompute. */
export interface Expandable {
  readonly constant: string | undefined;
  expand(scope: MacroScope): string;
}

export interface OperatorCompileContext {
  /** Compiles the operator argument (or any text with macros) for run-time expansion. */
  macro(text: MacroString): Expandable;
  /** Reads a data file named by the rule (`@pmFromFile`, `@ipMatchFromFile`), resolved relative to the
   *  directory of the rule's file; throws a clear error when the file is missing. */
  readDataFile(name: string): string;
  /** Resolves a file name relative to the directory of the rule's file, like `readDataFile` does
   *  (`@inspectFile` programs). Optional: when absent, names are used as given. */
  resolvePath?(name: string): string;
  /** A load-time warning attached to the rule's location (e.g. a regex that needs the backtracking fallback). */
  warn(message: string): void;
  /** WAF-wide options and services that some operators need. */
  options: OperatorOptions;
}

export interface OperatorOptions {
  /** When false, a regex RE2 cannot compile is a load error instead of a warning + backtracking fallback. */
  allowBacktrackingRegex: boolean;
  /** `@inspectFile` runs external programs: refused unless explicitly enabled. */
  allowInspectFile: boolean;
  /** Largest file an operator reads at load time (the GeoIP database); default DEFAULT_MAX_CONFIG_FILE_BYTES. */
  maxFileBytes?: number;
  /** `SecGeoLookupDb` path (MaxMind .mmdb), when configured. */
  geoLookupDb?: string;
  /** `SecHttpBlKey`, for `@rbl` against dnsbl.httpbl.org. */
  httpBlKey?: string;
  /**
   * Resolves a host name to its IPv4 addresses for `@rbl` (default: node:dns/promises `resolve4`).
   * Rejects (or resolves to an empty list) when the name does not exist. Injected in tests.
   */
  dnsResolve?: (hostname: string) => Promise<string[]>;
  /** `@rbl` gives up on a DNS answer after this many milliseconds (default 500) and does not match. */
  rblTimeoutMs?: number;
  /**
   * Time limit of one match on the backtracking regex engine (patterns RE2 cannot compile), default 100 ms:
   * past it the match answers "no match" and MSC_PCRE_LIMITS_EXCEEDED is set, as for a PCRE match limit.
   */
  backtrackingLimitMs?: number;
  /**
   * Time all of one transaction's `@rx`/`@rxGlobal` matches may spend on the backtracking engine, default
   * 500 ms: past it they answer "no match" at once, with MSC_PCRE_LIMITS_EXCEEDED set.
   */
  backtrackingBudgetMs?: number;
  /** `@inspectFile` kills the program after this many milliseconds (default 10000) and does not match. */
  inspectFileTimeoutMs?: number;
  /** Where the load notes what RE2 made of each pattern (the prefilter and regex sets ask again). */
  re2Verdicts?: Re2Verdicts;
  /** Costly structures (phrase automata) built by earlier loads of the same content. */
  memo?: CompileMemo;
  /** `SecXmlExternalEntity On`: libxml2 may read the file of `@validateSchema` / `@validateDTD` (as in v3). */
  xmlExternalEntity?: boolean;
  /** `@validateSchema` / `@validateDTD` give up on one validation after this many milliseconds (default 2000) and match. */
  xmlValidationTimeoutMs?: number;
}

/** The XML request body as `@validateSchema` / `@validateDTD` validate it. */
export interface XmlRequestBody {
  /** The body (latin1 string: one char = one byte). */
  readonly bytes: string;
  /** The XML processor parsed it without error. */
  readonly wellFormed: boolean;
}

export interface OperatorRunContext extends MacroScope {
  /**
   * Non-null when the rule has the `capture` action: the operator stores captures in [0..9]
   * (regex groups; for pm / contains / streq / within the matched text in [0]; for detectSQLi the
   * fingerprint). The engine copies them to TX:0-TX:9.
   */
  captures: string[] | null;
  /** `@geoLookup` fills the GEO collection through this. */
  setGeo(fields: ReadonlyMap<string, string>): void;
  /**
   * Writes a debug-log line in libmodsecurity v3's words at its level (e.g. `@validateSchema`'s libxml2 errors);
   * `message` is called only when the transaction's debug level reaches `level`.
   */
  debug?(level: number, message: () => string): void;
  /** The request body the XML processor parsed; undefined when it did not run. */
  xmlRequestBody?(): XmlRequestBody | undefined;
  /**
   * A regex match stopped at its limit (backtracking engine): the engine sets MSC_PCRE_ERROR,
   * MSC_PCRE_LIMITS_EXCEEDED and TX:MSC_PCRE_LIMITS_EXCEEDED to 1, as libmodsecurity does.
   */
  regexLimitExceeded?(): void;
  /** Milliseconds this transaction's regex matches have spent on the backtracking engine (see backtrackingBudgetMs). */
  backtrackingMs?: number;
}

export type OperatorMatcher = (input: string, run: OperatorRunContext) => boolean;
/** Only operators that do network I/O (`@rbl`) are asynchronous; they set `async: true`. */
export type AsyncOperatorMatcher = (input: string, run: OperatorRunContext) => boolean | Promise<boolean>;

/**
 * Where an operator matched in an input it matches: `[offset, length, offset, length, ...]`, the spans
 * ModSecurity v3 records with `logOffset` (the `o` parts of the error log's `[ref "o0,6v17,6t:trim"]`): for
 * `@rx` every group that took part in the match, for `@pm` the phrase found, for `@within` where the input
 * sits in the argument. Empty for operators v3 records nothing for (`@streq`, `@gt`, ...). The engine asks
 * only after a match, and only when the match is logged, traced or sanitised, so operators keep their fast
 * yes/no paths and the second look costs nothing on the values that do not match.
 */
export type MatchLocator = (input: string, run: OperatorRunContext) => readonly number[];

/** A matcher that can say where it matched (see MatchLocator). */
export type LocatingMatcher<M extends OperatorMatcher | AsyncOperatorMatcher = OperatorMatcher> = M & { readonly locate: MatchLocator };

/** Attaches `locate` to a matcher: `return withLocator((input) => ..., (input) => [at, length])`. */
export function withLocator<M extends OperatorMatcher | AsyncOperatorMatcher>(match: M, locate: MatchLocator): LocatingMatcher<M> {
  return Object.assign(match, { locate });
}

/** No span: a match the operator cannot place (or v3 records nothing for). */
export const NO_SPANS: readonly number[] = Object.freeze([]);

/** The spans of a match (see MatchLocator); empty when the matcher cannot say. Never throws. */
export function locateMatch(match: OperatorMatcher | AsyncOperatorMatcher, input: string, run: OperatorRunContext): readonly number[] {
  const locate = (match as Partial<LocatingMatcher<typeof match>>).locate;
  if (locate === undefined) return NO_SPANS;
  try {
    return locate(input, run);
  } catch {
    return NO_SPANS;
  }
}

export interface OperatorDefinition {
  /** Canonical name without `@`, as in the catalog, e.g. `pmFromFile`. */
  name: string;
  aliases?: readonly string[];
  async?: boolean;
  compile(argument: MacroString, ctx: OperatorCompileContext): OperatorMatcher | AsyncOperatorMatcher;
}

export function defineOperator(def: OperatorDefinition): OperatorDefinition {
  return def;
}
