import {
  FrameReader,
  FrameType,
  SpopError,
  decodeActions,
  decodeFrameHeader,
  decodeHdrsBin,
  decodeKvList,
  decodeMessages,
  encodeKvFrame,
  encodeNotify,
  parseHdrsBin,
  spopValue,
  type RawFrame,
  type SpopAction,
  type SpopMessage,
} from '../src';
import { cleanup, client, disconnectOf, haproxyHelloKv, startServer } from './helpers/fake-haproxy';
import { loadFixtures } from './helpers/fixtures';
import { prng } from './helpers/prng';

const SEED = Number(process.env.SPOP_FUZZ_SEED ?? 20261122);
const haproxyFrames = loadFixtures()
  .filter((f) => f.json.direction === 'haproxy->agent' && f.bytes.length < 4096)
  .map((f) => f.bytes);
const allFrames = loadFixtures().map((f) => f.bytes);

type Rng = ReturnType<typeof prng>;

function mutate(r: Rng, src: Buffer): Buffer {
  let b = Buffer.from(src);
  const rounds = 1 + r.int(4);
  for (let i = 0; i < rounds; i++) {
    switch (r.int(7)) {
      case 0: {
        const at = r.int(b.length);
        b[at] = (b[at] as number) ^ (1 << r.int(8));
        break;
      }
      case 1:
        b[r.int(b.length)] = r.int(256);
        break;
      case 2:
        b = b.subarray(0, r.int(b.length + 1));
        break;
      case 3: {
        const at = r.int(b.length + 1);
        b = Buffer.concat([b.subarray(0, at), r.bytes(1 + r.int(8)), b.subarray(at)]);
        break;
      }
      case 4:
        if (b.length >= 4) b.writeUInt32BE(r.int(b.length * 2 + 8), 0);
        break;
      case 5:
        // Body bytes changed but the length prefix kept consistent: reaches the payload decoders.
        if (b.length > 4) b.writeUInt32BE(b.length - 4, 0);
        break;
      default:
        if (b.length > 4) b[4] = r.pick([0, 1, 2, 3, 4, 50, 101, 102, 103, 255]);
    }
  }
  return b;
}

function randomFrame(r: Rng): Buffer {
  const body = r.bytes(r.int(40));
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length, 0);
  return Buffer.concat([len, body]);
}

const MSG: SpopMessage[] = [{ name: 'check-request', args: [{ name: 'x', value: spopValue.int64(1) }] }];

describe('fuzz: codec', () => {
  it('only ever throws SpopError on random and mutated frames', () => {
    const r = prng(SEED);
    const failures: string[] = [];
    for (let i = 0; i < 4000; i++) {
      const input = r.next() < 0.8 ? mutate(r, r.pick(allFrames)) : randomFrame(r);
      try {
        const reader = new FrameReader(1 << 16);
        // Random split, so partial-frame paths are fuzzed as well.
        const cut = r.int(input.length + 1);
        const bodies: Buffer[] = [];
        for (const part of [input.subarray(0, cut), input.subarray(cut)]) {
          reader.push(part);
          for (let b = reader.next(); b !== undefined; b = reader.next()) bodies.push(b);
        }
        for (const body of bodies) {
          const f = decodeFrameHeader(body);
          for (const decode of [decodeKvList, decodeMessages, decodeActions, parseHdrsBin]) {
            try {
              decode(f.payload);
            } catch (err) {
              if (!(err instanceof SpopError)) throw err;
            }
          }
          try {
            decodeHdrsBin(f.payload);
          } catch (err) {
            if (!(err instanceof SpopError)) throw err;
          }
        }
      } catch (err) {
        if (!(err instanceof SpopError)) failures.push(`#${i} ${input.toString('hex')}: ${String(err)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('fuzz: server', () => {
  afterEach(cleanup);

  it(`never throws, never hangs: every connection ends (seed ${SEED})`, async () => {
    const r = prng(SEED);
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown): void => {
      uncaught.push(e);
    };
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    const handlerRng = prng(SEED ^ 0x5bd1e995);
    const { server, port } = await startServer({
      maxFrameSize: 8192,
      helloTimeoutMs: 1000,
      onMessages: (): SpopAction[] | Promise<SpopAction[]> => {
        const mode = handlerRng.int(10);
        if (mode === 0) throw new Error('handler failure');
        const actions: SpopAction[] = [{ type: 'set-var', scope: 'txn', name: 'code', value: spopValue.uint32(403) }];
        if (mode < 5) return actions;
        return new Promise((res) => setTimeout(() => res(actions), handlerRng.int(5)));
      },
    });
    const problems: string[] = [];
    const stats = new Map<string, number>();

    const runOne = async (id: number): Promise<void> => {
      const c = await client(port);
      const parts: Buffer[] = [];
      if (r.next() < 0.85) parts.push(encodeKvFrame(FrameType.HaproxyHello, haproxyHelloKv()));
      else parts.push(mutate(r, encodeKvFrame(FrameType.HaproxyHello, haproxyHelloKv())));
      const n = r.int(7);
      for (let i = 0; i < n; i++) {
        const p = r.next();
        if (p < 0.4) parts.push(encodeNotify(r.int(1000), 1 + r.int(3), MSG));
        else if (p < 0.8) parts.push(mutate(r, r.pick(haproxyFrames)));
        else if (p < 0.9) parts.push(randomFrame(r));
        else if (p < 0.95) parts.push(encodeKvFrame(FrameType.HaproxyDisconnect, []));
        else parts.push(r.bytes(1 + r.int(20)));
      }
      const stream = Buffer.concat(parts);
      for (let pos = 0; pos < stream.length; ) {
        const len = 1 + r.int(300);
        c.send(stream.subarray(pos, pos + len));
        pos += len;
        if (r.next() < 0.3) await new Promise((res) => setImmediate(res));
      }
      const ending = r.int(3); // 0: wait for the agent, 1: FIN, 2: RST
      await new Promise((res) => setTimeout(res, 30));
      if (ending === 1) c.socket.end();
      if (ending === 2) c.socket.resetAndDestroy();
      if (ending !== 2) {
        let closed = false;
        void c.closed.then(() => (closed = true));
        const sawDisconnect = (): boolean => c.frames.some((f) => f.type === FrameType.AgentDisconnect);
        try {
          // The agent must close on its own after a DISCONNECT; after our FIN in any case.
          await c.until(() => closed || c.ended || (ending === 0 && !sawDisconnect()), 'close', 2500);
        } catch {
          problems.push(`conn ${id}: not closed in time`);
        }
        if (!closed && !c.ended) {
          // Valid traffic, agent still waiting: that is correct. Now end it and require the close.
          c.socket.end();
          try {
            await c.until(() => closed || c.ended, 'close after FIN', 2500);
          } catch {
            problems.push(`conn ${id}: not closed after FIN`);
          }
        }
        checkAgentFrames(id, c.frames, problems);
        for (const f of c.frames) {
          const key = f.type === FrameType.AgentDisconnect ? `disconnect-${String(disconnectOf(f).status)}` : String(f.type);
          stats.set(key, (stats.get(key) ?? 0) + 1);
        }
      }
      c.destroy();
    };

    const CONNECTIONS = 240;
    const BATCH = 12;
    for (let i = 0; i < CONNECTIONS; i += BATCH) {
      await Promise.all(Array.from({ length: Math.min(BATCH, CONNECTIONS - i) }, (_, k) => runOne(i + k)));
    }
    const deadline = Date.now() + 3000;
    while (server.connectionCount > 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 10));
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
    expect(problems).toEqual([]);
    expect(uncaught).toEqual([]);
    expect(server.connectionCount).toBe(0);
    // The run must have reached the interesting paths, not just bounced off the first byte.
    expect(stats.get(String(FrameType.Ack)) ?? 0).toBeGreaterThan(20);
    for (const status of [0, 3, 4, 10, 99]) expect(stats.get(`disconnect-${status}`) ?? 0).toBeGreaterThan(0);
    if (process.env.SPOP_FUZZ_STATS !== undefined) console.log(Object.fromEntries(stats));
  }, 60_000);
});

/** What the agent sent must itself be valid: AGENT-HELLO first, then ACKs, at most one DISCONNECT, last. */
function checkAgentFrames(id: number, frames: RawFrame[], problems: string[]): void {
  frames.forEach((f, i) => {
    try {
      if (f.type === FrameType.AgentHello) {
        if (i !== 0) problems.push(`conn ${id}: AGENT-HELLO at position ${i}`);
        decodeKvList(f.payload);
      } else if (f.type === FrameType.Ack) {
        if (i === 0) problems.push(`conn ${id}: ACK before AGENT-HELLO`);
        decodeActions(f.payload);
      } else if (f.type === FrameType.AgentDisconnect) {
        if (i !== frames.length - 1) problems.push(`conn ${id}: frames after AGENT-DISCONNECT`);
        const { status } = disconnectOf(f);
        if (typeof status !== 'number') problems.push(`conn ${id}: DISCONNECT without status`);
      } else {
        problems.push(`conn ${id}: unexpected frame type ${f.type}`);
      }
    } catch (err) {
      problems.push(`conn ${id}: undecodable agent frame: ${String(err)}`);
    }
  });
}
