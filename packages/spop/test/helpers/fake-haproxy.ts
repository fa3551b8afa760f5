import { connect, type Socket } from 'node:net';
import {
  FrameReader,
  FrameType,
  createSpopServer,
  decodeFrameHeader,
  decodeKvList,
  encodeKvFrame,
  kvGet,
  spopValue,
  type RawFrame,
  type SpopKv,
  type SpopServer,
  type SpopServerOptions,
} from '../../src';

/**
 * Plays HAProxy's side of an SPOP connection over a real socket: sends frames, collects the agent's frames
 * in order, and records how the connection ended.
 */
export class FakeHaproxy {
  readonly frames: RawFrame[] = [];
  readonly closed: Promise<void>;
  ended = false;
  error: Error | undefined;
  private readonly reader = new FrameReader(1 << 24);
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: Socket) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => {
      this.reader.push(chunk);
      for (let b = this.reader.next(); b !== undefined; b = this.reader.next()) this.frames.push(decodeFrameHeader(b));
      this.wake();
    });
    socket.on('end', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', (err) => {
      this.error = err;
    });
    socket.on('close', () => this.wake());
  }

  static connect(port: number): Promise<FakeHaproxy> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host: '127.0.0.1' }, () => resolve(new FakeHaproxy(s)));
      s.once('error', reject);
    });
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Waits until `pred` holds (checked on every received frame / end / close), or fails after `ms`. */
  async until(pred: () => boolean, what: string, ms = 3000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!pred()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${this.frames.length} frames`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits for the n-th (1-based) received frame. */
  async frame(n: number): Promise<RawFrame> {
    await this.until(() => this.frames.length >= n, `frame #${n}`);
    return this.frames[n - 1] as RawFrame;
  }

  /** Waits for the agent to close its side; resolves with the frames received. */
  async waitClosed(ms = 3000): Promise<RawFrame[]> {
    let done = false;
    void this.closed.then(() => (done = true));
    await this.until(() => done || this.ended, 'the agent to close', ms);
    return this.frames;
  }

  /** Sends a HAPROXY-HELLO (HAProxy 2.6 style by default) and returns the AGENT-HELLO's KV list. */
  async hello(kv: SpopKv[] = haproxyHelloKv()): Promise<SpopKv[]> {
    const before = this.frames.length;
    this.send(encodeKvFrame(FrameType.HaproxyHello, kv));
    const f = await this.frame(before + 1);
    if (f.type !== FrameType.AgentHello) throw new Error(`expected AGENT-HELLO, got type ${f.type}`);
    return decodeKvList(f.payload);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }
}

export function haproxyHelloKv(over: { capabilities?: string; maxFrameSize?: number; version?: string } = {}): SpopKv[] {
  return [
    { name: 'supported-versions', value: spopValue.string(over.version ?? '2.0') },
    { name: 'max-frame-size', value: spopValue.uint32(over.maxFrameSize ?? 16380) },
    { name: 'capabilities', value: spopValue.string(over.capabilities ?? 'pipelining,async') },
    { name: 'engine-id', value: spopValue.string('b34c2fc5-9fd7-4cc1-945e-4d8e7e8cd054') },
  ];
}

/** Status code and message of a DISCONNECT frame. */
export function disconnectOf(f: RawFrame): { status: unknown; message: unknown } {
  const kv = decodeKvList(f.payload);
  const s = kvGet(kv, 'status-code');
  const m = kvGet(kv, 'message');
  return {
    status: s !== undefined && 'value' in s ? s.value : undefined,
    message: m !== undefined && 'value' in m ? m.value : undefined,
  };
}

const servers: SpopServer[] = [];
const clients: FakeHaproxy[] = [];

/** A server on 127.0.0.1:<ephemeral>; closed by `cleanup()` (call it in afterEach). */
export async function startServer(opts: SpopServerOptions): Promise<{ server: SpopServer; port: number }> {
  const server = createSpopServer({ closeTimeoutMs: 500, ...opts });
  servers.push(server);
  const addr = await server.listen(0);
  if (typeof addr === 'string') throw new Error('expected a TCP address');
  return { server, port: addr.port };
}

export async function client(port: number): Promise<FakeHaproxy> {
  const c = await FakeHaproxy.connect(port);
  clients.push(c);
  return c;
}

export async function cleanup(): Promise<void> {
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
}
