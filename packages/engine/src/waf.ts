import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { parse, parseFiles, type ConfigAst, type Diagnostic } from '@rampart/seclang';
import { compileConfig, type CompileProblem } from './compile';
import { MemoryCollectionStore, type CollectionStore } from './collections/store';
import { ConfigLoadError } from './errors';
import type { CompiledRule, DisruptiveKind } from './rules/compiled-rule';
import { defaultSettings, type WafSettings } from './settings';
import { Transaction } from './transaction';
import type { TransformationContext } from './transformations/types';
import { findVariableDefinition, type VariableDefinition } from './variables/table';

export type { EngineMode, WafSettings } from './settings';

export interface WafOptions {
  /** SecLang text. Relative Includes resolve against `baseDir` (default: the current directory). */
  directives?: string;
  /** SecLang files, loaded in order before `directives`. */
  files?: readonly string[];
  baseDir?: string;
  /** Receives every error-log line (ModSecurity's native format). Default: discard. */
  errorLog?: (line: string, tx: Transaction) => void;
  /** Receives load-time warnings (e.g. a regex that needs the backtracking fallback). Default: stderr. */
  onWarning?: (warning: CompileProblem) => void;
  /** Turns load-time warnings of the regex fallback into errors. */
  strictRegex?: boolean;
  /** Allows @inspectFile, which runs external programs. Off by default. */
  allowInspectFile?: boolean;
  /** For `@rbl`: resolves a host name to IPv4 addresses (default: the system resolver). */
  dnsResolve?: (hostname: string) => Promise<string[]>;
  /** For `@rbl`: milliseconds before a DNS lookup counts as "not listed" (default 500). */
  rblTimeoutMs?: number;
  /** Persistent collections. Default: in memory, per process. */
  collectionStore?: CollectionStore;
  /** Initial ENV collection. */
  environment?: Readonly<Record<string, string>>;
}

export interface NewTransactionOptions {
  /** The transaction's unique id (HAProxy's unique-id when there is one); generated otherwise. */
  id?: string;
  /** The transaction clock, for tests. */
  now?: Date;
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
  /** Set by the audit-log writer when one is configured. */
  auditLog: ((tx: Transaction) => void) | undefined;
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
    this.collectionStore = options.collectionStore ?? new MemoryCollectionStore();
    this.errorLog = options.errorLog ?? (() => undefined);
    this.auditLog = undefined;
  }

  newTransaction(options: NewTransactionOptions = {}): Transaction {
    return new Transaction(this, options.id ?? crypto.randomUUID(), options.now);
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
    if (rule.status !== undefined) return rule.status;
    return action === 'redirect' ? 302 : 403;
  }
}

function formatDiagnostic(d: Diagnostic): { message: string; loc: Diagnostic['loc'] } {
  return { message: `${d.message} [${d.code}]`, loc: d.loc };
}

/**
 * Parses and compiles a configuration. Throws ConfigLoadError listing every problem with its location
 * (syntax, unknown names, bad arguments, unsupported features) — never only the first.
 */
export function createWaf(options: WafOptions): Waf {
  const baseDir = options.baseDir ?? process.cwd();
  const asts: ConfigAst[] = [];
  const diagnostics: Diagnostic[] = [];
  if (options.files && options.files.length > 0) {
    const r = parseFiles(options.files.map((f) => path.resolve(baseDir, f)));
    asts.push(r.ast);
    diagnostics.push(...r.diagnostics);
  }
  if (options.directives !== undefined) {
    const r = parse(options.directives, { file: path.join(baseDir, '<directives>'), baseDir, followIncludes: true });
    asts.push(r.ast);
    diagnostics.push(...r.diagnostics);
  }
  const ast: ConfigAst = { directives: asts.flatMap((a) => a.directives), files: asts.flatMap((a) => a.files) };
  const parseErrors = diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
  const settings = defaultSettings();
  const compiled = compileConfig(ast, settings, {
    allowBacktrackingRegex: options.strictRegex !== true,
    allowInspectFile: options.allowInspectFile === true,
    ...(options.dnsResolve ? { dnsResolve: options.dnsResolve } : {}),
    ...(options.rblTimeoutMs !== undefined ? { rblTimeoutMs: options.rblTimeoutMs } : {}),
  });
  const errors = [...parseErrors, ...compiled.errors];
  if (errors.length > 0) throw new ConfigLoadError(errors);
  const warnings = [...diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic), ...compiled.warnings];
  if (settings.auditEngine !== 'Off' && settings.auditLog !== undefined) {
    warnings.push({ message: `SecAuditEngine ${settings.auditEngine}: audit log writing is not implemented yet; no audit records will be written to ${settings.auditLog}` });
  }
  if (settings.debugLog !== undefined && settings.debugLogLevel > 0) {
    warnings.push({ message: `SecDebugLog: debug logging is not implemented yet; nothing will be written to ${settings.debugLog}` });
  }
  const onWarning = options.onWarning ?? ((w: CompileProblem) => process.stderr.write(`rampart: warning: ${w.loc ? `${w.loc.file}:${w.loc.line}:${w.loc.column}: ` : ''}${w.message}\n`));
  for (const w of warnings) onWarning(w);
  return new Waf(settings, compiled.phases, compiled.byId, warnings, options);
}
