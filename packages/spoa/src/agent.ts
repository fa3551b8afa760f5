import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { createSpopServer, type SpopAction, type SpopMessage, type SpopServer } from '@rampart/spop';
import { AgentErrorCode } from './agent-error';
import { compileRules, RulesLoadError, type RulesProblem } from './compile-rules';
import { parseNotify } from './messages';
import { Metrics } from './metrics';
import { RulesRunner, type Inspector } from './rules-runner';
import type { RulesConfig } from './rules-config';
import { TransactionCache } from './transaction-cache';
import { errorVerdict, verdictActions, type Verdict } from './verdict';
import { WorkerPool } from './worker-pool';

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
}

export type AgentState = 'loading' | 'ready' | 'failed' | 'stopping' | 'stopped';

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
  private readonly server: SpopServer;
  private metricsServer: HttpServer | undefined;
  private readonly errorLog: (line: string) => void;
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
    this.errorLog = options.errorLog ?? ((line) => this.logger.warn({ errorLog: true }, line));
    // The owner of each transaction kept for its response: after a reload the response must reach the
    // rules (and the worker) that saw the request.
    this.owners = options.rules.apps.some((a) => a.responseCheck)
      ? new TransactionCache<Inspector>(options.rules.maxCachedTransactions * Math.max(1, this.workers), () => undefined)
      : undefined;
    const log = this.logger;
    this.server = createSpopServer({
      onMessages: (messages) => this.onMessages(messages),
      onHandlerError: (err) => {
        this.metrics.errors.inc(['handler']);
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
          this.metrics.errors.inc(['spop']);
          log.warn(f ?? {}, m);
        },
        error: (m, f) => {
          this.metrics.errors.inc(['spop']);
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
        this.metrics.connections = this.server.connectionCount;
        this.metrics.ruleCount = this.ruleCount;
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
        res.end(this.metrics.render());
      } else if (req.method === 'POST' && req.url === '/reset-processing') {
        // For benchmarks: measure the processing-time quantiles of one load phase only.
        this.metrics.resetProcessing();
        res.writeHead(204);
        res.end();
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found: try /metrics\n');
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
      const compiled = compileRules(rules);
      const runner = new RulesRunner(compiled, { lateLog: (lines) => lines.forEach((l) => this.errorLog(l)) });
      return { inspector: runner, ruleCount: compiled.ruleCount, warnings: compiled.warnings, compileMs: compiled.compileMs };
    }
    const pool: WorkerPool = new WorkerPool({
      rules,
      workers: this.workers,
      queueDeadlineMs: this.options.queueDeadlineMs ?? DEFAULT_DEADLINE_MS,
      lateLog: (lines) => lines.forEach((l) => this.errorLog(l)),
      onWorkerError: (message) => {
        this.metrics.errors.inc(['worker']);
        this.logger.error(message);
      },
    });
    this.building.add(pool);
    try {
      await pool.ready;
    } finally {
      this.building.delete(pool);
    }
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
      this.metrics.ruleCount = built.ruleCount;
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
      this.metrics.reloads.inc(['failed']);
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
    this.metrics.ruleCount = built.ruleCount;
    this.metrics.reloads.inc(['ok']);
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

  private record(v: Verdict, direction: 'request' | 'response', message: string): void {
    for (const line of v.logLines) this.errorLog(line);
    if (v.error) {
      this.metrics.errors.inc([String(v.error.code)]);
      this.metrics.inspections.inc([v.app || '-', direction, 'error']);
      this.logger.error({ id: v.id, app: v.app, message, error: v.error.code }, v.error.message);
      return;
    }
    const outcome = v.code > 0 ? 'interrupted' : 'pass';
    this.metrics.inspections.inc([v.app, direction, outcome]);
    const fields = { id: v.id, app: v.app, message, code: v.code, action: v.action, ruleId: v.ruleId, ruleIds: v.ruleIds, anomalyScore: v.anomalyScore, truncated: v.bodyTruncated || undefined, engineMs: Math.round(v.engineMs * 1000) / 1000 };
    if (v.code > 0) {
      this.metrics.interruptions.inc([String(v.ruleId ?? 0), String(v.code)]);
      this.logger.warn(fields, `${direction} interrupted: ${v.action ?? 'deny'} ${v.code} by rule ${v.ruleId ?? 0}`);
    } else {
      this.logger.debug(fields, `${direction} passed`);
    }
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
    this.state = 'stopped';
    this.logger.info('stopped');
  }
}
