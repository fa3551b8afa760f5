import { createServer, type AddressInfo } from 'node:net';
import {
  FrameFlag,
  FrameType,
  SpopError,
  createSpopServer,
  decodeActions,
  decodeKvList,
  encodeKvFrame,
  encodeNotify,
  kvGet,
  spopValue,
  type SpopAction,
  type SpopFrameInfo,
  type SpopKv,
  type SpopLogger,
  type SpopMessage,
} from '../src';
import { cleanup, client, disconnectOf, haproxyHelloKv, startServer } from './helpers/fake-haproxy';
import { loadFixtures } from './helpers/fixtures';

const fixtures = new Map(loadFixtures().map((f) => [f.name.slice(0, 2), f.bytes]));
function fixture(prefix: string): Buffer {
  const b = fixtures.get(prefix);
  if (b === undefined) throw new Error(`no fixture ${prefix}`);
  return b;
}

const MSG: SpopMessage[] = [{ name: 'check-request', args: [{ name: '', value: spopValue.string('GET') }] }];
const noop = (): SpopAction[] => [];
const setCode = (code: number): SpopAction => ({ type: 'set-var', scope: 'txn', name: 'code', value: spopValue.uint32(code) });

afterEach(cleanup);

describe('HELLO negotiation', () => {
  it('answers a recorded HAProxy 2.6 HELLO with version 2.0, min(max-frame-size) and pipelining only', async () => {
    const { port } = await startServer({ onMessages: noop });
    const c = await client(port);
    c.send(fixture('01'));
    const f = await c.frame(1);
    expect(f.type).toBe(FrameType.AgentHello);
    expect([f.fin, f.streamId, f.frameId]).toEqual([true, 0, 0]);
    const kv = decodeKvList(f.payload);
    expect(kv).toEqual([
      { name: 'version', value: spopValue.string('2.0') },
      { name: 'max-frame-size', value: spopValue.uint32(16380) },
      { name: 'capabilities', value: spopValue.string('pipelining') },
    ]);
  });

  it('answers a recorded HAProxy 3.4 HELLO the same way', async () => {
    const { port } = await startServer({ onMessages: noop });
    const c = await client(port);
    c.send(fixture('50'));
    const kv = decodeKvList((await c.frame(1)).payload);
    expect(kvGet(kv, 'capabilities')).toEqual(spopValue.string('pipelining'));
    expect(kvGet(kv, 'max-frame-size')).toEqual(spopValue.uint32(16380));
  });

  it('announces our own max-frame-size when it is smaller, and enforces it', async () => {
    const { port } = await startServer({ onMessages: noop, maxFrameSize: 1000 });
    const c = await client(port);
    const kv = await c.hello(haproxyHelloKv({ maxFrameSize: 65532 }));
    expect(kvGet(kv, 'max-frame-size')).toEqual(spopValue.uint32(1000));
    c.send(encodeNotify(1, 1, [{ name: 'm', args: [{ name: 'b', value: spopValue.binary(Buffer.alloc(1000)) }] }]));
    const f = await c.frame(2);
    expect(f.type).toBe(FrameType.AgentDisconnect);
    expect(disconnectOf(f)).toEqual({ status: 3, message: 'frame is too big' });
    await c.waitClosed();
  });

  it('accepts keys in any order, skips unknown keys, and any integer type for max-frame-size', async () => {
    const { port } = await startServer({ onMessages: noop });
    const c = await client(port);
    const kv = await c.hello([
      { name: 'x-future', value: spopValue.binary(Buffer.from('zz')) },
      { name: 'capabilities', value: spopValue.string(' async , pipelining ') },
      { name: 'max-frame-size', value: spopValue.int64(4096) },
      { name: 'supported-versions', value: spopValue.string('1.0, 2.0') },
    ]);
    expect(kvGet(kv, 'max-frame-size')).toEqual(spopValue.uint32(4096));
    expect(kvGet(kv, 'capabilities')).toEqual(spopValue.string('pipelining'));
  });

  it('does not announce pipelining when HAProxy does not offer it', async () => {
    const { port } = await startServer({ onMessages: noop });
    const c = await client(port);
    const kv = await c.hello(haproxyHelloKv({ capabilities: '' }));
    expect(kvGet(kv, 'capabilities')).toEqual(spopValue.string(''));
  });

  const bad: Array<[string, SpopKv[], number]> = [
    ['no supported-versions', haproxyHelloKv().filter((e) => e.name !== 'supported-versions'), 5],
    ['no max-frame-size', haproxyHelloKv().filter((e) => e.name !== 'max-frame-size'), 6],
    ['no capabilities', haproxyHelloKv().filter((e) => e.name !== 'capabilities'), 7],
    ['only version 1.0', haproxyHelloKv({ version: '1.0' }), 8],
    ['only version 3.0', haproxyHelloKv({ version: '3.0' }), 8],
    ['max-frame-size below 256', haproxyHelloKv({ maxFrameSize: 255 }), 9],
  ];
  it.each(bad)('refuses a HELLO with %s (DISCONNECT %d)', async (_what, kv, status) => {
    const { port } = await startServer({ onMessages: noop });
    const c = await client(port);
    c.send(encodeKvFrame(FrameType.HaproxyHello, kv));
    const frames = await c.waitClosed();
    expect(frames).toHaveLength(1);
    expect(frames[0]?.type).toBe(FrameType.AgentDisconnect);
    expect(disconnectOf(frames[0]!).status).toBe(status);
  });

  it('answers a health-check HELLO and closes without waiting for anything else', async () => {
    const onMessages = jest.fn(noop);
    const { server, port } = await startServer({ onMessages });
    const c = await client(port);
    c.send(fixture('02'));
    const frames = await c.waitClosed();
    expect(frames.map((f) => f.type)).toEqual([FrameType.AgentHello]);
    expect(kvGet(decodeKvList(frames[0]!.payload), 'version')).toEqual(spopValue.string('2.0'));
    await c.closed;
    await waitFor(() => server.connectionCount === 0);
    expect(onMessages).not.toHaveBeenCalled();
  });

  it('closes with DISCONNECT 2 when no HELLO arrives in time', async () => {
    const { port } = await startServer({ onMessages: noop, helloTimeoutMs: 50 });
    const c = await client(port);
    const frames = await c.waitClosed();
    expect(frames.map((f) => disconnectOf(f).status)).toEqual([2]);
  });

  it('refuses a second HELLO and a HELLO with non-zero ids (DISCONNECT 4)', async () => {
    const { port } = await startServer({ onMessages: noop });
    const c = await client(port);
    await c.hello();
    c.send(encodeKvFrame(FrameType.HaproxyHello, haproxyHelloKv()));
    expect(disconnectOf(await c.frame(2)).status).toBe(4);

    const d = await client(port);
    const hello = encodeKvFrame(FrameType.HaproxyHello, haproxyHelloKv());
    hello[9] = 1; // stream-id varint
    d.send(hello);
    expect(disconnectOf(await d.frame(1)).status).toBe(4);
  });
});

describe('NOTIFY / ACK', () => {
  it('ACKs a recorded 2.6 NOTIFY (sid 0) with the handler\'s actions and the same ids', async () => {
    const seen: Array<[SpopMessage[], SpopFrameInfo]> = [];
    const { port } = await startServer({
      onMessages: (m, f) => {
        seen.push([m, f]);
        return [setCode(403)];
      },
    });
    const c = await client(port);
    c.send(fixture('01'));
    await c.frame(1);
    c.send(fixture('10'));
    const ack = await c.frame(2);
    expect(ack.type).toBe(FrameType.Ack);
    expect([ack.fin, ack.streamId, ack.frameId]).toEqual([true, 0, 1]);
    expect(decodeActions(ack.payload)).toEqual([setCode(403)]);
    expect(seen).toHaveLength(1);
    const [messages, frame] = seen[0]!;
    expect(messages.map((m) => [m.name, m.args.length])).toEqual([['check-request', 12]]);
    expect(messages[0]!.args[6]!.value).toEqual(spopValue.string('/'));
    expect([frame.streamId, frame.frameId, frame.connection.hello?.engineId]).toEqual([0, 1, 'b34c2fc5-9fd7-4cc1-945e-4d8e7e8cd054']);
  });

  it('serves HAProxy 3.4 frames (odd stream ids) and sends empty ACKs', async () => {
    const { port } = await startServer({ onMessages: async () => [] });
    const c = await client(port);
    c.send(Buffer.concat([fixture('50'), fixture('51'), fixture('52'), fixture('53')]));
    await c.frame(4);
    const acks = c.frames.slice(1);
    expect(acks.map((a) => [a.type, a.streamId, a.frameId, a.payload.length])).toEqual([
      [FrameType.Ack, 1, 1, 0],
      [FrameType.Ack, 9, 1, 0],
      [FrameType.Ack, 5, 1, 0],
    ]);
  });

  it('processes 100 pipelined NOTIFYs concurrently and ACKs each exactly once, out of order', async () => {
    let active = 0;
    let maxActive = 0;
    const { port } = await startServer({
      onMessages: async (_m, f) => {
        active++;
        maxActive = Math.max(maxActive, active);
        const sid = Number(f.streamId);
        // Later streams finish first.
        await new Promise((r) => setTimeout(r, 2 + (200 - sid) / 10));
        active--;
        return [{ type: 'set-var', scope: 'txn', name: 'sid', value: spopValue.int64(sid) }];
      },
    });
    const c = await client(port);
    await c.hello(haproxyHelloKv({ capabilities: 'pipelining' }));
    const sids = Array.from({ length: 100 }, (_, i) => 2 * i + 1);
    c.send(Buffer.concat(sids.map((sid) => encodeNotify(sid, 1, MSG))));
    await c.until(() => c.frames.length >= 101, '100 ACKs');
    await new Promise((r) => setTimeout(r, 50)); // no duplicates trickling in
    const acks = c.frames.slice(1);
    expect(acks).toHaveLength(100);
    const ackSids = acks.map((a) => Number(a.streamId));
    expect([...ackSids].sort((a, b) => a - b)).toEqual(sids);
    expect(ackSids).not.toEqual(sids);
    for (const a of acks) {
      expect(a.type).toBe(FrameType.Ack);
      expect(decodeActions(a.payload)).toEqual([{ type: 'set-var', scope: 'txn', name: 'sid', value: spopValue.int64(Number(a.streamId)) }]);
    }
    expect(maxActive).toBeGreaterThan(1);
  });

  it('bounds handler concurrency per connection with maxInFlight', async () => {
    let active = 0;
    let maxActive = 0;
    let open: () => void = () => undefined;
    const gate = new Promise<void>((r) => (open = r));
    const { port } = await startServer({
      maxInFlight: 3,
      onMessages: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await gate;
        active--;
        return [];
      },
    });
    const c = await client(port);
    await c.hello();
    c.send(Buffer.concat(Array.from({ length: 20 }, (_, i) => encodeNotify(i, 1, MSG))));
    await waitFor(() => active === 3);
    await new Promise((r) => setTimeout(r, 50)); // no 4th handler may start meanwhile
    expect(maxActive).toBe(3);
    expect(c.frames).toHaveLength(1);
    open();
    await c.until(() => c.frames.length >= 21, '20 ACKs');
    expect(maxActive).toBe(3);
    expect(c.frames.slice(1).map((f) => Number(f.streamId)).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('answers synchronous handlers too, and echoes 64-bit ids', async () => {
    const { port } = await startServer({ onMessages: () => [setCode(1)] });
    const c = await client(port);
    await c.hello();
    const sid = 2n ** 63n + 7n;
    c.send(encodeNotify(sid, 2n ** 40n, MSG));
    const ack = await c.frame(2);
    expect(ack.streamId).toBe(sid);
    expect(ack.frameId).toBe(2 ** 40);
  });

  it('skips unknown frame types and keeps serving', async () => {
    const { port } = await startServer({ onMessages: () => [] });
    const c = await client(port);
    await c.hello();
    c.send(encodeKvFrame(50, [{ name: 'x', value: spopValue.null() }]));
    c.send(encodeNotify(3, 1, MSG));
    const ack = await c.frame(2);
    expect([ack.type, ack.streamId]).toEqual([FrameType.Ack, 3]);
  });

  it('rejects a NOTIFY before HELLO with DISCONNECT 4', async () => {
    const onMessages = jest.fn(noop);
    const { port } = await startServer({ onMessages });
    const c = await client(port);
    c.send(fixture('10'));
    const frames = await c.waitClosed();
    expect(frames.map((f) => [f.type, disconnectOf(f).status])).toEqual([[FrameType.AgentDisconnect, 4]]);
    expect(onMessages).not.toHaveBeenCalled();
  });
});

describe('handler failures', () => {
  it('disconnects with 99 when the handler throws and no onHandlerError is set', async () => {
    const errors: string[] = [];
    const logger: SpopLogger = { error: (m) => errors.push(m) };
    const { port } = await startServer({
      logger,
      onMessages: () => {
        throw new Error('boom');
      },
    });
    const c = await client(port);
    await c.hello();
    c.send(encodeNotify(1, 1, MSG));
    const f = await c.frame(2);
    expect([f.type, disconnectOf(f).status]).toEqual([FrameType.AgentDisconnect, 99]);
    expect(errors).toContain('NOTIFY handler failed');
    await c.waitClosed();
  });

  it('ACKs with onHandlerError\'s actions when the handler rejects or returns garbage', async () => {
    const { port } = await startServer({
      onMessages: async (_m, f) => {
        if (f.streamId === 1) throw new Error('nope');
        return 'not an array' as never;
      },
      onHandlerError: (err) => [{ type: 'set-var', scope: 'txn', name: 'error', value: spopValue.string(String((err as Error).message)) }],
    });
    const c = await client(port);
    await c.hello();
    c.send(Buffer.concat([encodeNotify(1, 1, MSG), encodeNotify(3, 1, MSG)]));
    await c.frame(3);
    const byId = new Map(c.frames.slice(1).map((f) => [f.streamId, decodeActions(f.payload)]));
    expect(byId.get(1)).toEqual([{ type: 'set-var', scope: 'txn', name: 'error', value: spopValue.string('nope') }]);
    expect(byId.get(3)).toEqual([
      { type: 'set-var', scope: 'txn', name: 'error', value: spopValue.string('handler must return an array of actions') },
    ]);
  });

  it('disconnects with 3 when the ACK would exceed the negotiated max-frame-size', async () => {
    const { port } = await startServer({
      onMessages: () => [{ type: 'set-var', scope: 'txn', name: 'data', value: spopValue.string('x'.repeat(400)) }],
    });
    const c = await client(port);
    await c.hello(haproxyHelloKv({ maxFrameSize: 256 }));
    c.send(encodeNotify(1, 1, MSG));
    expect(disconnectOf(await c.frame(2)).status).toBe(3);
  });

  it('survives a logger that throws', async () => {
    const boom = (): void => {
      throw new Error('logger down');
    };
    const { port } = await startServer({ onMessages: () => [], logger: { debug: boom, info: boom, warn: boom, error: boom } });
    const c = await client(port);
    await c.hello();
    c.send(encodeNotify(1, 1, MSG));
    expect((await c.frame(2)).type).toBe(FrameType.Ack);
  });
});

describe('DISCONNECT and abrupt ends', () => {
  it('answers a recorded HAPROXY-DISCONNECT with AGENT-DISCONNECT 0 "normal" and closes', async () => {
    const infos: Array<Record<string, unknown> | undefined> = [];
    const { port } = await startServer({ onMessages: noop, logger: { info: (_m, f) => infos.push(f) } });
    const c = await client(port);
    await c.hello();
    c.send(fixture('40'));
    const frames = await c.waitClosed();
    expect(frames.slice(1).map((f) => [f.type, f.streamId, f.frameId, disconnectOf(f)])).toEqual([
      [FrameType.AgentDisconnect, 0, 0, { status: 0, message: 'normal' }],
    ]);
    expect(infos[0]).toMatchObject({ status: 0, message: 'normal' });
  });

  it('answers a DISCONNECT received before HELLO (HAProxy refusing us)', async () => {
    const { port } = await startServer({ onMessages: noop });
    const c = await client(port);
    c.send(fixture('42'));
    const frames = await c.waitClosed();
    expect(frames.map((f) => disconnectOf(f).status)).toEqual([0]);
  });

  it('server.close() sends AGENT-DISCONNECT 0 on every connection', async () => {
    const { server, port } = await startServer({ onMessages: noop });
    const a = await client(port);
    const b = await client(port);
    await a.hello();
    await b.hello();
    await server.close();
    for (const c of [a, b]) {
      const frames = await c.waitClosed();
      expect(frames.slice(1).map((f) => [f.type, disconnectOf(f).status])).toEqual([[FrameType.AgentDisconnect, 0]]);
    }
    expect(server.connectionCount).toBe(0);
  });

  it('server.drain() ACKs in-flight NOTIFYs before disconnecting', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let called = false;
    const { server, port } = await startServer({
      onMessages: async () => {
        called = true;
        await gate;
        return [setCode(7)];
      },
    });
    const c = await client(port);
    await c.hello();
    c.send(encodeNotify(1, 1, MSG));
    await waitFor(() => called);
    const drained = server.drain({ timeoutMs: 2000 });
    await new Promise((r) => setTimeout(r, 20));
    expect(c.frames).toHaveLength(1); // still waiting on the handler
    release();
    await drained;
    expect(c.frames.slice(1).map((f) => f.type)).toEqual([FrameType.Ack, FrameType.AgentDisconnect]);
    expect(decodeActions(c.frames[1]!.payload)).toEqual([setCode(7)]);
  });

  it('rejects FIN=0 (a fragment) with DISCONNECT 10', async () => {
    const onMessages = jest.fn(noop);
    const { port } = await startServer({ onMessages });
    const c = await client(port);
    await c.hello();
    c.send(encodeNotify(1, 1, MSG, 0));
    const frames = await c.waitClosed();
    expect(frames.slice(1).map((f) => disconnectOf(f))).toEqual([{ status: 10, message: 'fragmentation not supported' }]);
    expect(onMessages).not.toHaveBeenCalled();
  });

  it('rejects a continuation (type 0) frame and an ABORT with DISCONNECT 10', async () => {
    const { port } = await startServer({ onMessages: noop });
    for (const frame of [
      Buffer.from('00000007' + '00' + '00000001' + '0101', 'hex'),
      encodeNotify(1, 1, MSG, FrameFlag.Fin | FrameFlag.Abort),
    ]) {
      const c = await client(port);
      await c.hello();
      c.send(frame);
      expect(disconnectOf(await c.frame(2)).status).toBe(10);
    }
  });

  it('rejects garbage with DISCONNECT 4', async () => {
    const { port } = await startServer({ onMessages: noop });
    const garbage = [
      // A NOTIFY whose argument has reserved type 12.
      Buffer.from('0000000d' + '03' + '00000001' + '01' + '01' + '016d' + '01' + '0161' + '0c', 'hex'),
      // A NOTIFY that claims 5 args and has none.
      Buffer.from('0000000a' + '03' + '00000001' + '01' + '01' + '016d' + '05', 'hex'),
      // A varint running past the 64-bit range in the stream id.
      Buffer.concat([Buffer.from('00000012' + '03' + '00000001', 'hex'), Buffer.alloc(12, 0xff), Buffer.from('00', 'hex')]),
      // Frame types only an agent sends.
      Buffer.from('00000007' + '67' + '00000001' + '0101', 'hex'),
      // A length below the smallest frame header.
      Buffer.from('00000002' + '0300', 'hex'),
    ];
    for (const g of garbage) {
      const c = await client(port);
      await c.hello();
      c.send(g);
      const frames = await c.waitClosed();
      expect(frames.slice(1).map((f) => [f.type, disconnectOf(f).status])).toEqual([[FrameType.AgentDisconnect, 4]]);
    }
  });

  it('rejects an oversize length (before HELLO and after) with DISCONNECT 3', async () => {
    const { port } = await startServer({ onMessages: noop, maxFrameSize: 65536 });
    const a = await client(port);
    a.send(Buffer.from('00004001', 'hex')); // 16385: above the pre-HELLO cap although below ours
    expect((await a.waitClosed()).map((f) => disconnectOf(f).status)).toEqual([3]);
    const b = await client(port);
    await b.hello(haproxyHelloKv({ maxFrameSize: 300 }));
    b.send(Buffer.from('0000012d03', 'hex')); // 301 > 300, only 1 byte of it sent
    expect((await b.waitClosed()).slice(1).map((f) => disconnectOf(f).status)).toEqual([3]);
  });

  it('survives the peer closing mid-frame and mid-NOTIFY (FIN and RST), and keeps serving', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const debug: string[] = [];
    const signals: AbortSignal[] = [];
    const { server, port } = await startServer({
      onMessages: async (_m, f) => {
        signals.push(f.connection.closedSignal);
        await gate;
        return [setCode(1)];
      },
      logger: { debug: (m) => debug.push(m) },
    });
    // Half a frame then FIN.
    const a = await client(port);
    await a.hello();
    const n = encodeNotify(1, 1, MSG);
    a.send(n.subarray(0, n.length - 3));
    a.socket.end();
    // A NOTIFY in flight then RST.
    const b = await client(port);
    await b.hello();
    b.send(encodeNotify(1, 1, MSG));
    await waitFor(() => signals.length === 1);
    b.socket.resetAndDestroy();
    await waitFor(() => server.connectionCount === 0);
    expect(debug).toContain('peer closed the connection mid-frame');
    expect(signals.length).toBe(1);
    expect(signals[0]?.aborted).toBe(true);
    release(); // the late ACK must be dropped quietly
    await waitFor(() => debug.includes('ACK dropped: connection is closing'));
    // Still serving.
    const c = await client(port);
    await c.hello();
    c.send(encodeNotify(5, 1, MSG));
    expect((await c.frame(2)).type).toBe(FrameType.Ack);
  });
});

describe('server options', () => {
  it('refuses capabilities that are not implemented', async () => {
    expect(() => createSpopServer({ onMessages: noop, capabilities: ['pipelining', 'async'] })).toThrow(/not implemented/);
    expect(() => createSpopServer({ onMessages: noop, capabilities: ['fragmentation'] })).toThrow(/not implemented/);
    expect(() => createSpopServer({ onMessages: noop, maxFrameSize: 100 })).toThrow(RangeError);
  });

  it('serves a socket handed over with handleSocket()', async () => {
    const server = createSpopServer({ onMessages: () => [setCode(2)] });
    const listener = createServer((s) => server.handleSocket(s));
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    const port = (listener.address() as AddressInfo).port;
    try {
      const c = await client(port);
      await c.hello();
      c.send(encodeNotify(1, 1, MSG));
      expect(decodeActions((await c.frame(2)).payload)).toEqual([setCode(2)]);
    } finally {
      await server.close();
      await new Promise((r) => listener.close(r));
    }
  });

  it('SpopError carries the status code', () => {
    const e = new SpopError(8);
    expect([e.status, e.code, e.message]).toEqual([8, 'SPOP_BAD_VERSION', 'unsupported version']);
  });
});

async function waitFor(pred: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
