import type { Socket } from 'node:net';
import { decodeFrameHeader, encodeAck, encodeAgentHello, encodeDisconnect } from './frame-codec';
import { FrameReader } from './frame-reader';
import { FrameType, type RawFrame } from './frame-type';
import { negotiateHello, type HelloResult } from './hello';
import { decodeKvList, kvGet } from './kv-list';
import type { SpopLogger } from './logger';
import { decodeMessages } from './messages';
import { SpopError, invalidFrame } from './spop-error';
import { SpopStatus, spopStatusMessage } from './status';
import type { SpopAction, SpopMessage } from './types';

/** What a handler knows about the connection a NOTIFY came on. */
export interface SpopConnectionInfo {
  /** Server-unique, increasing from 1. */
  readonly id: number;
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  /** Set once the HELLO exchange succeeded. */
  hello: HelloResult | undefined;
  /** Aborted when the connection closes: HAProxy will never read an ACK for work still running. */
  readonly closedSignal: AbortSignal;
}

/** The NOTIFY being answered. `streamId`/`frameId` are opaque (sid 0 is valid on HAProxy <= 3.0). */
export interface SpopFrameInfo {
  readonly streamId: number | bigint;
  readonly frameId: number | bigint;
  readonly connection: SpopConnectionInfo;
}

/**
 * Called once per NOTIFY with all of its messages (every spoe-message of the event or group is in the same
 * frame). The returned actions go into that NOTIFY's ACK; `[]` sends an empty ACK. NOTIFYs of one connection
 * are dispatched as they arrive, without waiting for earlier ones, and ACKed in completion order.
 */
export type SpopHandler = (
  messages: SpopMessage[],
  frame: SpopFrameInfo,
) => Promise<readonly SpopAction[]> | readonly SpopAction[];

/**
 * Called when the handler throws/rejects, returns something that is not an action array, or returns
 * actions that cannot be encoded (too big for max-frame-size, bad scope, out-of-range integer). Its actions
 * (e.g. a `set-var txn error 1` that a fail-closed HAProxy rule acts on) are sent in the ACK instead.
 * Without it, or when it fails as well, the connection is closed with AGENT-DISCONNECT (status of the
 * `SpopError`, else 99), which makes HAProxy flag every in-flight event with `256 + status`.
 */
export type SpopHandlerErrorHook = (
  error: unknown,
  messages: SpopMessage[],
  frame: SpopFrameInfo,
) => readonly SpopAction[];

export interface SpopConnectionOptions {
  maxFrameSize: number;
  capabilities: readonly string[];
  onMessages: SpopHandler;
  onHandlerError: SpopHandlerErrorHook | undefined;
  logger: SpopLogger;
  maxInFlight: number;
  helloTimeoutMs: number;
  closeTimeoutMs: number;
}

type State = 'hello' | 'ready' | 'closing' | 'closed';

/**
 * Frame size limit until HELLO is negotiated. The only frames legal then (HAPROXY-HELLO, DISCONNECT) are
 * ~150 bytes; an unauthenticated peer should not make us buffer a megabyte.
 */
const PRE_HELLO_MAX_FRAME_SIZE = 16384;

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * One agent-side SPOP connection: HELLO negotiation, pipelined NOTIFY dispatch, DISCONNECT both ways.
 * Created by the server for each accepted socket; never throws out of socket callbacks.
 */
export class SpopConnection {
  readonly info: SpopConnectionInfo;
  /** Resolves when the socket is closed (never rejects). */
  readonly closed: Promise<void>;

  private state: State = 'hello';
  private readonly reader: FrameReader;
  private maxFrameSize: number;
  private inFlight = 0;
  private pausedForInFlight = false;
  private pumping = false;
  private writeBlocked = false;
  private draining = false;
  private helloTimer: NodeJS.Timeout | undefined;
  private closeTimer: NodeJS.Timeout | undefined;
  private resolveClosed!: () => void;
  private readonly abort = new AbortController();

  constructor(
    private readonly socket: Socket,
    id: number,
    private readonly opts: SpopConnectionOptions,
  ) {
    this.info = {
      id,
      remoteAddress: socket.remoteAddress,
      remotePort: socket.remotePort,
      hello: undefined,
      closedSignal: this.abort.signal,
    };
    this.maxFrameSize = opts.maxFrameSize;
    this.reader = new FrameReader(Math.min(opts.maxFrameSize, PRE_HELLO_MAX_FRAME_SIZE));
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('error', (err) => this.log('debug', 'socket error', { error: describe(err) }));
    socket.on('drain', () => this.onDrain());
    socket.on('close', () => this.onClose());
    if (opts.helloTimeoutMs > 0) {
      this.helloTimer = setTimeout(
        () => this.fail(new SpopError(SpopStatus.Timeout, `no HAPROXY-HELLO within ${opts.helloTimeoutMs} ms`)),
        opts.helloTimeoutMs,
      );
    }
    this.log('debug', 'connection opened', { remote: `${socket.remoteAddress}:${socket.remotePort}` });
  }

  /** NOTIFYs dispatched and not yet ACKed. */
  get pending(): number {
    return this.inFlight;
  }

  get status(): State {
    return this.state;
  }

  /** Finish in-flight NOTIFYs (new ones are still served), then AGENT-DISCONNECT 0 and close. */
  drain(): void {
    this.draining = true;
    this.maybeFinishDrain();
  }

  /** AGENT-DISCONNECT 0 now; ACKs of in-flight NOTIFYs are dropped (HAProxy flags them with an error). */
  close(): void {
    this.disconnect(SpopStatus.Normal, spopStatusMessage(SpopStatus.Normal));
  }

  /** Drops the socket without a DISCONNECT. */
  destroy(): void {
    this.socket.destroy();
  }

  private isEnding(): boolean {
    return this.state === 'closing' || this.state === 'closed';
  }

  private onData(chunk: Buffer): void {
    if (this.isEnding()) return;
    try {
      this.reader.push(chunk);
    } catch (err) {
      this.fail(err);
      return;
    }
    this.pump();
  }

  /**
   * Handles the frames already received, stopping while `maxInFlight` NOTIFYs are pending: the rest of the
   * chunk waits in the reader (the socket is paused meanwhile), so handler concurrency stays bounded.
   */
  private pump(): void {
    // A handler that answers synchronously settles inside onFrame: the running loop picks up from there.
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.pausedForInFlight && !this.isEnding()) {
        const body = this.reader.next();
        if (body === undefined) break;
        this.onFrame(body);
      }
    } catch (err) {
      this.fail(err);
    } finally {
      this.pumping = false;
    }
  }

  private onFrame(body: Buffer): void {
    const f = decodeFrameHeader(body);
    if (f.type === FrameType.Unset || !f.fin || f.abort) {
      throw new SpopError(SpopStatus.FragmentationNotSupported, `frame type ${f.type} flags 0x${f.flags.toString(16)}`);
    }
    switch (f.type) {
      case FrameType.HaproxyHello:
        this.onHello(f);
        return;
      case FrameType.HaproxyDisconnect:
        this.onHaproxyDisconnect(f);
        return;
      case FrameType.Notify:
        if (this.state !== 'ready') throw invalidFrame('NOTIFY before HELLO');
        this.dispatch(decodeMessages(f.payload), f.streamId, f.frameId);
        return;
      case FrameType.AgentHello:
      case FrameType.AgentDisconnect:
      case FrameType.Ack:
        throw invalidFrame(`agent frame type ${f.type} received from HAProxy`);
      default:
        // Both spec versions allow skipping unknown types; HAProxy does the same with ours.
        this.log('debug', 'unknown frame type skipped', { type: f.type });
    }
  }

  private onHello(f: RawFrame): void {
    if (this.state !== 'hello') throw invalidFrame('HAPROXY-HELLO received twice');
    if (f.streamId !== 0 || f.frameId !== 0) throw invalidFrame('HAPROXY-HELLO with non-zero stream-id/frame-id');
    const hello = negotiateHello(decodeKvList(f.payload), this.opts);
    this.clearHelloTimer();
    this.info.hello = hello;
    this.write(encodeAgentHello({ version: hello.version, maxFrameSize: hello.maxFrameSize, capabilities: hello.capabilities }));
    if (hello.healthcheck) {
      this.log('debug', 'health check answered');
      this.state = 'closing';
      this.endSocket();
      return;
    }
    this.maxFrameSize = hello.maxFrameSize;
    this.reader.setMaxFrameSize(hello.maxFrameSize);
    this.state = 'ready';
    this.log('debug', 'hello negotiated', {
      maxFrameSize: hello.maxFrameSize,
      capabilities: hello.capabilities.join(','),
      engineId: hello.engineId,
    });
    this.maybeFinishDrain();
  }

  private onHaproxyDisconnect(f: RawFrame): void {
    let status: unknown;
    let message: unknown;
    try {
      const kv = decodeKvList(f.payload);
      const s = kvGet(kv, 'status-code');
      const m = kvGet(kv, 'message');
      status = s !== undefined && 'value' in s ? s.value : undefined;
      message = m !== undefined && 'value' in m ? m.value : undefined;
    } catch (err) {
      // The peer is leaving either way: answer it rather than argue about its payload.
      this.log('debug', 'undecodable HAPROXY-DISCONNECT payload', { error: describe(err) });
    }
    this.log('info', 'HAProxy disconnected', { status, message, inFlight: this.inFlight });
    this.disconnect(SpopStatus.Normal, spopStatusMessage(SpopStatus.Normal));
  }

  private dispatch(messages: SpopMessage[], streamId: number | bigint, frameId: number | bigint): void {
    this.inFlight++;
    if (this.inFlight >= this.opts.maxInFlight && !this.pausedForInFlight) {
      this.pausedForInFlight = true;
      this.socket.pause();
    }
    const frame: SpopFrameInfo = { streamId, frameId, connection: this.info };
    let settled = false;
    const settle = (actions: unknown, failure: { error: unknown } | undefined): void => {
      if (settled) return;
      settled = true;
      this.inFlight--;
      if (failure === undefined) this.sendAck(messages, frame, actions);
      else this.handlerFailed(failure.error, messages, frame);
      this.afterSettle();
    };
    let result: unknown;
    try {
      result = this.opts.onMessages(messages, frame);
    } catch (error) {
      settle(undefined, { error });
      return;
    }
    if (isThenable(result)) {
      result.then(
        (actions) => settle(actions, undefined),
        (error: unknown) => settle(undefined, { error }),
      );
    } else {
      settle(result, undefined);
    }
  }

  private sendAck(messages: SpopMessage[], frame: SpopFrameInfo, actions: unknown): void {
    if (this.state !== 'ready') {
      this.log('debug', 'ACK dropped: connection is closing', { streamId: frame.streamId, frameId: frame.frameId });
      return;
    }
    let buf: Buffer;
    try {
      if (!Array.isArray(actions)) throw new TypeError('handler must return an array of actions');
      buf = encodeAck(frame.streamId, frame.frameId, actions as SpopAction[], this.maxFrameSize);
    } catch (error) {
      this.handlerFailed(error, messages, frame);
      return;
    }
    this.write(buf);
  }

  private handlerFailed(error: unknown, messages: SpopMessage[], frame: SpopFrameInfo): void {
    this.log('error', 'NOTIFY handler failed', {
      error: describe(error),
      streamId: frame.streamId,
      frameId: frame.frameId,
    });
    if (this.state !== 'ready') return;
    const hook = this.opts.onHandlerError;
    if (hook !== undefined) {
      try {
        const actions = hook(error, messages, frame);
        if (!Array.isArray(actions)) throw new TypeError('onHandlerError must return an array of actions');
        this.write(encodeAck(frame.streamId, frame.frameId, actions, this.maxFrameSize));
        return;
      } catch (hookError) {
        this.log('error', 'onHandlerError failed', { error: describe(hookError) });
      }
    }
    this.fail(error instanceof SpopError ? error : new SpopError(SpopStatus.Unknown, describe(error)));
  }

  private afterSettle(): void {
    if (this.pausedForInFlight && this.inFlight < this.opts.maxInFlight) {
      this.pausedForInFlight = false;
      this.pump();
      if (!this.pausedForInFlight && !this.writeBlocked && !this.isEnding()) this.socket.resume();
    }
    this.maybeFinishDrain();
  }

  private maybeFinishDrain(): void {
    if (this.draining && this.inFlight === 0 && (this.state === 'ready' || this.state === 'hello')) {
      this.disconnect(SpopStatus.Normal, spopStatusMessage(SpopStatus.Normal));
    }
  }

  /** Protocol error: AGENT-DISCONNECT with the error's status, then close. */
  private fail(err: unknown): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    const e = err instanceof SpopError ? err : new SpopError(SpopStatus.Unknown, describe(err));
    this.log('warn', 'protocol error, disconnecting', { status: e.status, code: e.code, error: e.message });
    this.disconnect(e.status, spopStatusMessage(e.status));
  }

  private disconnect(status: number, message: string): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.state = 'closing';
    this.clearHelloTimer();
    this.write(encodeDisconnect(status, message));
    this.endSocket();
  }

  /** Half-close, then force-close if the peer does not finish the close in time. */
  private endSocket(): void {
    if (this.socket.writable) this.socket.end();
    // A paused socket would never see the peer's FIN.
    this.socket.resume();
    if (this.closeTimer === undefined) {
      this.closeTimer = setTimeout(() => this.socket.destroy(), this.opts.closeTimeoutMs);
    }
  }

  private write(buf: Buffer): void {
    if (!this.socket.writable) return;
    if (!this.socket.write(buf) && !this.writeBlocked) {
      this.writeBlocked = true;
      this.socket.pause();
    }
  }

  private onDrain(): void {
    if (!this.writeBlocked) return;
    this.writeBlocked = false;
    if (!this.pausedForInFlight && this.state !== 'closed') this.socket.resume();
  }

  private onEnd(): void {
    if (this.reader.midFrame()) this.log('debug', 'peer closed the connection mid-frame');
    else this.log('debug', 'peer closed the connection', { inFlight: this.inFlight });
    if (this.state !== 'closed') this.state = 'closing';
    this.clearHelloTimer();
    // allowHalfOpen is off: Node ends our side too; make sure a stuck socket still goes away.
    this.endSocket();
  }

  private onClose(): void {
    this.state = 'closed';
    this.clearHelloTimer();
    if (this.closeTimer !== undefined) clearTimeout(this.closeTimer);
    this.log('debug', 'connection closed', { inFlight: this.inFlight });
    this.abort.abort();
    this.resolveClosed();
  }

  private clearHelloTimer(): void {
    if (this.helloTimer !== undefined) {
      clearTimeout(this.helloTimer);
      this.helloTimer = undefined;
    }
  }

  private log(level: keyof SpopLogger, message: string, fields?: Record<string, unknown>): void {
    const fn = this.opts.logger[level];
    if (fn === undefined) return;
    try {
      fn.call(this.opts.logger, message, { conn: this.info.id, ...fields });
    } catch {
      // A broken logger must not take the connection down with it.
    }
  }
}
