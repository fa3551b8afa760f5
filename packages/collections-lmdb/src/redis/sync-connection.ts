import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { RespReader, encodeCommand, type RespReply } from './resp';

/**
 * The socket side, run in a worker thread: it only moves bytes, so it needs no parser, and it wakes the
 * blocked main thread through a shared counter after every message it posts.
 */
const WORKER_SOURCE = `
const net = require('node:net');
const { workerData } = require('node:worker_threads');
const { port, host, tcpPort, signal } = workerData;
const wake = new Int32Array(signal);
let socket;
function post(message) {
  port.postMessage(message);
  Atomics.add(wake, 0, 1);
  Atomics.notify(wake, 0);
}
function forget() {
  const s = socket;
  socket = undefined;
  if (s) s.destroy();
}
port.on('message', (m) => {
  if (m.type === 'connect') {
    forget();
    const s = net.connect({ host, port: tcpPort });
    const gen = m.gen;
    socket = s;
    s.setNoDelay(true);
    s.on('connect', () => post({ type: 'connected', gen }));
    s.on('data', (chunk) => post({ type: 'data', gen, chunk }));
    s.on('error', (e) => { if (socket === s) { forget(); post({ type: 'error', gen, message: e.message }); } });
    s.on('close', () => { if (socket === s) { forget(); post({ type: 'error', gen, message: 'connection closed' }); } });
  } else if (m.type === 'write') {
    if (socket) socket.write(Buffer.from(m.bytes));
    else post({ type: 'error', gen: m.gen, message: 'not connected' });
  } else if (m.type === 'drop') {
    forget();
  } else if (m.type === 'exit') {
    forget();
    port.close();
  }
});
`;

export interface SyncConnectionOptions {
  host: string;
  port: number;
  /** How long a call may block the calling thread, in milliseconds. */
  timeoutMs: number;
  /**
   * After a failed connection or a timeout, calls fail at once for this long instead of blocking on a dead
   * server for every request. Default 1000.
   */
  reconnectDelayMs?: number;
}

/**
 * A blocking Redis connection for the synchronous CollectionStore contract: the calling thread posts the
 * command bytes to a worker thread that owns the socket and sleeps in `Atomics.wait` until the replies are in.
 * Every call therefore blocks its thread for one network round trip (bounded by `timeoutMs`).
 */
export class SyncRedisConnection {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly wake: Int32Array;
  private reader = new RespReader();
  private connected = false;
  /** Tags each connection's messages, so bytes from a dropped connection never reach the next one's parser. */
  private generation = 0;
  private retryAfter = 0;
  private closed = false;

  constructor(private readonly options: SyncConnectionOptions) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const signal = new SharedArrayBuffer(4);
    this.wake = new Int32Array(signal);
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { port: port2, host: options.host, tcpPort: options.port, signal },
      transferList: [port2],
    });
    this.worker.unref();
    this.port.unref();
  }

  /** Sends the commands as one pipeline and returns their replies, in order. Throws on I/O failure or timeout. */
  call(commands: readonly (readonly string[])[]): RespReply[] {
    if (this.closed) throw new Error('connection closed');
    if (!this.connected) {
      if (performance.now() < this.retryAfter) throw new Error(`${this.options.host}:${this.options.port} is down; not retrying yet`);
      this.connect();
    }
    const bytes = Buffer.concat(commands.map((c) => encodeCommand(c)));
    this.port.postMessage({ type: 'write', gen: this.generation, bytes });
    const replies: RespReply[] = [];
    try {
      this.waitFor(() => {
        for (let r = this.reader.next(); r; r = this.reader.next()) replies.push(r.reply);
        return replies.length >= commands.length;
      });
    } catch (e) {
      // Late replies would answer the next call: the stream is no longer usable.
      this.drop();
      throw e;
    }
    if (replies.length > commands.length) {
      this.drop();
      throw new Error('unexpected extra replies');
    }
    return replies;
  }

  /** Forgets the connection (and any WATCH / MULTI state on it); the next call reconnects at once. */
  reset(): void {
    if (!this.connected) return;
    this.drop();
    this.retryAfter = 0;
  }

  close(): Promise<number> {
    this.closed = true;
    this.port.postMessage({ type: 'exit' });
    return this.worker.terminate();
  }

  private connect(): void {
    this.reader = new RespReader();
    this.generation++;
    this.port.postMessage({ type: 'connect', gen: this.generation });
    try {
      this.waitFor(() => this.connected);
    } catch (e) {
      this.drop();
      throw e;
    }
  }

  private drop(): void {
    this.retryAfter = performance.now() + (this.options.reconnectDelayMs ?? 1000);
    this.connected = false;
    this.reader = new RespReader();
    this.generation++;
    this.port.postMessage({ type: 'drop' });
  }

  /** Blocks until `done()` holds after draining the worker's messages, or throws on error or timeout. */
  private waitFor(done: () => boolean): void {
    const deadline = performance.now() + this.options.timeoutMs;
    for (;;) {
      const seen = Atomics.load(this.wake, 0);
      for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) this.handle(m.message);
      if (done()) return;
      const remaining = deadline - performance.now();
      if (remaining <= 0) throw new Error(`no answer from ${this.options.host}:${this.options.port} within ${this.options.timeoutMs} ms`);
      Atomics.wait(this.wake, 0, seen, remaining);
    }
  }

  private handle(message: { type: string; gen: number; chunk?: Uint8Array; message?: string }): void {
    if (message.gen !== this.generation) return;
    switch (message.type) {
      case 'connected':
        this.connected = true;
        break;
      case 'data':
        this.reader.feed(message.chunk!);
        break;
      case 'error':
        this.connected = false;
        throw new Error(`${this.options.host}:${this.options.port}: ${message.message ?? 'connection failed'}`);
    }
  }
}
