import type { OutgoingHttpHeader, ServerResponse } from 'node:http';
import type { Interruption, Transaction } from '@rampart/engine';
import { isPromise, phases } from './phases';
import { dropConnection, type ResponseWriter } from './respond';

/** What the inspector needs from the request it belongs to. */
export interface ResponseInspectionHost {
  readonly tx: Transaction;
  /** `HTTP/1.1`, as the request had it. */
  readonly protocol: string;
  /** False for HEAD (no body goes out). */
  readonly responseHasBody: boolean;
  /** Answers the interruption (undefined: a fail-closed error) with the writer's methods; nothing was sent yet. */
  interrupt(interruption: Interruption | undefined, writer: ResponseWriter): void;
  /** Reports a failure inside the WAF; true when the response goes on uninspected (fail-open). */
  failed(error: unknown): boolean;
  /** An interruption that came after the headers were sent: the connection is dropped, this records why. */
  lateInterruption(interruption: Interruption): void;
}

type State =
  /** Nothing written by the application yet. */
  | 'waiting'
  /** Phases 3/4 are running (only asynchronously with `@rbl` rules): everything written is held. */
  | 'deciding'
  /** The body is inspected: headers and body are held until the end or SecResponseBodyLimit. */
  | 'holding'
  /** The headers went out early (flushHeaders) while the body is still inspected: only a drop can stop it. */
  | 'feeding'
  /** Decided: everything passes through. */
  | 'streaming'
  /** Not inspected (the request was already answered by the WAF, or a fail-open error). */
  | 'bypass'
  /** The WAF answered: what the application writes is discarded. */
  | 'blocked';

interface HeldCall {
  readonly end: boolean;
  /** The application's own arguments, replayed as they were given. */
  readonly args: unknown[];
}

type Callback = (error?: Error | null) => void;
type AnyWrite = (this: ServerResponse, ...args: unknown[]) => unknown;

interface OriginalMethods extends ResponseWriter {
  write: AnyWrite;
  flushHeaders: (this: ServerResponse) => void;
  writeHeadAny: AnyWrite;
  endAny: AnyWrite;
}

/** Statuses whose responses never carry a body. */
function statusHasBody(status: number): boolean {
  return status >= 200 && status !== 204 && status !== 304;
}

function chunkOf(args: readonly unknown[]): { chunk: Buffer | undefined; callback: Callback | undefined } {
  const [data, encodingOrCb, cb] = args;
  const callback = (typeof encodingOrCb === 'function' ? encodingOrCb : typeof cb === 'function' ? cb : undefined) as Callback | undefined;
  if (data === undefined || data === null || typeof data === 'function') {
    return { chunk: undefined, callback: typeof data === 'function' ? (data as Callback) : callback };
  }
  if (typeof data === 'string') {
    const encoding = typeof encodingOrCb === 'string' ? (encodingOrCb as BufferEncoding) : 'utf8';
    return { chunk: Buffer.from(data, encoding), callback };
  }
  if (data instanceof Uint8Array) return { chunk: Buffer.from(data.buffer, data.byteOffset, data.byteLength), callback };
  return { chunk: undefined, callback };
}

function headersSentError(): Error {
  return Object.assign(new Error('Cannot write headers after they are sent to the client'), { code: 'ERR_HTTP_HEADERS_SENT' });
}

/**
 * Phases 3 and 4 on a `ServerResponse`, whatever framework writes it: `writeHead`, `write`, `end` and
 * `flushHeaders` are wrapped on the response object (as the `compression` middleware does), because Express,
 * Fastify and plain handlers all end up calling them.
 *
 * When the application's headers are final (`writeHead`, or the first `write`/`end`), they go to phase 3. A body of
 * a MIME type listed in SecResponseBodyMimeType is then held, with the headers, up to SecResponseBodyLimit and
 * inspected in phase 4 before anything is sent, so a leak can still be answered with the error page. Past the limit
 * the engine applies SecResponseBodyLimitAction (ProcessPartial: what was held is inspected, the rest streams;
 * Reject: 500). Other bodies are not held: phase 4 runs without a body before the headers leave.
 */
export class ResponseInspector {
  private state: State = 'waiting';
  private readonly held: HeldCall[] = [];
  private heldBytes = 0;
  private limit = Infinity;
  private flushWanted = false;
  private original: OriginalMethods | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly host: ResponseInspectionHost,
  ) {}

  /** The response methods as they were before `install`: the WAF's own answers are written with them. */
  get writer(): ResponseWriter {
    return this.originals();
  }

  install(): void {
    const res = this.res;
    const original = this.originals();
    const self = this;
    // Wrapped per response object, not on the prototype, so other responses and libraries are untouched.
    res.writeHead = function writeHead(this: ServerResponse, ...args: unknown[]) {
      return self.onWriteHead(args, original);
    } as ServerResponse['writeHead'];
    res.write = function write(this: ServerResponse, ...args: unknown[]) {
      return self.onWrite(args, false, original);
    } as ServerResponse['write'];
    res.end = function end(this: ServerResponse, ...args: unknown[]) {
      self.onWrite(args, true, original);
      return res;
    } as ServerResponse['end'];
    res.flushHeaders = function flushHeaders(this: ServerResponse) {
      self.onFlushHeaders(original);
    };
  }

  /** Stops inspecting: the WAF answered the request itself, or failed open. */
  bypass(): void {
    if (this.state === 'waiting') this.state = 'bypass';
  }

  /** The WAF answered (request phases): whatever the application still writes is discarded. */
  markBlocked(): void {
    this.state = 'blocked';
  }

  private originals(): OriginalMethods {
    if (this.original === undefined) {
      const res = this.res;
      const writeHead = res.writeHead as unknown as AnyWrite;
      const end = res.end as unknown as AnyWrite;
      this.original = {
        writeHead: writeHead as unknown as ResponseWriter['writeHead'],
        end: end as unknown as ResponseWriter['end'],
        writeHeadAny: writeHead,
        endAny: end,
        write: res.write as unknown as AnyWrite,
        flushHeaders: res.flushHeaders as OriginalMethods['flushHeaders'],
      };
    }
    return this.original;
  }

  // -------------------------------------------------------------------------------------------
  // The application's calls

  private onWriteHead(args: unknown[], original: OriginalMethods): ServerResponse {
    switch (this.state) {
      case 'waiting':
        this.applyWriteHead(args);
        this.headersFinal(original);
        return this.res;
      case 'deciding':
      case 'holding':
      case 'feeding':
        // Node throws here too once the headers were written; they were, as far as the application knows.
        throw headersSentError();
      case 'blocked':
        return this.res;
      default:
        // Also Node's own implicit writeHead, when our flush calls write() first.
        return original.writeHeadAny.apply(this.res, args) as ServerResponse;
    }
  }

  private onWrite(args: unknown[], end: boolean, original: OriginalMethods): boolean {
    if (this.state === 'waiting') this.headersFinal(original);
    switch (this.state) {
      case 'deciding':
      case 'holding':
        this.hold({ end, args }, original);
        return true;
      case 'feeding':
        return this.feed({ end, args }, original);
      case 'blocked': {
        const { callback } = chunkOf(args);
        if (callback) process.nextTick(callback);
        return true;
      }
      default:
        return (end ? original.endAny : original.write).apply(this.res, args) as boolean;
    }
  }

  private onFlushHeaders(original: OriginalMethods): void {
    if (this.state === 'waiting') this.headersFinal(original);
    switch (this.state) {
      case 'deciding':
        this.flushWanted = true;
        return;
      case 'holding':
        this.startFeeding(original);
        return;
      case 'blocked':
      case 'feeding':
        return;
      default:
        original.flushHeaders.call(this.res);
    }
  }

  /** writeHead's arguments go onto the response, merged as Node merges them, so getHeaders() shows what will go out. */
  private applyWriteHead(args: unknown[]): void {
    const res = this.res;
    const status = Number(args[0]);
    if (!Number.isInteger(status) || status < 100 || status > 999) {
      throw Object.assign(new RangeError(`Invalid status code: ${String(args[0])}`), { code: 'ERR_HTTP_INVALID_STATUS_CODE' });
    }
    let headers = args[1];
    if (typeof headers === 'string') {
      res.statusMessage = headers;
      headers = args[2];
    }
    res.statusCode = status;
    if (Array.isArray(headers)) {
      const pairs: Array<[string, OutgoingHttpHeader]> = [];
      if (headers.every((h) => Array.isArray(h))) for (const [k, v] of headers as Array<[string, OutgoingHttpHeader]>) pairs.push([k, v]);
      else for (let i = 0; i + 1 < headers.length; i += 2) pairs.push([String(headers[i]), headers[i + 1] as OutgoingHttpHeader]);
      for (const [name] of pairs) res.removeHeader(name);
      for (const [name, value] of pairs) res.appendHeader(name, value as string | readonly string[]);
    } else if (headers !== null && typeof headers === 'object') {
      for (const [name, value] of Object.entries(headers as Record<string, OutgoingHttpHeader | undefined>)) {
        if (value !== undefined) res.setHeader(name, value);
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Decisions

  /** The headers are final: phase 3, then holding (inspected body) or phase 4 at once (anything else). */
  private headersFinal(original: OriginalMethods): void {
    this.state = 'deciding';
    const res = this.res;
    const tx = this.host.tx;
    this.run(original, () => {
      // The names as the application wrote them (Node >= 15.13; @types/node does not declare it).
      for (const name of (res as ServerResponse & { getRawHeaderNames(): string[] }).getRawHeaderNames()) {
        const value = res.getHeader(name);
        if (value === undefined) continue;
        if (Array.isArray(value)) for (const v of value) tx.addResponseHeader(name, String(v));
        else tx.addResponseHeader(name, String(value));
      }
      return phases.responseHeaders(tx, res.statusCode, this.host.protocol);
    }, () => this.afterResponseHeaders(original));
  }

  private afterResponseHeaders(original: OriginalMethods): void {
    const tx = this.host.tx;
    const encoding = this.res.getHeader('content-encoding');
    // A compressed body would reach the rules as compressed bytes; install the WAF after compression() to have it
    // see the plain body (the README says so).
    const encoded = encoding !== undefined && String(encoding).toLowerCase() !== 'identity';
    const inspectBody = this.host.responseHasBody && statusHasBody(this.res.statusCode) && !encoded && tx.isResponseBodyProcessable();
    if (!inspectBody) {
      this.run(original, () => phases.responseBody(tx), () => this.startStreaming(original));
      return;
    }
    const limit = tx.settings.responseBodyLimit;
    this.limit = limit > 0 ? limit : Infinity;
    this.state = 'holding';
    let ended = false;
    for (const call of this.held) {
      const { chunk } = chunkOf(call.args);
      if (chunk) tx.appendResponseBody(chunk);
      ended ||= call.end;
    }
    if (this.flushWanted) this.startFeeding(original);
    else if (ended || this.heldBytes > this.limit) this.bodyDone(original);
  }

  /** The end of the body, or SecResponseBodyLimit: phase 4, then the held response goes out (or the error page). */
  private bodyDone(original: OriginalMethods): void {
    this.state = 'deciding';
    this.run(original, () => phases.responseBody(this.host.tx), () => this.startStreaming(original));
  }

  /**
   * Runs a phase step and continues with `next` when it let the response through; an interruption answers instead,
   * a failure is reported and then streams (fail-open) or answers 500 (fail-closed). Synchronous unless the phase
   * awaits an asynchronous operator.
   */
  private run(original: OriginalMethods, step: () => Interruption | undefined | Promise<Interruption | undefined>, next: () => void): void {
    let outcome: Interruption | undefined | Promise<Interruption | undefined>;
    try {
      outcome = step();
    } catch (error) {
      this.failure(error, original);
      return;
    }
    const decide = (it: Interruption | undefined): void => {
      if (this.state === 'blocked' || this.state === 'bypass') return;
      try {
        if (it) this.interrupt(it, original);
        else next();
      } catch (error) {
        // What follows a decision also calls the engine (appendResponseBody, the next phase): its failures are the
        // WAF's, handled as such, never thrown into the application's write().
        this.failure(error, original);
      }
    };
    if (isPromise(outcome)) outcome.then(decide, (error: unknown) => this.failure(error, original));
    else decide(outcome);
  }

  private failure(error: unknown, original: OriginalMethods): void {
    if (this.host.failed(error)) {
      if (this.state === 'feeding') this.flushHeld(original);
      else this.startStreaming(original);
      this.state = 'bypass';
      return;
    }
    this.interrupt(undefined, original);
  }

  private interrupt(it: Interruption | undefined, original: OriginalMethods): void {
    const wasFeeding = this.state === 'feeding';
    this.state = 'blocked';
    const held = this.held.splice(0);
    this.heldBytes = 0;
    if (wasFeeding || this.res.headersSent) {
      // Part of the response is on the wire: its status cannot change any more. Cut it short.
      if (it) this.host.lateInterruption(it);
      dropConnection(this.res);
    } else {
      this.host.interrupt(it, original);
    }
    for (const call of held) {
      const { callback } = chunkOf(call.args);
      if (callback) process.nextTick(callback);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Moving bytes

  private hold(call: HeldCall, original: OriginalMethods): void {
    const { chunk } = chunkOf(call.args);
    this.held.push(call);
    if (chunk) this.heldBytes += chunk.length;
    if (this.state !== 'holding') return;
    try {
      if (chunk) this.host.tx.appendResponseBody(chunk);
    } catch (error) {
      this.failure(error, original);
      return;
    }
    if (call.end || this.heldBytes > this.limit) this.bodyDone(original);
  }

  /** Headers and what was held go out; from now on the application's calls pass straight through. */
  private startStreaming(original: OriginalMethods): void {
    this.state = 'streaming';
    const res = this.res;
    if (!res.headersSent && !res.writableEnded) original.writeHeadAny.call(res, res.statusCode);
    this.flushHeld(original);
    if (this.flushWanted && !res.writableEnded) {
      this.flushWanted = false;
      original.flushHeaders.call(res);
    }
  }

  private flushHeld(original: OriginalMethods): void {
    for (const call of this.held.splice(0)) (call.end ? original.endAny : original.write).apply(this.res, call.args);
    this.heldBytes = 0;
  }

  /** flushHeaders() while the body was held: the headers go now, the body is still inspected as it passes. */
  private startFeeding(original: OriginalMethods): void {
    this.flushWanted = false;
    const res = this.res;
    original.writeHeadAny.call(res, res.statusCode);
    original.flushHeaders.call(res);
    this.state = 'feeding';
    const held = this.held.splice(0);
    this.heldBytes = 0;
    for (const call of held) {
      if (call.end) this.held.push(call);
      else original.write.apply(res, call.args);
    }
    if (this.held.length > 0) this.feedEnd(original);
  }

  private feed(call: HeldCall, original: OriginalMethods): boolean {
    const { chunk } = chunkOf(call.args);
    try {
      if (chunk) this.host.tx.appendResponseBody(chunk);
    } catch (error) {
      this.failure(error, original);
      // Passes through (fail-open) or is discarded (fail-closed), as the new state says.
      return this.onWrite(call.args, call.end, original);
    }
    if (!call.end) return original.write.apply(this.res, call.args) as boolean;
    // The last chunk waits for phase 4: an interruption drops the connection instead of ending the response.
    this.held.push(call);
    this.feedEnd(original);
    return true;
  }

  private feedEnd(original: OriginalMethods): void {
    this.run(original, () => phases.responseBody(this.host.tx), () => {
      this.state = 'streaming';
      this.flushHeld(original);
    });
  }
}
