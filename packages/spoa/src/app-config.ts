import * as path from 'node:path';
import { ConfigFileError, readConfigFileBytes } from '@rampart/engine';
import { crsConfig, locateCrs, CRS_PROFILES, type CrsProfile } from '@rampart/rules-crs4';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { collectionsConfig, type RedisCollectionsConfig } from './collections';
import { RulesLoadError, type RulesProblem } from './compile-rules';
import { DEFAULT_MAX_CACHED_TRANSACTIONS, DEFAULT_TRANSACTION_TTL_MS, type AppRules, type RulesConfig, type RulesSource } from './rules-config';

/** The name of the only application when the agent runs one rule set (`-f`, or the default CRS). */
export const DEFAULT_APP = 'default';

export interface SingleAppOptions {
  responseCheck?: boolean;
  transactionTtlMs?: number;
  maxCachedTransactions?: number;
  auditLogLayout?: 'v3' | 'v2';
}

/** A one-application configuration (`rampart spoa -f FILE`). */
export function singleAppRules(source: RulesSource, options: SingleAppOptions = {}): RulesConfig {
  return {
    apps: [{ name: DEFAULT_APP, source, responseCheck: options.responseCheck ?? false, transactionTtlMs: options.transactionTtlMs ?? DEFAULT_TRANSACTION_TTL_MS }],
    defaultApp: DEFAULT_APP,
    maxCachedTransactions: options.maxCachedTransactions ?? DEFAULT_MAX_CACHED_TRANSACTIONS,
    ...(options.auditLogLayout !== undefined ? { auditLogLayout: options.auditLogLayout } : {}),
  };
}

/**
 * The default rule set: the recommended engine settings and CRS at `profile` (PL1), from the CRS copy
 * `locateCrs` finds (`--crs`, $RAMPART_CRS_DIR, `../shared/crs4`, or the `rampart crs fetch` cache): any 3.x or
 * 4.x release, configured for its version, with plugins from `pluginsDir` (default: the tree's plugins/).
 * What the user should know about the copy (unverified, modified) goes to `onWarning`.
 */
export function crsSource(profile: CrsProfile = 'pl1', crsDir?: string, options: { pluginsDir?: string; onWarning?: (message: string) => void } = {}): RulesSource {
  const located = locateCrs(crsDir !== undefined ? { crsDir } : {});
  for (const w of located.warnings) options.onWarning?.(w);
  const c = crsConfig({ profile, crsDir: located.dir, ...(options.pluginsDir !== undefined ? { pluginsDir: options.pluginsDir } : {}) });
  const plugins = c.plugins !== undefined ? `, plugins ${c.plugins.dir}` : '';
  return { kind: 'directives', directives: c.directives, baseDir: c.baseDir, origin: `CRS ${located.version} ${profile} (${located.dir}, ${located.verification}${plugins})` };
}

/** Global settings of the YAML file that the command line may also give. */
export interface AgentFileSettings {
  bind?: { host: string; port: number };
  logLevel?: string;
  metricsAddr?: string;
}

export interface LoadedAppConfig {
  rules: RulesConfig;
  settings: AgentFileSettings;
}

const GLOBAL_KEYS = new Set(['bind', 'log_level', 'metrics_addr', 'default_application', 'max_cached_transactions', 'audit_log_layout', 'collections', 'collections_unavailable', 'applications']);
const APP_KEYS = new Set(['name', 'directives', 'files', 'crs', 'response_check', 'transaction_ttl_ms']);
const LOG_LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

/** `host:port`, `[v6]:port` or `:port` (all interfaces are never implied: `:port` means 127.0.0.1). */
export function parseHostPort(text: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  return { host: m[1] ?? (m[2] !== undefined && m[2] !== '' ? m[2] : '127.0.0.1'), port };
}

/**
 * Reads a coraza-spoa style YAML file: several applications, each with its own SecLang (`directives`
 * text, `files`, or a `crs` profile), selected by the `app` argument of coraza-req/coraza-res. Strict:
 * unknown keys and wrong types are errors; every problem is reported (RulesLoadError) with file:line:col.
 *
 * ```yaml
 * bind: 127.0.0.1:12345
 * collections: 'redis://redis.internal:6379/0?prefix=shop:' # optional: IP, SESSION... in Redis (--collections)
 * collections_unavailable: skip                              # or deny (--collections-unavailable)
 * default_application: shop
 * applications:
 *   - name: shop
 *     crs: pl1                    # recommended engine settings + CRS 4 at PL1
 *     response_check: true
 *     transaction_ttl_ms: 10000
 *   - name: api
 *     files: [/etc/rampart/api.conf]
 *   - name: legacy
 *     directives: |
 *       SecRuleEngine On
 *       SecRule ARGS "@rx attack" "id:1,phase:2,deny"
 * ```
 */
export function loadAppConfig(file: string, options: { crsDir?: string; maxFileBytes?: number } = {}): LoadedAppConfig {
  const problems: RulesProblem[] = [];
  let text: string;
  try {
    text = readConfigFileBytes(file, options.maxFileBytes).toString('utf8');
  } catch (e) {
    const reason = e instanceof ConfigFileError ? e.message : ((e as NodeJS.ErrnoException).code ?? String(e));
    throw new RulesLoadError([{ app: '-', file, message: `cannot read: ${reason}` }]);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (node: Node | null | undefined, app: string, message: string): void => {
    const offset = node?.range?.[0];
    const pos = offset !== undefined ? lines.linePos(offset) : undefined;
    problems.push({ app, file, message, ...(pos ? { line: pos.line, column: pos.col } : {}) });
  };
  for (const e of doc.errors) {
    const pos = lines.linePos(e.pos[0]);
    problems.push({ app: '-', file, line: pos.line, column: pos.col, message: e.message });
  }
  if (problems.length > 0) throw new RulesLoadError(problems);
  const root = doc.contents;
  if (!isMap(root)) throw new RulesLoadError([{ app: '-', file, line: 1, column: 1, message: 'the file must be a mapping with an `applications` list' }]);
  const baseDir = path.dirname(path.resolve(file));
  const settings: AgentFileSettings = {};
  const apps: AppRules[] = [];
  let defaultApp: string | undefined;
  let maxCached = DEFAULT_MAX_CACHED_TRANSACTIONS;

  const str = (m: YAMLMap, key: string, app: string): string | undefined => {
    const n = m.get(key, true) as Node | undefined;
    if (n === undefined) return undefined;
    if (isScalar(n) && typeof n.value === 'string') return n.value;
    at(n, app, `\`${key}\` must be a string`);
    return undefined;
  };
  const num = (m: YAMLMap, key: string, app: string, min: number): number | undefined => {
    const n = m.get(key, true) as Node | undefined;
    if (n === undefined) return undefined;
    if (isScalar(n) && typeof n.value === 'number' && Number.isInteger(n.value) && n.value >= min) return n.value;
    at(n, app, `\`${key}\` must be an integer >= ${min}`);
    return undefined;
  };

  for (const item of root.items) {
    const key = isScalar(item.key) ? String(item.key.value) : '';
    if (!GLOBAL_KEYS.has(key)) at(item.key as Node, '-', `unknown key \`${key}\` (known: ${[...GLOBAL_KEYS].join(', ')})`);
  }
  const bind = str(root, 'bind', '-');
  if (bind !== undefined) {
    const hp = parseHostPort(bind);
    if (hp) settings.bind = hp;
    else at(root.get('bind', true) as Node, '-', '`bind` must be host:port');
  }
  const level = str(root, 'log_level', '-');
  if (level !== undefined) {
    if (LOG_LEVELS.has(level)) settings.logLevel = level;
    else at(root.get('log_level', true) as Node, '-', `\`log_level\` must be one of ${[...LOG_LEVELS].join(', ')}`);
  }
  const metrics = str(root, 'metrics_addr', '-');
  if (metrics !== undefined) settings.metricsAddr = metrics;
  defaultApp = str(root, 'default_application', '-');
  maxCached = num(root, 'max_cached_transactions', '-', 1) ?? maxCached;
  const layout = str(root, 'audit_log_layout', '-');
  if (layout !== undefined && layout !== 'v3' && layout !== 'v2') at(root.get('audit_log_layout', true) as Node, '-', '`audit_log_layout` must be v3 or v2');
  // `--collections` / `--collections-unavailable`, for every application (the command line wins).
  let redis: RedisCollectionsConfig | undefined;
  const collectionsUrl = str(root, 'collections', '-');
  const collectionsPolicy = str(root, 'collections_unavailable', '-');
  if (collectionsPolicy !== undefined && collectionsPolicy !== 'skip' && collectionsPolicy !== 'deny') at(root.get('collections_unavailable', true) as Node, '-', '`collections_unavailable` must be skip or deny');
  else if (collectionsPolicy !== undefined && collectionsUrl === undefined) at(root.get('collections_unavailable', true) as Node, '-', '`collections_unavailable` needs `collections` (a redis:// URL)');
  if (collectionsUrl !== undefined) {
    try {
      redis = collectionsConfig(collectionsUrl, collectionsPolicy === 'deny' ? 'deny' : 'skip');
    } catch (e) {
      at(root.get('collections', true) as Node, '-', e instanceof Error ? e.message : String(e));
    }
  }

  const list = root.get('applications', true) as Node | undefined;
  if (!isSeq(list) || list.items.length === 0) {
    at(list ?? root, '-', '`applications` must be a non-empty list');
  } else {
    list.items.forEach((node, i) => {
      if (!isMap(node)) {
        at(node as Node, `#${i + 1}`, 'an application must be a mapping');
        return;
      }
      const name = str(node, 'name', `#${i + 1}`);
      const label = name ?? `#${i + 1}`;
      if (name === undefined || name === '') at(node, label, 'an application needs a `name`');
      for (const item of node.items) {
        const key = isScalar(item.key) ? String(item.key.value) : '';
        if (!APP_KEYS.has(key)) at(item.key as Node, label, `unknown key \`${key}\` (known: ${[...APP_KEYS].join(', ')})`);
      }
      const sources: RulesSource[] = [];
      const directives = str(node, 'directives', label);
      if (directives !== undefined) sources.push({ kind: 'directives', directives, baseDir, origin: `${file} (application ${label})` });
      const files = node.get('files', true) as Node | undefined;
      if (files !== undefined) {
        if (isSeq(files) && files.items.every((f) => isScalar(f) && typeof f.value === 'string')) {
          sources.push({ kind: 'files', files: files.items.map((f) => path.resolve(baseDir, String((f as { value: string }).value))) });
        } else at(files, label, '`files` must be a list of paths');
      }
      const crs = str(node, 'crs', label);
      if (crs !== undefined) {
        if ((CRS_PROFILES as readonly string[]).includes(crs) && crs !== 'crs-ci') {
          try {
            sources.push(crsSource(crs as CrsProfile, options.crsDir));
          } catch (e) {
            at(node.get('crs', true) as Node, label, e instanceof Error ? e.message : String(e));
          }
        } else at(node.get('crs', true) as Node, label, '`crs` must be pl1, pl2, pl3 or pl4');
      }
      if (sources.length !== 1) {
        if (sources.length > 1 || (directives === undefined && files === undefined && crs === undefined)) at(node, label, 'an application needs exactly one of `directives`, `files`, `crs`');
        return;
      }
      const rc = node.get('response_check', true) as Node | undefined;
      let responseCheck = false;
      if (rc !== undefined) {
        if (isScalar(rc) && typeof rc.value === 'boolean') responseCheck = rc.value;
        else at(rc, label, '`response_check` must be true or false');
      }
      if (name !== undefined && name !== '') {
        apps.push({ name, source: sources[0]!, responseCheck, transactionTtlMs: num(node, 'transaction_ttl_ms', label, 1) ?? DEFAULT_TRANSACTION_TTL_MS });
      }
    });
  }
  const chosen = defaultApp ?? (apps.length === 1 ? apps[0]!.name : undefined);
  if (chosen === undefined && apps.length > 1) at(root, '-', '`default_application` is required with several applications');
  else if (chosen !== undefined && !apps.some((a) => a.name === chosen)) at(root.get('default_application', true) as Node, '-', `default_application \`${chosen}\` is not one of the applications`);
  const names = new Set<string>();
  for (const a of apps) {
    if (names.has(a.name)) problems.push({ app: a.name, file, message: 'duplicate application name' });
    names.add(a.name);
  }
  if (problems.length > 0) throw new RulesLoadError(problems);
  const auditLogLayout = layout === 'v2' ? { auditLogLayout: 'v2' as const } : layout === 'v3' ? { auditLogLayout: 'v3' as const } : {};
  return {
    rules: { apps, defaultApp: chosen!, maxCachedTransactions: maxCached, ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}), ...auditLogLayout, ...(redis !== undefined ? { redis } : {}) },
    settings,
  };
}
