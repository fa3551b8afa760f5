import type { RedisCollectionsConfig } from './collections';

/**
 * What to compile, in a form that can be posted to worker threads (plain data only). One application per
 * coraza-spoa `applications[]` entry; `-f FILE` or the default CRS make a single application.
 */
export type RulesSource =
  /** SecLang files loaded in order (`-f modsecurity.conf`); Includes resolve against each file's directory. */
  | { kind: 'files'; files: string[] }
  /** SecLang text (YAML `directives`, or the default CRS configuration); Includes resolve against `baseDir`. */
  | { kind: 'directives'; directives: string; baseDir: string; origin: string };

export interface AppRules {
  name: string;
  source: RulesSource;
  /** Keep request transactions for the response message (phases 3-4 on the same transaction). */
  responseCheck: boolean;
  /** How long a transaction waits for its response message before it is logged and dropped. */
  transactionTtlMs: number;
}

export interface RulesConfig {
  apps: AppRules[];
  /** Used when a message names no app, or one that does not exist. */
  defaultApp: string;
  /** Bound on transactions kept for response messages (per worker); the oldest is logged and dropped beyond. */
  maxCachedTransactions: number;
  /** Largest file the configuration may read (`--max-file-size`); default the engine's (128 MiB). */
  maxFileBytes?: number;
  /** Native audit records in ModSecurity v2's layout instead of libmodsecurity v3's (`--audit-log-layout v2`). */
  auditLogLayout?: 'v3' | 'v2';
  /**
   * `--audit-fail`: `open` (default, ModSecurity's behaviour) answers requests as usual while their audit
   * records cannot be written; `closed` answers a clean request whose record was lost with error 1007, so that
   * HAProxy's fail-closed rule refuses it (an interrupted one keeps its verdict).
   */
  auditFail?: 'open' | 'closed';
  /** Persistent collections (SecDataDir): what to do with a corrupt environment, and its files' mode. */
  collections?: { onCorrupt?: 'fail' | 'reset'; fileMode?: number };
  /** `--collections`: persistent collections in Redis for every application, instead of SecDataDir's LMDB. */
  redis?: RedisCollectionsConfig;
  /** `--strict`: refuse what libmodsecurity v3 loads but the engine loads only with a warning (WafOptions.strict). */
  strict?: boolean;
}

export const DEFAULT_TRANSACTION_TTL_MS = 10_000;
export const DEFAULT_MAX_CACHED_TRANSACTIONS = 10_000;

/** Where a source came from, for logs: the files, or the origin of the directives. */
export function describeSource(source: RulesSource): string {
  return source.kind === 'files' ? source.files.join(', ') : source.origin;
}
