import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { AppendFile, CompileMemo } from '@rampart/engine';
import { createSpopServer, type SpopAction, type SpopMessage, type SpopServer } from '@rampart/spop';
import { AgentErrorCode } from './agent-error';
import { CompileCache } from './compile-cache';
import { compileRules, RulesLoadError, type RulesProblem } from './compile-rules';
import { parseNotify } from './messages';
import { Metrics } from './metrics';
import { RuleLineLimiter, ruleIdOfLine } from './rule-line-limiter';
import { RulesRunner, type Inspector } from './rules-runner';
import type { RequestInput } from './inspection-input';
import type { RulesConfig } from './rules-config';
import { TransactionCache } from './transaction-cache';
import { errorVerdict, verdictActions, type Verdict } from './verdict';
import { WorkerPool } from './worker-pool';
import type { AgentEvent } from './worker-protocol';

export interface SpoaAgentOptions {
  rules: RulesConfig;
  /** Inspection worker threads (`-n`), each with its own compiled rules; 0 inspects on the main thread. Default 1. */
  workers?: number;
  /** Default 12345; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1 (spoa-modsecurity bound every interface; pass 0.0.0.0 or :: for that). */
  host?: string;
  /** `-m`: our max-frame-size; HAProxy's smaller value wins. Default 1 MiB. */
  maxFrameSize?: number;
  /** `-c`: capabilities to announce; only `pipelining` exists (the default). */
  capabilities?: string[];
  /** `-t`: artificial delay before each ACK, in ms (spoa-modsecurity's testing knob). Default 0. */
  processingDelayMs?: number;
  /** JSON logs. Default: pino to stdout at `info`. */
  logger?: Logger;
  /** ModSecurity error-log lines (one per call, no newline). Default: the JSON logger at `warn`. */
  errorLog?: (line: string) => void;
  /**
   * `--error-log FILE`: append ModSecurity error-log lines to FILE (created with `fileMode`); write failures are
   * logged once per cause, counted and shown by /healthz. Ignored when `errorLog` is given.
   */
  errorLogFile?: string;
  /** Mode of the log files the agent creates. Default 0o600. */
  fileMode?: number;
  /**
   * `--error-log-rate`: error-log lines (and JSON interruption lines) per rule per second; the rest are dropped,
   * counted, and summed up in one line per rule every 10 s. 0 = no limit. Default 50.
   */
  errorLogRate?: number;
  /**
   * `--trace-log FILE`: where traced transactions write their explain record (one JSON line each, format
   * rampart-explain/1, as `rampart explain --json`; created with `fileMode`). A transaction is traced when its
   * message has a true `trace` argument, or its request has the `traceHeader` header. Off by default: without
   * it, neither the argument nor any header traces anything.
   */
  traceLog?: string;
  /**
   * `--trace-header NAME`: a request with this header (any value but empty or `0`) is traced. Trusted as it
   * arrives: HAProxy must remove it from clients' requests and set it itself (README: Tracing on demand).
   */
  traceHeader?: string;
  /** `--trace-rate`: traced transactions per second at most; the others run untraced and are counted. Default 10. */
  traceRate?: number;
  /** `--metrics-addr`: serve Prometheus metrics at http://host:port/metrics. */
  metrics?: { host: string; port: number };
  /**
   * `--deadline`: a NOTIFY that waited longer than this (ms) for a worker is answered at once with error 1006
   * instead of being inspected: HAProxy gave up on it after `timeout processing` anyway, and inspecting it
   * would delay every request queued behind it. Set it to HAProxy's `timeout processing`. Default 1000;
   * 0 = never (workers only; with `workers: 0` inspection runs as NOTIFYs arrive).
   */
  queueDeadlineMs?: number;
  /** NOTIFYs in flight per SPOP connection before the socket is paused. Default 256. */
  maxInFlight?: number;
  /**
   * Called once the SPOP and metrics sockets listen and the error log is open, before the rules are read and
   * compiled: where `rampart spoa --user/--group` drops its privileges, so that the rules, the audit log and
   * SecDataDir are opened as the user they will be reopened as on a reload.
   */
  onListening?: () => void;
  /**
   * `--cache-dir`: where the compile memo file is kept (created, mode 0700, when missing), so that a start or
   * reload with rules compiled before takes the costly structures from it instead of building them. It must be
   * writable by the agent's user only: a file there decides which patterns rules skip.
   */
  cacheDir?: string;
}

export type AgentState = 'loading' | 'ready' | 'failed' | 'stopping' | 'stopped';

/** What /healthz answers (HTTP 200 when `status` is `ok`, 503 otherwise). */
export interface HealthReport {
  status: 'ok' | 'degraded' | AgentState;
  rules: number;
  connections: number;
  auditLog: LogHealth;
  errorLog: LogHealth;
  collections: { status: 'ok' | 'unavailable'; problems: number; lastError?: string };
}

export interface LogHealth {
  status: 'ok' | 'failing';
  /** Records (audit) or lines (error log) that could not be written since the start. */
  lost: number;
  lastError?: string;
  failingSince?: string;
}

/** How often the lines dropped by the per-rule rate limit are summed up. */
const DROPPED_SUMMARY_MS = 10_000;

export interface ReloadResult {
  ok: boolean;
  ruleCount: number;
  problems: RulesProblem[];
}

/** `--deadline` when not given: HAProxy's `timeout processing` is usually far below. */
const DEFAULT_DEADLINE_MS = 1000;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * The HAProxy SPOE agent: an SPOP server whose NOTIFYs are inspected by the WAF. `start` listens at once
 * and compiles the rules afterwards (in the workers, or on this thread with `workers: 0`), so HAProxy's
 * HELLO is answered while CRS loads; NOTIFYs that arrive before the rules are ready get `error` = 1001.
 *
 * @example
 *   const agent = await SpoaAgent.start({ rules: singleAppRules({ kind: 'files', files: ['/etc/modsecurity/modsecurity.conf'] }) });
 *   await agent.ready;                       // rejects with RulesLoadError listing every problem
 *   process.on('SIGHUP', () => void agent.reload());
 *   process.on('SIGTERM', () => void agent.drain());
 */
export class SpoaAgent {
  readonly metrics = new Metrics();
  readonly logger: Logger;
  readonly ready: Promise<void>;
  state: AgentState = 'loading';
  private current: Inspector | undefined;
  private rules: RulesConfig;
  private readonly workers: number;
  private readonly compileCache: CompileCache;
  private readonly server: SpopServer;
  private metricsServer: HttpServer | undefined;
  private readonly writeErrorLine: (line: string) => boolean;
  private readonly errorLogFile: AppendFile | undefined;
  private readonly errorLines: RuleLineLimiter;
  private readonly interruptionLines: RuleLineLimiter;
  private readonly droppedTimer: NodeJS.Timeout;
  private readonly traceFile: AppendFile | undefined;
  /** `--trace-header`, lower-cased as HAProxy passes header names. */
  private readonly traceHeader: string | undefined;
  private readonly traces: RuleLineLimiter;
  private readonly auditHealth: LogHealth = { status: 'ok', lost: 0 };
  private readonly errorLogHealth: LogHealth = { status: 'ok', lost: 0 };
  private collectionsHealth: HealthReport['collections'] = { status: 'ok', problems: 0 };
  private readonly owners: TransactionCache<Inspector> | undefined;
  private readonly retired = new Set<Inspector>();
  private reloading: Promise<ReloadResult> | undefined;
  /** Inspectors being compiled (start or reload): a stop terminates them rather than waiting for the compile. */
  private readonly building = new Set<Inspector>();
  private addressInfo: AddressInfo | undefined;
  private metricsAddressInfo: AddressInfo | undefined;

  private constructor(private readonly options: SpoaAgentOptions) {
    this.rules = options.rules;
    this.workers = options.workers ?? 1;
    if (!Number.isInteger(this.workers) || this.workers < 0) throw new RangeError(`workers must be an integer >= 0, got ${this.workers}`);
    this.logger = options.logger ?? pino({ name: 'rampart-spoa' });
    this.compileCache = new CompileCache(options.cacheDir, { info: (f, m) => this.logger.info(f, m), warn: (f, m) => this.logger.warn(f, m) });
    if (options.errorLog) {
      const sink = options.errorLog;
      this.writeErrorLine = (line) => {
        sink(line);
        return true;
      };
    } else if (options.errorLogFile !== undefined) {
      const file = new AppendFile(options.errorLogFile, options.fileMode ?? 0o600, (message) => this.logger.error({ log: 'error' }, `error log: ${message}`));
      this.errorLogFile = file;
      this.writeErrorLine = (line) => file.write(Buffer.from(`${line}\n`, 'latin1'));
    } else {
      this.writeErrorLine = (line) => {
        this.logger.warn({ errorLog: true }, line);
        return true;
      };
    }
    if (options.traceHeader !== undefined && options.traceLog === undefined) throw new RangeError('traceHeader needs traceLog');
    if (options.traceLog !== undefined) {
      this.traceFile = new AppendFile(options.traceLog, options.fileMode ?? 0o600, (message) => this.logger.error({ log: 'trace' }, `trace log: ${message}`));
    }
    this.traceHeader = options.traceHeader?.toLowerCase();
    this.traces = new RuleLineLimiter(options.traceRate ?? 10);
    this.errorLines = new RuleLineLimiter(options.errorLogRate ?? 50);
    this.interruptionLines = new RuleLineLimiter(options.errorLogRate ?? 50);
    this.droppedTimer = setInterval(() => this.summariseDropped(), DROPPED_SUMMARY_MS);
    this.droppedTimer.unref();
    // The owner of each transaction kept for its response: after a reload the response must reach the
    // rules (and the worker) that saw the request.
    this.owners = options.rules.apps.some((a) => a.responseCheck)
      ? new TransactionCache<Inspector>(options.rules.maxCachedTransactions * Math.max(1, this.workers), () => undefined)
      : undefined;
    const log = this.logger;
    this.server = createSpopServer({
      onMessages: (messages) => this.onMessages(messages),
      onHandlerError: (err) => {
        this.metrics.errors.inc({ kind: 'handler' });
        log.error({ err }, 'SPOE handler failed');
        return verdictActions(errorVerdict(AgentErrorCode.InspectionFailed, 'handler failed'), false);
      },
      ...(options.maxFrameSize !== undefined ? { maxFrameSize: options.maxFrameSize } : {}),
      ...(options.capabilities !== undefined ? { capabilities: options.capabilities } : {}),
      ...(options.maxInFlight !== undefined ? { maxInFlight: options.maxInFlight } : {}),
      logger: {
        debug: (m, f) => log.debug(f ?? {}, m),
        info: (m, f) => log.info(f ?? {}, m),
        warn: (m, f) => {
          this.metrics.errors.inc({ kind: 'spop' });
          log.warn(f ?? {}, m);
        },
        error: (m, f) => {
          this.metrics.errors.inc({ kind: 'spop' });
          log.error(f ?? {}, m);
        },
      },
    });
    this.ready = new Promise<void>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.ready.catch(() => undefined);
  }

  private resolveReady!: () => void;
  private rejectReady!: (e: unknown) => void;

  /** Listens (and serves metrics), then compiles the rules in the background: await `ready` for them. */
  static async start(options: SpoaAgentOptions): Promise<SpoaAgent> {
    const agent = new SpoaAgent(options);
    const addr = await agent.server.listen(options.port ?? 12345, options.host ?? '127.0.0.1');
    agent.addressInfo = addr as AddressInfo;
    if (options.metrics) await agent.startMetrics(options.metrics);
    try {
      options.onListening?.();
    } catch (e) {
      await agent.close();
      throw e;
    }
    agent.logger.info({ address: `${agent.addressInfo.address}:${agent.addressInfo.port}`, workers: agent.workers }, 'listening; loading rules');
    void agent.load();
    return agent;
  }

  get address(): AddressInfo {
    if (!this.addressInfo) throw new Error('agent is not listening');
    return this.addressInfo;
  }

  get metricsAddress(): AddressInfo | undefined {
    return this.metricsAddressInfo;
  }

  get ruleCount(): number {
    return this.current?.ruleCount ?? 0;
  }

  get connectionCount(): number {
    return this.server.connectionCount;
  }

  private async startMetrics(addr: { host: string; port: number }): Promise<void> {
    const server = createHttpServer((req, res) => {
      if (req.method === 'GET' && (req.url === '/metrics' || req.url?.startsWith('/metrics?'))) {
        this.metrics.connections.set(this.server.connectionCount);
        this.metrics.rules.set(this.ruleCount);
        this.metrics.healthy.set(this.health().status === 'ok' ? 1 : 0);
        this.metrics.render().then(
          (text) => {
            res.writeHead(200, { 'content-type': this.metrics.contentType });
            res.end(text);
          },
          (err: unknown) => {
            res.writeHead(500, { 'content-type': 'text/plain' });
            res.end(`metrics failed: ${err instanceof Error ? err.message : String(err)}\n`);
          },
        );
      } else if (req.method === 'GET' && (req.url === '/healthz' || req.url?.startsWith('/healthz?'))) {
        const report = this.health();
        res.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
        res.end(`${JSON.stringify(report)}\n`);
      } else if (req.method === 'POST' && req.url === '/reset-processing') {
        // For benchmarks: measure the processing-time quantiles of one load phase only.
        this.metrics.resetProcessing();
        res.writeHead(204);
        res.end();
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found: try /metrics or /healthz\n');
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(addr.port, addr.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.metricsServer = server;
    this.metricsAddressInfo = server.address() as AddressInfo;
  }

  /** Compiles `rules` into a new inspector (worker pool or in-thread runner); throws RulesLoadError. */
  private async build(rules: RulesConfig): Promise<{ inspector: Inspector; ruleCount: number; warnings: RulesProblem[]; compileMs: number }> {
    if (this.workers === 0) {
      // Let the event loop answer pending HELLOs before the (blocking) compile.
      await new Promise((r) => setImmediate(r));
      const memo = new CompileMemo({ entries: this.compileCache.seed() });
      const compiled = compileRules(rules, {
        memo,
        onLogError: (message) => this.onEvent({ kind: 'log-error', message }),
        onStoreError: (code, message) => this.onEvent({ kind: 'store-error', code, message }),
      });
      this.compileCache.loaded([...memo.usedEntries()], memo.built);
      const store = compiled.collections?.store;
      if (store) await store.whenConnected(store.connectTimeoutMs);
      const runner = new RulesRunner(compiled, { lateLog: (lines) => this.writeErrorLines(lines), lateTrace: (record) => this.writeTrace(record) });
      return { inspector: runner, ruleCount: compiled.ruleCount, warnings: compiled.warnings, compileMs: compiled.compileMs };
    }
    const pool: WorkerPool = new WorkerPool({
      rules,
      workers: this.workers,
      memo: this.compileCache.seed(),
      queueDeadlineMs: this.options.queueDeadlineMs ?? DEFAULT_DEADLINE_MS,
      lateLog: (lines) => this.writeErrorLines(lines),
      lateTrace: (record) => this.writeTrace(record),
      onEvent: (event) => this.onEvent(event),
      onWorkerError: (message) => {
        this.metrics.errors.inc({ kind: 'worker' });
        this.logger.error(message);
      },
    });
    this.building.add(pool);
    try {
      await pool.ready;
    } finally {
      this.building.delete(pool);
    }
    this.compileCache.loaded(pool.memoEntries, pool.memoBuilt);
    return { inspector: pool, ruleCount: pool.ruleCount, warnings: pool.warnings, compileMs: pool.compileMs };
  }

  private logWarnings(warnings: readonly RulesProblem[]): void {
    for (const w of warnings) this.logger.warn({ app: w.app, file: w.file, line: w.line, column: w.column }, `rules warning: ${w.message}`);
  }

  private async load(): Promise<void> {
    try {
      const built = await this.build(this.rules);
      if (this.state === 'stopping' || this.state === 'stopped') {
        await built.inspector.close();
        this.rejectReady(new Error('the agent stopped while the rules were loading'));
        return;
      }
      this.current = built.inspector;
      this.metrics.rules.set(built.ruleCount);
      this.logWarnings(built.warnings);
      this.state = 'ready';
      this.logger.info({ rules: built.ruleCount, apps: this.rules.apps.map((a) => a.name), compileMs: Math.round(built.compileMs), workers: this.workers }, `ready: ${built.ruleCount} rules loaded`);
      this.resolveReady();
    } catch (e) {
      if (this.state === 'stopping' || this.state === 'stopped') {
        this.rejectReady(new Error('the agent stopped while the rules were loading'));
        return;
      }
      this.state = 'failed';
      if (e instanceof RulesLoadError) {
        for (const p of e.problems) this.logger.error({ app: p.app, file: p.file, line: p.line, column: p.column }, `rules error: ${p.message}`);
      } else {
        this.logger.error({ err: e }, 'rules failed to load');
      }
      this.rejectReady(e);
    }
  }

  /**
   * Compiles the rules again (from `rules`, or the same sources re-read) while the current ones keep
   * serving; switches only when every worker compiled. A failure keeps the old rules and is logged with
   * every problem. Concurrent calls share one reload.
   */
  reload(rules?: RulesConfig): Promise<ReloadResult> {
    if (this.reloading) return this.reloading;
    this.reloading = this.doReload(rules ?? this.rules).finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  private async doReload(rules: RulesConfig): Promise<ReloadResult> {
    if (this.state !== 'ready') {
      return { ok: false, ruleCount: this.ruleCount, problems: [{ app: '-', message: `cannot reload while ${this.state}` }] };
    }
    this.logger.info('reloading rules');
    const started = performance.now();
    let built: Awaited<ReturnType<SpoaAgent['build']>>;
    try {
      built = await this.build(rules);
    } catch (e) {
      const problems = e instanceof RulesLoadError ? [...e.problems] : [{ app: '-', message: e instanceof Error ? e.message : String(e) }];
      this.metrics.reloads.inc({ result: 'failed' });
      for (const p of problems) this.logger.error({ app: p.app, file: p.file, line: p.line, column: p.column }, `reload failed, keeping the old rules: ${p.message}`);
      return { ok: false, ruleCount: this.ruleCount, problems };
    }
    if (this.state !== 'ready') {
      await built.inspector.close();
      return { ok: false, ruleCount: this.ruleCount, problems: [{ app: '-', message: 'agent stopped during the reload' }] };
    }
    const old = this.current;
    this.current = built.inspector;
    this.rules = rules;
    this.metrics.rules.set(built.ruleCount);
    this.metrics.reloads.inc({ result: 'ok' });
    // New rules opened their collection stores afresh.
    this.collectionsHealth = { status: 'ok', problems: this.collectionsHealth.problems };
    this.logWarnings(built.warnings);
    this.logger.info({ rules: built.ruleCount, ms: Math.round(performance.now() - started) }, `reloaded: ${built.ruleCount} rules`);
    if (old) this.retire(old);
    return { ok: true, ruleCount: built.ruleCount, problems: [] };
  }

  /** The old rules finish what they started; transactions waiting for a response keep them up to the TTL. */
  private retire(old: Inspector): void {
    this.retired.add(old);
    const ttl = this.owners ? Math.max(...this.rules.apps.map((a) => a.transactionTtlMs)) : 0;
    const done = (): void => {
      if (!this.retired.delete(old)) return;
      void old.close();
    };
    if (ttl > 0) setTimeout(done, ttl).unref();
    else if (old instanceof WorkerPool) void old.idle().then(done);
    else done();
  }

  /**
   * Whether this request is traced: only with a trace log, when the message's `trace` argument or the
   * configured header asks for it, at most `--trace-rate` per second (a trace costs the engine more).
   */
  private traced(input: RequestInput): boolean {
    if (this.traceFile === undefined) return false;
    const header = this.traceHeader;
    const asked = input.trace === true || (header !== undefined && input.headers.some(([n, v]) => n.toLowerCase() === header && v !== '' && v !== '0'));
    return asked && this.traces.allow('trace');
  }

  /** One explain record, a line of the trace log. */
  private writeTrace(record: string): void {
    if (this.traceFile?.write(Buffer.from(`${record}\n`, 'latin1')) === false) this.metrics.logWriteFailures.inc({ log: 'trace' });
  }

  private record(v: Verdict, direction: 'request' | 'response', message: string): void {
    if (v.trace !== undefined) this.writeTrace(v.trace);
    this.writeErrorLines(v.logLines);
    if (v.audit !== undefined) this.noteAudit(v.audit);
    if (v.collectionsActivity) this.metrics.observeCollections(v.collectionsActivity);
    if (v.collectionsUnavailable) this.metrics.collectionsUnavailable.inc({ outcome: v.error ? 'denied' : 'skipped' });
    if (v.error) {
      this.metrics.errors.inc({ kind: String(v.error.code) });
      this.metrics.inspections.inc({ app: v.app || '-', direction, outcome: 'error' });
      this.logger.error({ id: v.id, app: v.app, message, error: v.error.code }, v.error.message);
      return;
    }
    const outcome = v.code > 0 ? 'interrupted' : 'pass';
    this.metrics.inspections.inc({ app: v.app, direction, outcome });
    const fields = { id: v.id, app: v.app, message, code: v.code, action: v.action, ruleId: v.ruleId, ruleIds: v.ruleIds, anomalyScore: v.anomalyScore, truncated: v.bodyTruncated || undefined, engineMs: Math.round(v.engineMs * 1000) / 1000 };
    if (v.code > 0) {
      this.metrics.interruptions.inc({ rule_id: String(v.ruleId ?? 0), status: String(v.code) });
      const rule = String(v.ruleId ?? 0);
      if (this.interruptionLines.allow(rule)) this.logger.warn(fields, `${direction} interrupted: ${v.action ?? 'deny'} ${v.code} by rule ${v.ruleId ?? 0}`);
      else this.metrics.logLinesDropped.inc({ log: 'interruptions', rule_id: rule });
    } else {
      this.logger.debug(fields, `${direction} passed`);
    }
  }

  /** ModSecurity error-log lines, at most `--error-log-rate` per rule per second; write failures counted. */
  private writeErrorLines(lines: readonly string[]): void {
    for (const line of lines) {
      const rule = ruleIdOfLine(line);
      if (!this.errorLines.allow(rule)) {
        this.metrics.logLinesDropped.inc({ log: 'error', rule_id: rule });
        continue;
      }
      if (this.writeErrorLine(line)) {
        if (this.errorLogHealth.status === 'failing') Object.assign(this.errorLogHealth, { status: 'ok', lastError: undefined, failingSince: undefined });
        continue;
      }
      this.metrics.logWriteFailures.inc({ log: 'error' });
      this.errorLogHealth.lost++;
      if (this.errorLogHealth.status !== 'failing') this.errorLogHealth.failingSince = new Date().toISOString();
      this.errorLogHealth.status = 'failing';
      this.errorLogHealth.lastError = this.errorLogFile?.lastError;
    }
  }

  /** One summary per rule whose lines the rate limit dropped, in the error log and the JSON log. */
  private summariseDropped(): void {
    const seconds = DROPPED_SUMMARY_MS / 1000;
    for (const { ruleId, dropped } of this.errorLines.takeDropped()) {
      const text = `rampart: rule ${ruleId}: ${dropped} error-log lines dropped in the last ${seconds} s (more than ${this.errorLines.perSecond} per second; --error-log-rate)`;
      this.writeErrorLine(text);
      this.logger.warn({ ruleId, dropped, log: 'error' }, text);
    }
    for (const { dropped } of this.traces.takeDropped()) {
      this.logger.warn({ dropped, log: 'trace' }, `${dropped} transactions asked for a trace in the last ${seconds} s and ran untraced (more than ${this.traces.perSecond} per second; --trace-rate)`);
    }
    for (const { ruleId, dropped } of this.interruptionLines.takeDropped()) {
      this.logger.warn({ ruleId, dropped, log: 'interruptions' }, `rule ${ruleId}: ${dropped} interruption log lines dropped in the last ${seconds} s (more than ${this.interruptionLines.perSecond} per second; --error-log-rate)`);
    }
  }

  private noteAudit(result: 'written' | 'failed'): void {
    const h = this.auditHealth;
    if (result === 'written') {
      if (h.status === 'failing') Object.assign(h, { status: 'ok', lastError: undefined, failingSince: undefined });
      return;
    }
    this.metrics.logWriteFailures.inc({ log: 'audit' });
    h.lost++;
    if (h.status !== 'failing') {
      h.status = 'failing';
      h.failingSince = new Date().toISOString();
    }
  }

  /** Log write failures and collection problems of the rules (here or in a worker): logged, counted, in /healthz. */
  private onEvent(event: AgentEvent): void {
    if (event.kind === 'log-error') {
      // The audit and debug logs report each cause once; the audit health keeps the message.
      this.logger.error({ log: 'audit' }, `audit log: ${event.message}`);
      this.auditHealth.lastError = event.message;
      return;
    }
    // Every worker has its own connection to Redis (--collections) and says when it loses it and when it has
    // it back: the log says it once for the agent, when the first worker loses it and when one has it back.
    if (event.code === 'collections-available') {
      if (this.collectionsHealth.status === 'ok') return;
      this.collectionsHealth = { ...this.collectionsHealth, status: 'ok' };
      this.logger.info({ code: event.code }, event.message);
      return;
    }
    this.metrics.collectionErrors.inc({ code: event.code });
    const unavailable = event.code.startsWith('collections-unavailable');
    const toldAlready = event.code === 'collections-unavailable' && this.collectionsHealth.status === 'unavailable';
    this.collectionsHealth = { status: unavailable ? 'unavailable' : this.collectionsHealth.status, problems: this.collectionsHealth.problems + 1, lastError: event.message };
    if (toldAlready) return;
    if (unavailable || event.code === 'collections-reset') this.logger.error({ code: event.code }, event.message);
    else this.logger.warn({ code: event.code }, event.message);
  }

  /** The agent's health, as /healthz answers it. */
  health(): HealthReport {
    const degraded = this.auditHealth.status === 'failing' || this.errorLogHealth.status === 'failing' || this.collectionsHealth.status !== 'ok';
    const status = this.state !== 'ready' ? this.state : degraded ? 'degraded' : 'ok';
    return {
      status,
      rules: this.ruleCount,
      connections: this.server.connectionCount,
      auditLog: { ...this.auditHealth },
      errorLog: { ...this.errorLogHealth },
      collections: { ...this.collectionsHealth },
    };
  }

  private async onMessages(messages: SpopMessage[]): Promise<readonly SpopAction[]> {
    const started = performance.now();
    const outcome = { inspected: false };
    try {
      return await this.answer(messages, outcome);
    } finally {
      this.metrics.observeProcessing((performance.now() - started) / 1000, outcome.inspected);
    }
  }

  private async answer(messages: SpopMessage[], outcome: { inspected: boolean }): Promise<readonly SpopAction[]> {
    const parsed = parseNotify(messages);
    if (parsed.ignored.length > 0) this.logger.debug({ ignored: parsed.ignored }, 'messages ignored');
    if (!parsed.request && !parsed.response) {
      const message = parsed.problems.length > 0 ? parsed.problems.join('; ') : `no supported message (got: ${messages.map((m) => m.name).join(', ') || 'none'}; supported: check-request, check-response, coraza-req, coraza-res)`;
      const v = errorVerdict(AgentErrorCode.BadMessage, message);
      this.record(v, 'request', messages[0]?.name ?? '');
      return verdictActions(v, false);
    }
    for (const p of parsed.problems) this.logger.warn(p);
    const actions: SpopAction[] = [];
    const current = this.current ?? (await this.waitForRules());
    if (parsed.request) {
      const { input, message, exportRuleIds } = parsed.request;
      if (this.traced(input)) input.trace = true;
      else delete input.trace;
      const v = current ? await current.inspectRequest(input) : errorVerdict(AgentErrorCode.RulesNotReady, `rules are ${this.state === 'failed' ? 'broken (see the start-up errors)' : 'still loading'}`, input.uniqueId);
      if (current && !v.error && this.owners) this.owners.set(v.id, current, Math.max(...this.rules.apps.map((a) => a.transactionTtlMs)));
      this.record(v, 'request', message);
      if (!v.error) outcome.inspected = true;
      actions.push(...verdictActions(v, exportRuleIds));
    }
    if (parsed.response) {
      const { input, message, exportRuleIds, detectOnly } = parsed.response;
      const owner = this.owners?.take(input.id) ?? current;
      const run = owner ? owner.inspectResponse(input) : Promise.resolve(errorVerdict(AgentErrorCode.RulesNotReady, 'rules are not loaded', input.id));
      if (detectOnly) {
        // coraza-spoa's detect-only: answer at once, inspect (and log) in the background.
        void run.then((v) => this.record(v, 'response', message));
      } else {
        const v = await run;
        this.record(v, 'response', message);
        if (!v.error) outcome.inspected = true;
        actions.push(...verdictActions(v, exportRuleIds));
      }
    }
    const delay = this.options.processingDelayMs ?? 0;
    if (delay > 0) await sleep(delay);
    return actions;
  }

  /**
   * While the rules load, a NOTIFY waits for them up to the deadline (`--deadline`, HAProxy's `timeout
   * processing`) instead of being answered "not inspected" at once: a start or restart that finishes within
   * that time lets no request through unchecked, and one that takes longer answers error 1001 only after HAProxy
   * stopped waiting anyway.
   */
  private async waitForRules(): Promise<Inspector | undefined> {
    if (this.state !== 'loading') return undefined;
    const holdMs = this.options.queueDeadlineMs || DEFAULT_DEADLINE_MS;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.ready.catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, holdMs)))]);
    clearTimeout(timer);
    return this.current;
  }

  /**
   * SIGTERM: stop accepting, let HAProxy's in-flight NOTIFYs be answered, AGENT-DISCONNECT every connection,
   * then release the rules (transactions waiting for a response are logged).
   */
  async drain(timeoutMs = 5000): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopping';
    await this.server.drain({ timeoutMs });
    await this.shutdown();
  }

  /** Stops now (in-flight NOTIFYs are not answered). */
  async close(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopping';
    await this.server.close();
    await this.shutdown();
  }

  private async shutdown(): Promise<void> {
    this.owners?.close();
    // A compile in progress (start or reload) is abandoned: SIGTERM must not wait for it (or for a file that
    // never ends).
    for (const b of this.building) if (b instanceof WorkerPool) await b.terminate();
    this.building.clear();
    const all = [...this.retired, ...(this.current ? [this.current] : [])];
    this.retired.clear();
    this.current = undefined;
    await Promise.all(all.map((i) => i.close().catch(() => undefined)));
    if (this.metricsServer) await new Promise((r) => this.metricsServer?.close(r));
    clearInterval(this.droppedTimer);
    this.summariseDropped();
    this.errorLogFile?.close();
    this.traceFile?.close();
    this.state = 'stopped';
    this.logger.info('stopped');
  }
}
