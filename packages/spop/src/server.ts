import { createServer, type AddressInfo, type ListenOptions, type Server, type Socket } from 'node:net';
import { SpopConnection, type SpopHandler, type SpopHandlerErrorHook } from './connection';
import { MIN_MAX_FRAME_SIZE } from './frame-codec';
import { SUPPORTED_CAPABILITIES } from './hello';
import type { SpopLogger } from './logger';

/** Default cap on max-frame-size: HAProxy offers `tune.bufsize - 4`; we take min(this, that). */
export const DEFAULT_MAX_FRAME_SIZE = 1024 * 1024;

export interface SpopServerOptions {
  /** Called once per NOTIFY; its actions are the ACK (see `SpopHandler`). */
  onMessages: SpopHandler;
  /** Actions to ACK with when `onMessages` fails (see `SpopHandlerErrorHook`); default: disconnect. */
  onHandlerError?: SpopHandlerErrorHook;
  /** Our max-frame-size (>= 256). Default 1 MiB; the negotiated value is min(this, HAProxy's). */
  maxFrameSize?: number;
  /** Capabilities to announce when HAProxy offers them. Default and only supported: `['pipelining']`. */
  capabilities?: readonly string[];
  logger?: SpopLogger;
  /** NOTIFYs in flight per connection before the socket stops being read (backpressure). Default 256. */
  maxInFlight?: number;
  /** Close (DISCONNECT 2) a connection that sent no HAPROXY-HELLO in this time. 0 disables. Default 10000. */
  helloTimeoutMs?: number;
  /** After our DISCONNECT / half-close, destroy the socket if the peer has not closed within this. Default 2000. */
  closeTimeoutMs?: number;
}

export interface SpopServer {
  /** The `net.Server` underneath (for `ref`/`unref` or extra listeners). */
  readonly netServer: Server;
  /** Open connections right now. */
  readonly connectionCount: number;
  /**
   * Starts listening (TCP port + host, default host 127.0.0.1 — unlike spoa-modsecurity, which binds every
   * interface — or any `net.ListenOptions`, e.g. `{ path }` for a unix socket). Port 0 picks a free port.
   */
  listen(port: number, host?: string): Promise<AddressInfo | string>;
  listen(options: ListenOptions): Promise<AddressInfo | string>;
  /** Serves an already connected socket (tests, socket activation, worker hand-off). */
  handleSocket(socket: Socket): void;
  /**
   * Stops accepting, lets every connection finish its in-flight NOTIFYs, then AGENT-DISCONNECT 0 and close.
   * Connections still open after `timeoutMs` (default 5000) are destroyed. Resolves when all are closed.
   */
  drain(options?: { timeoutMs?: number }): Promise<void>;
  /** Stops accepting and sends AGENT-DISCONNECT 0 on every connection now; resolves when all are closed. */
  close(): Promise<void>;
}

function positiveInt(name: string, v: number | undefined, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${v}`);
  return v;
}

/**
 * Creates an SPOP agent server.
 *
 * ```ts
 * const server = createSpopServer({
 *   onMessages: (messages, frame) => [{ type: 'set-var', scope: 'txn', name: 'code', value: spopValue.uint32(403) }],
 * });
 * await server.listen(12345);      // 127.0.0.1
 * // ...
 * await server.drain();
 * ```
 *
 * Throws `RangeError`/`TypeError` for invalid options, e.g. a capability that is not implemented
 * (`async`, `fragmentation`) — announcing one would make HAProxy send frames we cannot handle.
 */
export function createSpopServer(options: SpopServerOptions): SpopServer {
  if (typeof options.onMessages !== 'function') throw new TypeError('onMessages must be a function');
  const maxFrameSize = positiveInt('maxFrameSize', options.maxFrameSize, DEFAULT_MAX_FRAME_SIZE, MIN_MAX_FRAME_SIZE);
  if (maxFrameSize > 0xffffffff) throw new RangeError('maxFrameSize must fit in 32 bits');
  const capabilities = [...(options.capabilities ?? SUPPORTED_CAPABILITIES)];
  for (const c of capabilities) {
    if (!SUPPORTED_CAPABILITIES.includes(c)) {
      throw new TypeError(`SPOP capability "${c}" is not implemented (supported: ${SUPPORTED_CAPABILITIES.join(', ')})`);
    }
  }
  return new SpopServerImpl({
    maxFrameSize,
    capabilities,
    onMessages: options.onMessages,
    onHandlerError: options.onHandlerError,
    logger: options.logger ?? {},
    maxInFlight: positiveInt('maxInFlight', options.maxInFlight, 256, 1),
    helloTimeoutMs: positiveInt('helloTimeoutMs', options.helloTimeoutMs, 10_000, 0),
    closeTimeoutMs: positiveInt('closeTimeoutMs', options.closeTimeoutMs, 2_000, 1),
  });
}

class SpopServerImpl implements SpopServer {
  readonly netServer: Server;
  private readonly connections = new Set<SpopConnection>();
  private nextId = 1;
  private stopping = false;

  constructor(private readonly opts: ConstructorParameters<typeof SpopConnection>[2]) {
    this.netServer = createServer((socket) => this.handleSocket(socket));
    this.netServer.on('error', (err) => this.opts.logger.error?.('server error', { error: err.message }));
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  listen(portOrOptions: number | ListenOptions, host = '127.0.0.1'): Promise<AddressInfo | string> {
    const listenOpts: ListenOptions = typeof portOrOptions === 'number' ? { port: portOrOptions, host } : portOrOptions;
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.netServer.once('error', onError);
      this.netServer.listen(listenOpts, () => {
        this.netServer.off('error', onError);
        const addr = this.netServer.address();
        if (addr === null) reject(new Error('server is not listening'));
        else resolve(addr);
      });
    });
  }

  handleSocket(socket: Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    const conn = new SpopConnection(socket, this.nextId++, this.opts);
    this.connections.add(conn);
    void conn.closed.then(() => this.connections.delete(conn));
  }

  async drain(options: { timeoutMs?: number } = {}): Promise<void> {
    const stopped = this.stopListening();
    const all = [...this.connections];
    for (const c of all) c.drain();
    const timeoutMs = options.timeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    const closed = Promise.all(all.map((c) => c.closed));
    await Promise.race([closed, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    for (const c of this.connections) c.destroy();
    await Promise.all([closed, stopped]);
  }

  async close(): Promise<void> {
    const stopped = this.stopListening();
    const all = [...this.connections];
    for (const c of all) c.close();
    await Promise.all([...all.map((c) => c.closed), stopped]);
  }

  private stopListening(): Promise<void> {
    this.stopping = true;
    return new Promise((resolve) => {
      if (!this.netServer.listening) {
        resolve();
        return;
      }
      // net.Server#close waits for every accepted socket; ours close themselves (with a deadline).
      this.netServer.close(() => resolve());
    });
  }
}
