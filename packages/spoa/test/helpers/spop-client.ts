import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import * as path from 'node:path';
import {
  FrameReader,
  FrameType,
  decodeActions,
  decodeFrame,
  decodeFrameHeader,
  decodeKvList,
  decodeMessages,
  encodeKvFrame,
  encodeNotify,
  encodeVarint,
  spopValue,
  type RawFrame,
  type SpopAction,
  type SpopKv,
  type SpopMessage,
} from '@rampart/spop';

export const FIXTURES = path.resolve(__dirname, '../../../../../shared/spop-fixtures');

/** The messages of a recorded NOTIFY fixture (`10-notify-get-root`, ...). */
export function fixtureMessages(name: string): SpopMessage[] {
  const hex = readFileSync(path.join(FIXTURES, `${name}.hex`), 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('')
    .replace(/\s+/g, '');
  const frame = decodeFrame(Buffer.from(hex, 'hex'));
  return decodeMessages(frame.payload);
}

/** Plays HAProxy: HELLO, NOTIFYs, and the agent's frames as they come. */
export class SpopClient {
  readonly frames: RawFrame[] = [];
  private readonly reader = new FrameReader(1 << 20);
  private nextStream = 0;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.reader.push(chunk);
      for (let b = this.reader.next(); b !== undefined; b = this.reader.next()) this.frames.push(decodeFrameHeader(b));
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number): Promise<SpopClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host: '127.0.0.1' }, () => resolve(new SpopClient(s)));
      s.once('error', reject);
    });
  }

  private async waitFrame(pred: (f: RawFrame) => boolean, ms: number, what: string): Promise<RawFrame> {
    const deadline = Date.now() + ms;
    for (;;) {
      const f = this.frames.find(pred);
      if (f) return f;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async hello(ms = 10_000): Promise<SpopKv[]> {
    this.socket.write(
      encodeKvFrame(FrameType.HaproxyHello, [
        { name: 'supported-versions', value: spopValue.string('2.0') },
        { name: 'max-frame-size', value: spopValue.uint32(16380) },
        { name: 'capabilities', value: spopValue.string('pipelining,async') },
      ]),
    );
    const f = await this.waitFrame((x) => x.type === FrameType.AgentHello, ms, 'AGENT-HELLO');
    return decodeKvList(f.payload);
  }

  /** Sends one NOTIFY and returns its ACK's actions. */
  async notify(messages: SpopMessage[], ms = 5000): Promise<SpopAction[]> {
    const sid = this.nextStream++;
    this.socket.write(encodeNotify(sid, 1, messages));
    const f = await this.waitFrame((x) => x.type === FrameType.Ack && x.streamId === sid, ms, `ACK of stream ${sid}`);
    return decodeActions(f.payload);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The variables of an ACK as name -> plain value (numbers for ints, strings for strings). */
export function varsOf(actions: readonly SpopAction[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const a of actions) {
    if (a.type !== 'set-var') continue;
    const v = a.value;
    if (v.type === 'string') out[a.name] = v.value;
    else if (v.type === 'int32' || v.type === 'uint32') out[a.name] = v.value;
    else if (v.type === 'int64' || v.type === 'uint64') out[a.name] = Number(v.value);
    else if (v.type === 'bool') out[a.name] = v.value;
  }
  return out;
}

/** A check-request message with the 12-arg layout (FireBurn's), as HAProxy sends it. */
export function checkRequest(o: { method?: string; path?: string; query?: string | null; headers?: Array<[string, string]>; body?: string; bodySize?: number; uniqueId?: string }): SpopMessage {
  const hdrs: Buffer[] = [];
  const str = (s: string): Buffer => {
    const b = Buffer.from(s, 'latin1');
    return Buffer.concat([encodeVarint(b.length), b]);
  };
  for (const [n, v] of o.headers ?? [['host', 'localhost']]) hdrs.push(str(n), str(v));
  hdrs.push(Buffer.from([0, 0]));
  const body = Buffer.from(o.body ?? '', 'latin1');
  return {
    name: 'check-request',
    args: [
      spopValue.string(o.uniqueId ?? ''),
      spopValue.ipv4('127.0.0.1'),
      spopValue.int64(40000),
      spopValue.ipv4('127.0.0.1'),
      spopValue.int64(8080),
      spopValue.string(o.method ?? 'GET'),
      spopValue.string(o.path ?? '/'),
      o.query === undefined || o.query === null ? spopValue.null() : spopValue.string(o.query),
      spopValue.string('1.1'),
      spopValue.binary(Buffer.concat(hdrs)),
      spopValue.int64(o.bodySize ?? body.length),
      spopValue.binary(body),
    ].map((value) => ({ name: '', value })),
  };
}
