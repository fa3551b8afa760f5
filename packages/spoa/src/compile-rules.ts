import { createWaf, MemoryCollectionStore, type AuditResult, type CompileMemo, type CollectionStore, type RecordOp, type Transaction, type Waf } from '@rampart/engine';
import { createCollectionStore } from '@rampart/collections-lmdb';
import { AgentCollections } from './collections';
import type { AppRules, RulesConfig } from './rules-config';

/** One configuration problem, with the application it belongs to and its location when known. */
export interface RulesProblem {
  app: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

export function formatProblem(p: RulesProblem): string {
  const where = p.file !== undefined ? `${p.file}:${p.line ?? 0}:${p.column ?? 0}: ` : '';
  return `[${p.app}] ${where}${p.message}`;
}

/** The rules could not be loaded: every problem of every application, each with its location. */
export class RulesLoadError extends Error {
  readonly code = 'rules-load';
  constructor(readonly problems: readonly RulesProblem[]) {
    super(`rules failed to load, ${problems.length} error(s):\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.name = 'RulesLoadError';
  }
}

/**
 * Forwards to the store chosen once the configuration is compiled: SecDataDir is only known then, and the
 * WAF takes its store at construction.
 */
class DeferredStore implements CollectionStore {
  target: CollectionStore = new MemoryCollectionStore();
  read(collection: string, key: string, now: number): ReturnType<CollectionStore['read']> {
    return this.target.read(collection, key, now);
  }
  apply(collection: string, key: string, ops: readonly RecordOp[], now: number, timeout: number): ReturnType<CollectionStore['apply']> {
    return this.target.apply(collection, key, ops, now, timeout);
  }
}

/** Where compiled rules report what goes wrong while they run (the worker forwards it to the main thread). */
export interface CompileHooks {
  /** An audit or debug log write failure (once per cause, with the path and errno). */
  onLogError?: (message: string) => void;
  /** A persistent collection store problem (throttled by the store: at most one per code per second). */
  onStoreError?: (code: string, message: string) => void;
  /**
   * Structures built by an earlier compile of the same content (another worker's, a previous load's, a memo
   * file's), taken instead of built again; what this compile builds is remembered in it.
   */
  memo?: CompileMemo;
}

export interface CompiledApp {
  rules: AppRules;
  waf: Waf;
  /** What became of the transaction's audit record, once its logging phase ran (undefined: no audit log). */
  auditResult(tx: Transaction): AuditResult | undefined;
  /** Closes the LMDB environment, when SecDataDir opened one. */
  close(): Promise<void>;
}

export interface CompiledRules {
  apps: Map<string, CompiledApp>;
  defaultApp: CompiledApp;
  config: RulesConfig;
  /** Rules over all applications. */
  ruleCount: number;
  warnings: RulesProblem[];
  compileMs: number;
  /** The Redis collections every application uses (`--collections`), when configured. */
  collections?: AgentCollections;
}

interface LoadErrorShape {
  problems: ReadonlyArray<{ message: string; loc?: { file: string; line: number; column: number } }>;
}

function isLoadError(e: unknown): e is LoadErrorShape {
  // By shape, not instanceof: the engine may be loaded from another copy (dist vs sources).
  return typeof e === 'object' && e !== null && Array.isArray((e as { problems?: unknown }).problems);
}

function compileApp(app: AppRules, config: RulesConfig, hooks: CompileHooks, problems: RulesProblem[], warnings: RulesProblem[], shared: AgentCollections | undefined): CompiledApp | undefined {
  const store = new DeferredStore();
  const onWarning = (w: { message: string; loc?: { file: string; line: number; column: number } }): void => {
    warnings.push({ app: app.name, message: w.message, ...(w.loc ? { file: w.loc.file, line: w.loc.line, column: w.loc.column } : {}) });
  };
  const common = {
    collectionStore: store,
    onWarning,
    ...(config.maxFileBytes !== undefined ? { maxFileBytes: config.maxFileBytes } : {}),
    ...(config.auditLogLayout !== undefined ? { auditLogLayout: config.auditLogLayout } : {}),
    ...(hooks.onLogError ? { onLogError: hooks.onLogError } : {}),
    ...(config.strict === true ? { strict: true } : {}),
    ...(hooks.memo ? { compileMemo: hooks.memo } : {}),
  };
  let waf: Waf;
  try {
    waf =
      app.source.kind === 'files'
        ? createWaf({ files: app.source.files, ...common })
        : createWaf({ directives: app.source.directives, baseDir: app.source.baseDir, ...common });
  } catch (e) {
    if (isLoadError(e)) {
      for (const p of e.problems) {
        problems.push({ app: app.name, message: p.message, ...(p.loc ? { file: p.loc.file, line: p.loc.line, column: p.loc.column } : {}) });
      }
    } else {
      problems.push({ app: app.name, message: e instanceof Error ? e.message : String(e) });
    }
    return undefined;
  }
  let close = (): Promise<void> => Promise.resolve();
  const dataDir = waf.settings.dataDir;
  if (shared) {
    // --collections wins over SecDataDir: the counters are the fleet's, not this host's.
    store.target = shared.store;
  } else if (dataDir !== undefined && dataDir !== '') {
    try {
      const lmdb = createCollectionStore(dataDir, {
        ...(hooks.onStoreError ? { onError: (e: { code: string; message: string }) => hooks.onStoreError!(e.code, e.message) } : {}),
        ...(config.collections?.onCorrupt !== undefined ? { onCorrupt: config.collections.onCorrupt } : {}),
        ...(config.collections?.fileMode !== undefined ? { fileMode: config.collections.fileMode } : {}),
      });
      store.target = lmdb;
      const closable = lmdb as { close?: () => Promise<void> };
      if (typeof closable.close === 'function') close = () => closable.close!.call(lmdb);
    } catch (e) {
      problems.push({ app: app.name, message: `SecDataDir ${dataDir}: cannot open the collection store: ${e instanceof Error ? e.message : String(e)}` });
      return undefined;
    }
  }
  // Remember what became of each record, for --audit-fail closed and the health report.
  const results = new WeakMap<Transaction, AuditResult>();
  const log = waf.auditLog;
  if (log !== undefined) {
    waf.auditLog = (tx) => {
      const r = log(tx) ?? 'written';
      results.set(tx, r);
      return r;
    };
  }
  return { rules: app, waf, close, auditResult: (tx) => results.get(tx) };
}

/**
 * Compiles every application. Synchronous and CPU-bound (~0.5 s for CRS 4): run it off the thread that
 * answers HAProxy. Throws RulesLoadError listing every problem of every application.
 */
export function compileRules(config: RulesConfig, hooks: CompileHooks = {}): CompiledRules {
  const started = performance.now();
  const problems: RulesProblem[] = [];
  const warnings: RulesProblem[] = [];
  const apps = new Map<string, CompiledApp>();
  if (config.apps.length === 0) problems.push({ app: '-', message: 'no application configured' });
  let collections: AgentCollections | undefined;
  if (config.redis) {
    try {
      collections = new AgentCollections(config.redis, hooks.onStoreError ?? (() => undefined));
    } catch (e) {
      problems.push({ app: '-', message: `--collections: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  for (const app of config.apps) {
    if (apps.has(app.name)) {
      problems.push({ app: app.name, message: 'duplicate application name' });
      continue;
    }
    const compiled = compileApp(app, config, hooks, problems, warnings, collections);
    if (compiled) apps.set(app.name, compiled);
  }
  const defaultApp = apps.get(config.defaultApp);
  if (problems.length === 0 && defaultApp === undefined) problems.push({ app: config.defaultApp, message: 'default application is not defined' });
  if (problems.length > 0 || defaultApp === undefined) {
    for (const a of apps.values()) void a.close();
    void collections?.close();
    throw new RulesLoadError(problems);
  }
  let ruleCount = 0;
  for (const a of apps.values()) ruleCount += a.waf.ruleCount;
  return { apps, defaultApp, config, ruleCount, warnings, compileMs: performance.now() - started, ...(collections ? { collections } : {}) };
}
