import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Interruption, Transaction } from '@rampart/engine';
import { clientOf, serverOf } from './connection';
import { defaultErrorPage } from './error-page';
import { HttpWafError } from './errors';
import type { FailureStage, GuardOptions, ResolvedGuardOptions } from './options';
import { isPromise, phases } from './phases';
import { bodyAlreadyConsumed, hasRequestBody, readRequestBody } from './request-body';
import { answerInterruption, type ResponseWriter } from './respond';
import { ResponseInspector } from './response-inspector';
import type { TransactionSource } from './source';
import { TransactionVerdict, type WafVerdict } from './verdict';

declare module 'node:http' {
  interface IncomingMessage {
    /** Set by @rampart/http's middleware: what the WAF made of this request. */
    waf?: WafVerdict;
  }
}

/** What an adapter knows better than the raw request (Express: `req.ip`, `req.originalUrl`). */
export interface RequestHints {
  readonly clientAddress?: string | undefined;
  /** The request target as received, when the framework rewrote `req.url` (Express routers do). */
  readonly url?: string | undefined;
}

function defaultOnError(error: unknown, stage: FailureStage, req: IncomingMessage): void {
  const what = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`rampart: WAF failure (${stage}) on ${req.method ?? '?'} ${req.url ?? '?'}: ${what}\n`);
}

function resolveOptions(options: GuardOptions): ResolvedGuardOptions {
  return {
    failure: options.failure ?? 'closed',
    onError: options.onError ?? defaultOnError,
    errorPage: options.errorPage ?? defaultErrorPage,
    clientAddress: options.clientAddress,
    transactionId: options.transactionId,
    inspectResponse: options.inspectResponse ?? true,
  };
}

/**
 * Runs one WAF transaction per HTTP request on a `node:http` request/response pair; the framework adapters
 * (`wafHandler`, `expressWaf`, `fastifyWaf`) are thin wrappers around `handle`.
 *
 * @example
 * const guard = new WafGuard(waf, { failure: 'closed' });
 * http.createServer(async (req, res) => { if (await guard.handle(req, res)) app(req, res); });
 */
export class WafGuard {
  readonly options: ResolvedGuardOptions;
  private active = 0;

  constructor(
    readonly source: TransactionSource,
    options: GuardOptions = {},
  ) {
    this.options = resolveOptions(options);
  }

  /** Transactions started and not yet logged: 0 once every response has finished or its connection closed. */
  get activeTransactions(): number {
    return this.active;
  }

  /**
   * Inspects the request (connection, raw target, headers, then the body without taking it from the application)
   * and hooks the response for phases 3-4; logging runs when the response ends. Resolves true when the application
   * should handle the request, false when the WAF answered it (or the client went away). Never rejects: failures
   * go to `onError` and are answered as `failure` says.
   */
  async handle(req: IncomingMessage, res: ServerResponse, hints: RequestHints = {}): Promise<boolean> {
    let tx: Transaction;
    try {
      const id = this.options.transactionId?.(req);
      tx = this.source.newTransaction(id !== undefined && id !== '' ? { id } : {});
    } catch (error) {
      this.options.onError(error, 'request', req);
      if (this.options.failure === 'open') return true;
      answerInterruption(res, { writeHead: res.writeHead, end: res.end } as ResponseWriter, this.options, '-', undefined, 500);
      req.resume();
      return false;
    }
    return new Exchange(this, tx, req, res, hints).inspectRequest();
  }

  /** @internal */
  transactionStarted(): void {
    this.active++;
  }

  /** @internal */
  transactionEnded(tx: Transaction): void {
    this.active--;
    try {
      this.source.transactionEnded?.(tx);
    } catch {
      // A source that fails to count must not take the response down with it.
    }
  }
}

/** One request/response pair and its transaction. */
class Exchange {
  private readonly verdict: TransactionVerdict;
  private readonly inspector: ResponseInspector;
  private ended = false;
  /** The request body was not read to its end: after an answer from the WAF, the rest is read and discarded. */
  private bodyLeftUnread: boolean;

  constructor(
    private readonly guard: WafGuard,
    readonly tx: Transaction,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly hints: RequestHints,
  ) {
    this.verdict = new TransactionVerdict(tx);
    req.waf = this.verdict;
    this.bodyLeftUnread = hasRequestBody(req);
    guard.transactionStarted();
    const exchange = this;
    this.inspector = new ResponseInspector(res, {
      tx,
      protocol: `HTTP/${req.httpVersion}`,
      responseHasBody: req.method !== 'HEAD',
      interrupt: (it, writer) => exchange.answer(it, writer),
      failed: (error) => exchange.failed(error, 'response'),
      lateInterruption: (it) => {
        exchange.verdict.interruption = it;
      },
    });
    this.inspector.install();
    // 'close' comes after 'finish', and alone when the connection broke first: logging runs exactly once.
    res.once('close', () => this.end());
    if (!guard.options.inspectResponse) this.inspector.bypass();
  }

  async inspectRequest(): Promise<boolean> {
    const { tx, req } = this;
    try {
      const client = clientOf(req, this.guard.options.clientAddress?.(req) ?? this.hints.clientAddress);
      const server = serverOf(req);
      tx.processConnection(client.address, client.port, server.address, server.port);
      tx.processUri(this.hints.url ?? req.url ?? '/', req.method ?? 'GET', `HTTP/${req.httpVersion}`);
      const raw = req.rawHeaders;
      for (let i = 0; i + 1 < raw.length; i += 2) tx.addRequestHeader(raw[i]!, raw[i + 1]!);
      let it = phases.requestHeaders(tx);
      if (isPromise(it)) it = await it;
      if (it) return this.block(it);

      if (this.bodyLeftUnread && tx.settings.requestBodyAccess) {
        if (bodyAlreadyConsumed(req)) {
          throw new HttpWafError(
            'body-consumed',
            'the request body was read before the WAF could inspect it: install the middleware before any body parser',
          );
        }
        const limit = tx.settings.requestBodyLimit > 0 ? tx.settings.requestBodyLimit : Infinity;
        let appendError: unknown;
        const outcome = await readRequestBody(req, limit, (chunk) => {
          if (appendError !== undefined) return;
          try {
            tx.appendRequestBody(chunk);
          } catch (error) {
            appendError = error;
          }
        });
        if (outcome === 'aborted') return false;
        if (appendError !== undefined) throw appendError;
        this.bodyLeftUnread = outcome === 'limit';
      }
      it = phases.requestBody(tx);
      if (isPromise(it)) it = await it;
      if (it) return this.block(it);
      return true;
    } catch (error) {
      return this.failed(error, 'request');
    }
  }

  /** A failure inside the WAF: reported, then the request goes on uninspected (open) or is answered 500 (closed). */
  failed(error: unknown, stage: FailureStage): boolean {
    const options = this.guard.options;
    try {
      options.onError(error, stage, this.req);
    } catch {
      // The application's error logger must not turn a WAF failure into a crash either.
    }
    this.verdict.error = error;
    if (options.failure === 'open') {
      this.inspector.bypass();
      return true;
    }
    if (stage === 'request' || stage === 'request-body') {
      this.inspector.markBlocked();
      this.answer(undefined, this.inspector.writer);
    }
    return false;
  }

  private block(it: Interruption): boolean {
    this.inspector.markBlocked();
    this.answer(it, this.inspector.writer);
    return false;
  }

  /** Answers an interruption, or a fail-closed failure when `it` is undefined. */
  private answer(it: Interruption | undefined, writer: ResponseWriter): void {
    if (it) this.verdict.interruption = it;
    try {
      answerInterruption(this.res, writer, this.guard.options, this.tx.id, it, it?.status ?? 500);
      // As Node does for a body nobody read: discarded, so that the connection can serve its next request (closing
      // it with bytes unread would reset it, and the client could lose the answer).
      if (this.bodyLeftUnread && !this.req.destroyed) this.req.resume();
    } catch (error) {
      // A throwing error page: report it and cut the connection rather than leave the client waiting.
      this.guard.options.onError(error, 'response', this.req);
      this.res.destroy();
    }
  }

  /** Phase 5 and the audit log, once, when the response is over (or the connection is gone). */
  private end(): void {
    if (this.ended) return;
    this.ended = true;
    const release = (): void => this.guard.transactionEnded(this.tx);
    try {
      const done = phases.logging(this.tx);
      if (isPromise(done)) {
        done.then(release, (error: unknown) => {
          this.guard.options.onError(error, 'logging', this.req);
          release();
        });
        return;
      }
    } catch (error) {
      this.guard.options.onError(error, 'logging', this.req);
    }
    release();
  }
}
