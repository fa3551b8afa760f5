import { randomBytes } from 'node:crypto';
import type { Interruption, Transaction } from '@rampart/engine';
import { AgentErrorCode } from './agent-error';
import type { CompiledApp, CompiledRules } from './compile-rules';
import type { RequestInput, ResponseInput } from './inspection-input';
import { TraceRecording } from './trace-recording';
import { TransactionCache } from './transaction-cache';
import { errorVerdict, type Verdict } from './verdict';

/** Runs inspections; implemented in-process (`RulesRunner`) and by a pool of worker threads. */
export interface Inspector {
  readonly ruleCount: number;
  inspectRequest(input: RequestInput): Promise<Verdict>;
  inspectResponse(input: ResponseInput): Promise<Verdict>;
  /** Finishes work in progress, logs the transactions still waiting for a response, releases resources. */
  close(): Promise<void>;
}

interface Pending {
  tx: Transaction;
  app: CompiledApp;
  /** The transaction is traced: its record is written when it ends. */
  trace?: TraceRecording;
}

function score(tx: Transaction, name: string): number {
  const v = tx.collection('TX')?.first(name);
  const n = v === undefined ? 0 : Number.parseInt(v, 10);
  return Number.isFinite(n) && n > 0 ? Math.min(n, 0xffffffff) : 0;
}

function newId(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * The engine side of the agent for one thread: picks the application, runs the request phases (1-2) and,
 * for applications with response checking, keeps the transaction for the response phases (3-4).
 * Never throws: failures become verdicts with an `error`.
 */
export class RulesRunner implements Inspector {
  private readonly pending: TransactionCache<Pending>;
  /** Error-log lines of transactions logged outside a verdict (expired/evicted/closed ones). */
  private readonly lateLog: (lines: string[]) => void;
  /** Explain records of traced transactions that ended outside a verdict. */
  private readonly lateTrace: (record: string) => void;

  constructor(
    readonly rules: CompiledRules,
    options: { lateLog?: (lines: string[]) => void; lateTrace?: (record: string) => void; now?: () => number } = {},
  ) {
    this.lateLog = options.lateLog ?? (() => undefined);
    this.lateTrace = options.lateTrace ?? (() => undefined);
    this.pending = new TransactionCache<Pending>(rules.config.maxCachedTransactions, (_id, p) => this.finishDropped(p), options.now);
  }

  get ruleCount(): number {
    return this.rules.ruleCount;
  }

  /** Transactions waiting for their response message. */
  get pendingTransactions(): number {
    return this.pending.size;
  }

  private app(name: string | undefined): CompiledApp {
    return (name !== undefined ? this.rules.apps.get(name) : undefined) ?? this.rules.defaultApp;
  }

  private finishDropped(p: Pending): void {
    const before = p.tx.logLines.length;
    p.tx.processLoggingAsync().then(
      () => {
        if (p.tx.logLines.length > before) this.lateLog(p.tx.logLines.slice(before));
        if (p.trace !== undefined) this.lateTrace(p.trace.line(p.tx));
      },
      () => undefined,
    );
  }

  private verdict(tx: Transaction, app: CompiledApp, it: Interruption | undefined, logFrom: number, matchFrom: number, direction: 'inbound' | 'outbound', started: number, truncated: boolean): Verdict {
    const ruleIds: number[] = [];
    for (let i = matchFrom; i < tx.matchedRules.length; i++) {
      const r = tx.matchedRules[i]!;
      if (r.logged || r.disruptive) ruleIds.push(r.id);
    }
    const v: Verdict = {
      id: tx.id,
      app: app.rules.name,
      code: it ? it.status : 0,
      ruleIds,
      anomalyScore: score(tx, `blocking_${direction}_anomaly_score`),
      bodyTruncated: truncated,
      logLines: tx.logLines.slice(logFrom),
      engineMs: performance.now() - started,
    };
    if (it) {
      v.action = it.action;
      v.ruleId = it.ruleId;
      if (it.url !== undefined) v.url = it.url;
    }
    return v;
  }

  async inspectRequest(input: RequestInput): Promise<Verdict> {
    const started = performance.now();
    const app = this.app(input.app);
    const id = input.uniqueId !== '' ? input.uniqueId : newId();
    let tx: Transaction | undefined;
    try {
      const body = input.body;
      const truncated = body !== undefined && input.declaredBodySize !== undefined && input.declaredBodySize > body.length;
      const trace = input.trace === true ? new TraceRecording(input, truncated) : undefined;
      tx = app.waf.newTransaction({ id, ...(trace !== undefined ? { trace: trace.recorder } : {}) });
      tx.processConnection(input.clientIp, input.clientPort, input.serverIp, input.serverPort);
      tx.processUri(input.query !== undefined ? `${input.path}?${input.query}` : input.path, input.method, `HTTP/${input.version}`);
      for (const [name, value] of input.headers) tx.addRequestHeader(name, value);
      // HAProxy hands over only what fits its buffer; say so to the rules rather than pretend the prefix is
      // the whole body (ModSecurity's meaning of INBOUND_DATA_ERROR: the body was not inspected in full).
      if (truncated) tx.vars.set('INBOUND_DATA_ERROR', '1');
      let it = await tx.processRequestHeadersAsync();
      if (it === undefined) {
        if (body !== undefined && body.length > 0) tx.appendRequestBody(body);
        it = await tx.processRequestBodyAsync();
      }
      const v = this.verdict(tx, app, it, 0, 0, 'inbound', started, truncated);
      // An interrupted transaction is finished: HAProxy answers with its own deny page, whose response phases
      // ModSecurity would not inspect. Phase 5 and the audit record happen now, not when the cache expires.
      if (!app.rules.responseCheck || it !== undefined) {
        const before = tx.logLines.length;
        await tx.processLoggingAsync();
        v.logLines.push(...tx.logLines.slice(before));
        if (trace !== undefined) v.trace = trace.line(tx);
        const lost = this.noteAudit(v, app, tx);
        if (lost) return this.collectionsPolicy(tx, lost);
      }
      // Interrupted ones stay cached too: HAProxy may still send the response event for its deny page, and that
      // answer should repeat the verdict rather than report a missing transaction. (Their record is written.)
      if (app.rules.responseCheck) this.pending.set(id, { tx, app, ...(trace !== undefined && v.trace === undefined ? { trace } : {}) }, app.rules.transactionTtlMs);
      v.engineMs = performance.now() - started;
      return this.collectionsPolicy(tx, v);
    } catch (e) {
      return errorVerdict(AgentErrorCode.InspectionFailed, `request inspection failed: ${e instanceof Error ? e.message : String(e)}`, id, app.rules.name);
    }
  }

  async inspectResponse(input: ResponseInput): Promise<Verdict> {
    const started = performance.now();
    const p = this.pending.take(input.id);
    if (p === undefined) {
      const app = this.app(input.app);
      return app.rules.responseCheck
        ? errorVerdict(AgentErrorCode.TransactionNotFound, `transaction ${input.id} not found (expired after ${app.rules.transactionTtlMs} ms, evicted, or its request was interrupted)`, input.id, app.rules.name)
        : errorVerdict(AgentErrorCode.ResponseCheckDisabled, `response message for application ${app.rules.name}, which has response checking off`, input.id, app.rules.name);
    }
    const { tx, app, trace } = p;
    try {
      const logFrom = tx.logLines.length;
      const matchFrom = tx.matchedRules.length;
      for (const [name, value] of input.headers) tx.addResponseHeader(name, value);
      let it = await tx.processResponseHeadersAsync(input.status, `HTTP/${input.version}`);
      if (it === undefined) {
        if (input.body !== undefined && input.body.length > 0) tx.appendResponseBody(input.body);
        it = await tx.processResponseBodyAsync();
      }
      await tx.processLoggingAsync();
      const v = this.verdict(tx, app, it, logFrom, matchFrom, 'outbound', started, false);
      if (trace !== undefined) v.trace = trace.line(tx);
      return this.collectionsPolicy(tx, this.noteAudit(v, app, tx) ?? v);
    } catch (e) {
      return errorVerdict(AgentErrorCode.InspectionFailed, `response inspection failed: ${e instanceof Error ? e.message : String(e)}`, input.id, app.rules.name);
    }
  }

  /**
   * Records in `v` what became of the transaction's audit record; with `--audit-fail closed`, a clean verdict
   * whose record was lost becomes error 1007 (returned), so that the request is not answered as clean while
   * nothing records it. An interruption keeps its verdict: turning it into an error would let it through
   * wherever HAProxy has no fail-closed rule.
   */
  private noteAudit(v: Verdict, app: CompiledApp, tx: Transaction): Verdict | undefined {
    const result = app.auditResult(tx);
    if (result === 'written' || result === 'failed') v.audit = result;
    if (result !== 'failed' || v.code !== 0 || this.rules.config.auditFail !== 'closed') return undefined;
    const lost = errorVerdict(AgentErrorCode.AuditLogFailed, 'the audit record could not be written (--audit-fail closed): not answered as clean', v.id, v.app);
    lost.audit = 'failed';
    lost.logLines = v.logLines;
    if (v.trace !== undefined) lost.trace = v.trace;
    return lost;
  }

  /**
   * `--collections-unavailable`: a transaction whose collections in Redis could not be read or written ran
   * without them (`skip`: the verdict stands, marked for the metrics), or a clean one is refused with error
   * 1008 (`deny`) so that every request HAProxy lets through was counted; an interruption keeps its verdict,
   * as with --audit-fail. Also carries the store's round trips to the metrics (taken last: the writes at the
   * end of the transaction belong to this verdict).
   */
  private collectionsPolicy(tx: Transaction, v: Verdict): Verdict {
    const activity = this.rules.collections?.takeActivity();
    if (activity) v.collectionsActivity = activity;
    const errors = tx.collectionErrors;
    if (errors === undefined) return v;
    v.collectionsUnavailable = true;
    if (this.rules.config.redis?.unavailable !== 'deny' || v.error !== undefined || v.code !== 0) return v;
    const refused = errorVerdict(AgentErrorCode.CollectionsUnavailable, `persistent collections unavailable: ${errors[0]!.message}`, v.id, v.app);
    refused.logLines = v.logLines;
    if (v.trace !== undefined) refused.trace = v.trace;
    refused.collectionsUnavailable = true;
    if (activity) refused.collectionsActivity = activity;
    if (v.audit !== undefined) refused.audit = v.audit;
    return refused;
  }

  async close(): Promise<void> {
    this.pending.close();
    await Promise.all([...this.rules.apps.values()].map((a) => a.close().catch(() => undefined)));
    await this.rules.collections?.close().catch(() => undefined);
  }
}
