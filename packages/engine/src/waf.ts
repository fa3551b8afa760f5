import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { parse, parseFiles, type ConfigAst, type Diagnostic } from '@rampart/seclang';
import { compileConfig, type CompileProblem, type RemovedRule } from './compile';
import type { CompileMemo } from './compile-memo/compile-memo';
import { MemoryCollectionStore, type CollectionStore } from './collections/store';
import { createAuditLogger, createDebugLogger, type AuditResult, type DebugLogger } from './audit';
import { ConfigLoadError } from './errors';
import type { CompiledRule, DisruptiveKind } from './rules/compiled-rule';
import { defaultSettings, type WafSettings } from './settings';
import { Transaction } from './transaction';
import type { TraceSink } from './trace/events';
import type { TransformationContext } from './transformations/types';
import { findVariableDefinition, type VariableDefinition } from './variables/table';

export type { EngineMode, WafSettings } from './settings';

export interface WafOptions {
  /** SecLang text. Relative Includes resolve against `baseDir` (default: the current directory). */
  directives?: string;
  /**
   * The name `directives` goes by in locations (warnings, errors, the error log's `[file]`, the debug log's
   * reference to a SecAction), as given: libmodsecurity v3's `load(text, ref)`. Default `<baseDir>/<directives>`.
   */
  directivesName?: string;
  /** SecLang files, loaded in order before `directives`. */
  files?: readonly string[];
  baseDir?: string;
  /** Receives every error-log line (ModSecurity's native format). Default: discard. */
  errorLog?: (line: string, tx: Transaction) => void;
  /** Receives load-time warnings (e.g. a regex that needs the backtracking fallback). Default: stderr. */
  onWarning?: (warning: CompileProblem) => void;
  /** Turns load-time warnings of the regex fallback into errors. */
  strictRegex?: boolean;
  /**
   * Refuses what libmodsecurity v3 loads but Rampart loads only with a warning: a `chain` on the last rule, an
   * action list left unterminated at the end of a line, a SecAction without id, an id or phase on a chained
   * rule, a SecDefaultAction without phase (warnings with a `code`: see `lenientCodes`). Off by default, so
   * that a configuration libmodsecurity runs also runs here.
   */
  strict?: boolean;
  /** Allows @inspectFile, which runs external programs. Off by default. */
  allowInspectFile?: boolean;
  /** For `@rbl`: resolves a host name to IPv4 addresses (default: the system resolver). */
  dnsResolve?: (hostname: string) => Promise<string[]>;
  /** For `@rbl`: milliseconds before a DNS lookup counts as "not listed" (default 500). */
  rblTimeoutMs?: number;
  /**
   * Time limit of one match on the backtracking regex engine, which runs the patterns RE2 cannot compile
   * (default 100 ms). A match past it answers "no match" and sets MSC_PCRE_LIMITS_EXCEEDED.
   */
  backtrackingRegexLimitMs?: number;
  /**
   * Time all of a transaction's `@rx`/`@rxGlobal` matches may spend on the backtracking regex engine
   * (default 500 ms). Past it, further matches on that engine answer "no match" at once and set
   * MSC_PCRE_LIMITS_EXCEEDED, so that a request of many crafted values costs the budget, not the per-match
   * limit once per value.
   */
  backtrackingRegexBudgetMs?: number;
  /**
   * Time one `@validateSchema` / `@validateDTD` validation may take (default 2000 ms); past it the libxml2 worker
   * is restarted and the operator matches (the body could not be validated).
   */
  xmlValidationTimeoutMs?: number;
  /** Answer `@rx` rules through shared RE2 sets (default true); false runs every pattern on its own. */
  regexSets?: boolean;
  /** Skip `@rx` patterns whose required literal text a value lacks (default true); false runs every pattern. */
  regexPrefilter?: boolean;
  /**
   * Persistent collections (IP, SESSION, USER, GLOBAL, RESOURCE). A function receives the loaded settings, so a
   * store can follow SecDataDir (e.g. `(s) => createCollectionStore(s.dataDir)` from @rampart/collections-lmdb).
   * Default: in memory, per process — lost on restart and not shared between processes.
   */
  collectionStore?: CollectionStore | ((settings: Readonly<WafSettings>) => CollectionStore);
  /** Audit log: the connector's name for JSON `producer.connector` (and section H `Apache-Handler:` of v2's layout). */
  connector?: { handler?: string; name?: string };
  /**
   * The Native audit log's layout: `v3` (default) as libmodsecurity v3 writes it, or `v2` as ModSecurity v2
   * writes it, for sites migrating from v2 whose tools parse that layout.
   */
  auditLogLayout?: 'v3' | 'v2';
  /** Audit and debug log write failures (reported once per outage). Default: stderr. */
  onLogError?: (message: string) => void;
  /** Initial ENV collection. */
  environment?: Readonly<Record<string, string>>;
  /**
   * Largest file the configuration may read: Includes, `@pmFromFile` / `@ipMatchFromFile` lists,
   * SecUnicodeMapFile, SecGeoLookupDb (default 128 MiB). Only regular files are read at all.
   */
  maxFileBytes?: number;
  /**
   * Remembers the costly structures a load builds (the regex prefilter, phrase automata) by the content they
   * were built from, so that a later load of the same content reuses them: another thread (a shared memo hands
   * over its arrays without copying), a reload, or a later process (readCompileMemo / writeCompileMemo).
   */
  compileMemo?: CompileMemo;
}

export interface NewTransactionOptions {
  /** The transaction's unique id (HAProxy's unique-id when there is one); generated otherwise. */
  id?: string;
  /** The transaction clock, for tests. */
  now?: Date;
  /** Receives the transaction's evaluation trace instead of the debug log (trace/events.ts; `rampart explain`). */
  trace?: TraceSink;
}

/**
 * A compiled, immutable rule set plus its settings. Create once, then run many transactions through it.
 *
 * @example
 * const waf = createWaf({ directives: 'SecRuleEngine On\nSecRule ARGS "@rx attack" "id:1,phase:2,deny"' });
 * const tx = waf.newTransaction();
 */
export class Waf {
  readonly settings: Readonly<WafSettings>;
  readonly warnings: readonly CompileProblem[];
  readonly transformationContext: TransformationContext;
  readonly environment: ReadonlyMap<string, string>;
  readonly collectionStore: CollectionStore;
  readonly errorLog: (line: string, tx: Transaction) => void;
  /** Writes a transaction's audit record when it is relevant; set when SecAuditLog is configured. */
  auditLog: ((tx: Transaction) => AuditResult | void) | undefined;
  /** SecDebugLog, when configured. */
  debugLog: DebugLogger | undefined;
  /** @internal Per phase, the rules SecRuleRemove* directives removed (set by createWaf; the trace names them). */
  removedRules: readonly (readonly RemovedRule[])[] = [];
  private readonly closers: Array<() => void> = [];
  private readonly phases: CompiledRule[][];
  private readonly rulesById: ReadonlyMap<number, CompiledRule>;

  /** @internal use createWaf */
  constructor(settings: WafSettings, phases: CompiledRule[][], byId: Map<number, CompiledRule>, warnings: CompileProblem[], options: WafOptions) {
    this.settings = Object.freeze(settings);
    this.phases = phases;
    this.rulesById = byId;
    this.warnings = warnings;
    this.transformationContext = settings.unicodeMap ? { unicodeMap: settings.unicodeMap } : {};
    this.environment = new Map(Object.entries(options.environment ?? {}));
    const store = options.collectionStore;
    this.collectionStore = typeof store === 'function' ? store(this.settings) : (store ?? new MemoryCollectionStore());
    this.errorLog = options.errorLog ?? (() => undefined);
    this.auditLog = undefined;
    this.debugLog = undefined;
  }

  /** @internal registers what close() releases */
  onClose(fn: () => void): void {
    this.closers.push(fn);
  }

  /** Closes the audit and debug logs and a store that owns resources (LMDB). Transactions must have ended. */
  close(): void {
    for (const fn of this.closers.splice(0)) {
      try {
        fn();
      } catch {
        // Closing is best effort: one failure must not keep the others open.
      }
    }
    const store = this.collectionStore as CollectionStore & { close?: () => void };
    if (typeof store.close === 'function') store.close();
  }

  newTransaction(options: NewTransactionOptions = {}): Transaction {
    const tx = new Transaction(this, options.id ?? crypto.randomUUID(), options.now);
    if (options.trace !== undefined) tx.trace = options.trace;
    return tx;
  }

  rulesForPhase(phase: number): readonly CompiledRule[] {
    return this.phases[phase] ?? [];
  }

  rule(id: number): CompiledRule | undefined {
    return this.rulesById.get(id);
  }

  get ruleCount(): number {
    return this.rulesById.size;
  }

  variables(name: string): VariableDefinition | undefined {
    return findVariableDefinition(name);
  }

  /** The disruptive action a matched chain head takes: `block` means its phase's SecDefaultAction's. */
  effectiveDisruptive(rule: CompiledRule): DisruptiveKind | undefined {
    if (rule.disruptive !== 'block') return rule.disruptive;
    return rule.blockAs;
  }

  effectiveStatus(rule: CompiledRule, action: DisruptiveKind): number {
    // A redirect keeps `status` only when it is a redirect status (301-307), else 302, as ModSecurity does.
    if (action === 'redirect') return rule.status !== undefined && rule.status >= 301 && rule.status <= 307 ? rule.status : 302;
    return rule.status ?? 403;
  }
}

function formatDiagnostic(d: Diagnostic): CompileProblem {
  return { message: `${d.message} [${d.code}]`, loc: d.loc };
}

function problemKey(message: string, loc: { file: string; line: number; column: number } | undefined): string {
  return loc ? `${loc.file}:${loc.line}:${loc.column}: ${message}` : message;
}

/** A problem libmodsecurity v3 loads: a warning that says so and what it risks (an error in strict mode). */
function lenientProblem(p: CompileProblem & { code: string }, risk: string | undefined, strict: boolean): CompileProblem {
  const tail = strict ? 'refused in strict mode' : `loaded as libmodsecurity v3 loads it${risk !== undefined ? `: ${risk}` : ''}`;
  return { message: `${p.message} [${p.code}] (${tail})`, code: p.code, ...(p.loc ? { loc: p.loc } : {}) };
}

/**
 * The codes of the problems that libmodsecurity v3 loads and Rampart loads with a warning unless `strict`:
 * parser diagnostics marked `modsecurityLoads` (`dangling-chain`, `unterminated-quote` of an action list at
 * the end of a line) and the compiler's own. A linter reports them as errors.
 */
export const lenientCodes: readonly string[] = [
  'dangling-chain',
  'unterminated-quote',
  'secaction-without-id',
  'chained-rule-id',
  'chained-rule-phase',
  'default-action-without-phase',
];

/**
 * Parses and compiles a configuration. Throws ConfigLoadError listing every problem with its location
 * (syntax, unknown names, bad arguments, unsupported features) — never only the first.
 */
export function createWaf(options: WafOptions): Waf {
  const baseDir = options.baseDir ?? process.cwd();
  const asts: ConfigAst[] = [];
  const diagnostics: Diagnostic[] = [];
  if (options.files && options.files.length > 0) {
    const r = parseFiles(
      options.files.map((f) => path.resolve(baseDir, f)),
      options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {},
    );
    asts.push(r.ast);
    diagnostics.push(...r.diagnostics);
  }
  if (options.directives !== undefined) {
    const r = parse(options.directives, { file: options.directivesName ?? path.join(baseDir, '<directives>'), baseDir, followIncludes: true, ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}) });
    asts.push(r.ast);
    diagnostics.push(...r.diagnostics);
  }
  const ast: ConfigAst = { directives: asts.flatMap((a) => a.directives), files: asts.flatMap((a) => a.files) };
  const strict = options.strict === true;
  const parseErrors = diagnostics.filter((d) => d.severity === 'error' && d.modsecurityLoads === undefined).map(formatDiagnostic);
  const parseLenient = diagnostics
    .filter((d) => d.severity === 'error' && d.modsecurityLoads !== undefined)
    .map((d) => lenientProblem({ message: d.message, code: d.code, loc: d.loc }, d.modsecurityLoads, strict));
  const settings = defaultSettings();
  const compiled = compileConfig(ast, settings, {
    baseDir,
    allowBacktrackingRegex: options.strictRegex !== true,
    allowInspectFile: options.allowInspectFile === true,
    ...(options.dnsResolve ? { dnsResolve: options.dnsResolve } : {}),
    ...(options.rblTimeoutMs !== undefined ? { rblTimeoutMs: options.rblTimeoutMs } : {}),
    ...(options.backtrackingRegexLimitMs !== undefined ? { backtrackingRegexLimitMs: options.backtrackingRegexLimitMs } : {}),
    ...(options.backtrackingRegexBudgetMs !== undefined ? { backtrackingRegexBudgetMs: options.backtrackingRegexBudgetMs } : {}),
    ...(options.xmlValidationTimeoutMs !== undefined ? { xmlValidationTimeoutMs: options.xmlValidationTimeoutMs } : {}),
    ...(options.regexSets !== undefined ? { regexSets: options.regexSets } : {}),
    ...(options.regexPrefilter !== undefined ? { regexPrefilter: options.regexPrefilter } : {}),
    ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
    ...(options.compileMemo !== undefined ? { memo: options.compileMemo } : {}),
  });
  const lenient = compiled.lenient.map((p) => lenientProblem(p as CompileProblem & { code: string }, undefined, strict));
  // The parser already names some problems the compiler meets again (an unknown operator): one line each.
  const parsedAt = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => problemKey(d.message, d.loc)));
  const compileErrors = compiled.errors.filter((e) => !parsedAt.has(problemKey(e.message, e.loc)));
  const errors = [...parseErrors, ...compileErrors, ...(strict ? [...parseLenient, ...lenient] : [])];
  if (errors.length > 0) throw new ConfigLoadError(errors);
  const warnings = [...diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic), ...parseLenient, ...lenient, ...compiled.warnings];
  const onWarning = options.onWarning ?? ((w: CompileProblem) => process.stderr.write(`rampart: warning: ${w.loc ? `${w.loc.file}:${w.loc.line}:${w.loc.column}: ` : ''}${w.message}\n`));
  let relevantStatusError: string | undefined;
  const logWarnings: CompileProblem[] = [];
  const debugLog = createDebugLogger(settings, options.onLogError ? { onError: options.onLogError } : {});
  let audit: ReturnType<typeof createAuditLogger>;
  try {
    audit = createAuditLogger(settings, {
      onWarning: (message) => logWarnings.push({ message }),
      ...(options.onLogError ? { onError: options.onLogError } : {}),
      ...(debugLog ? { debugLog } : {}),
      ...(options.connector?.handler !== undefined ? { handler: options.connector.handler } : {}),
      ...(options.connector?.name !== undefined ? { connector: options.connector.name } : {}),
      ...(options.auditLogLayout !== undefined ? { nativeLayout: options.auditLogLayout } : {}),
    });
  } catch (e) {
    relevantStatusError = (e as Error).message;
  }
  if (relevantStatusError !== undefined) {
    debugLog?.close();
    throw new ConfigLoadError([{ message: `audit log: ${relevantStatusError}` }]);
  }
  for (const w of [...warnings, ...logWarnings]) onWarning(w);
  const waf = new Waf(settings, compiled.phases, compiled.byId, [...warnings, ...logWarnings], options);
  if (audit) {
    waf.auditLog = audit.log;
    waf.onClose(() => audit!.close());
  }
  waf.removedRules = compiled.removed;
  if (debugLog) {
    waf.debugLog = debugLog;
    waf.onClose(() => debugLog.close());
  }
  return waf;
}
