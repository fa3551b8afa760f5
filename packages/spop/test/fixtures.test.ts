import {
  FrameReader,
  FrameType,
  decodeActions,
  decodeFrame,
  decodeFrameHeader,
  decodeKvList,
  decodeMessages,
  encodeAck,
  encodeAgentHello,
  encodeDisconnect,
  encodeKvFrame,
  encodeNotify,
  kvGet,
  parseHdrsBin,
  spopValue,
  type RawFrame,
  type SpopMessage,
} from '../src';
import { expectSameValue, type FixtureValue } from './helpers/compare';
import { loadFixtures, type Fixture } from './helpers/fixtures';

const fixtures = loadFixtures();

const TYPE_NAMES: Record<number, string> = {
  1: 'HAPROXY-HELLO',
  2: 'HAPROXY-DISCONNECT',
  3: 'NOTIFY',
};

interface JsonHdr {
  type: string;
  flags: number;
  fin: boolean;
  abort: boolean;
  sid: number;
  fid: number;
  len: number;
}

interface JsonArg extends FixtureValue {
  name: string;
  positional?: string;
}

interface JsonMessage {
  name: string;
  nbargs: number;
  args: JsonArg[];
  hdrs_bin_decoded?: { headers: Array<[string, string]>; trailing: number };
}

/** Decodes a frame body into a plain structure, used to compare whole-frame and split-stream decodes. */
function decodeAll(body: Buffer): unknown {
  const f = decodeFrameHeader(body);
  const header = { ...f, streamId: String(f.streamId), frameId: String(f.frameId), payload: f.payload.toString('hex') };
  switch (f.type) {
    case FrameType.Notify:
      return { header, messages: decodeMessages(f.payload) };
    case FrameType.Ack:
      return { header, actions: decodeActions(f.payload) };
    default:
      return { header, kv: decodeKvList(f.payload) };
  }
}

function checkHaproxyFrame(fx: Fixture, f: RawFrame): void {
  const hdr = fx.json.decoded.hdr as JsonHdr;
  expect(TYPE_NAMES[f.type]).toBe(hdr.type);
  expect(f.flags).toBe(hdr.flags);
  expect(f.fin).toBe(hdr.fin);
  expect(f.abort).toBe(hdr.abort);
  expect(f.streamId).toBe(hdr.sid);
  expect(f.frameId).toBe(hdr.fid);
  expect(fx.bytes.length - 4).toBe(hdr.len);
  if (f.type === FrameType.Notify) {
    const expected = fx.json.decoded.messages as JsonMessage[];
    const messages = decodeMessages(f.payload);
    expect(messages.map((m) => m.name)).toEqual(expected.map((m) => m.name));
    messages.forEach((m, i) => {
      const em = expected[i] as JsonMessage;
      expect(m.args.length).toBe(em.nbargs);
      expect(m.args.map((a) => a.name)).toEqual(em.args.map((a) => a.name));
      m.args.forEach((a, j) => expectSameValue(a.value, em.args[j] as JsonArg));
      if (em.hdrs_bin_decoded !== undefined) {
        const idx = em.args.findIndex((a) => a.positional === 'req.hdrs_bin');
        const arg = m.args[idx];
        if (arg === undefined || arg.value.type !== 'binary') throw new Error('req.hdrs_bin arg missing');
        const parsed = parseHdrsBin(arg.value.value);
        expect(parsed.complete).toBe(true);
        expect(parsed.headers).toEqual(em.hdrs_bin_decoded.headers);
        expect(parsed.trailing).toBe(em.hdrs_bin_decoded.trailing);
      }
    });
  } else {
    const expected = fx.json.decoded.kv as Record<string, FixtureValue>;
    const kv = decodeKvList(f.payload);
    expect(kv.map((e) => e.name)).toEqual(Object.keys(expected));
    for (const e of kv) expectSameValue(e.value, expected[e.name] as FixtureValue);
  }
}

describe('recorded HAProxy frames', () => {
  it('are all present (30 fixtures)', () => {
    expect(fixtures.length).toBe(30);
  });

  describe.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fx) => {
    it('decodes to its .json', () => {
      const f = decodeFrame(fx.bytes);
      if (fx.json.direction === 'haproxy->agent') {
        checkHaproxyFrame(fx, f);
        return;
      }
      const d = fx.json.decoded;
      if (f.type === FrameType.AgentHello) {
        const kv = decodeKvList(f.payload);
        expect(kv.map((e) => e.name)).toEqual(['version', 'max-frame-size', 'capabilities']);
        expect(kvGet(kv, 'version')).toEqual({ type: 'string', value: d.version });
        expect(kvGet(kv, 'max-frame-size')).toEqual({ type: 'uint32', value: d['max-frame-size'] });
        expect(kvGet(kv, 'capabilities')).toEqual({ type: 'string', value: d.capabilities });
        // Byte-exact re-encoding of what HAProxy accepted.
        const ours = encodeAgentHello({
          maxFrameSize: d['max-frame-size'] as number,
          capabilities: String(d.capabilities).split(','),
        });
        expect(ours.toString('hex')).toBe(fx.bytes.toString('hex'));
      } else if (f.type === FrameType.Ack) {
        expect(f.streamId).toBe(d.sid);
        expect(f.frameId).toBe(d.fid);
        const actions = decodeActions(f.payload);
        if (d.code === -1) {
          expect(actions).toEqual([]);
        } else {
          expect(actions).toEqual([{ type: 'set-var', scope: 'txn', name: 'code', value: spopValue.uint32(d.code as number) }]);
        }
        const ours = encodeAck(d.sid as number, d.fid as number, actions);
        expect(ours.toString('hex')).toBe(fx.bytes.toString('hex'));
      } else if (f.type === FrameType.AgentDisconnect) {
        const kv = decodeKvList(f.payload);
        expect(kvGet(kv, 'status-code')).toEqual(spopValue.uint32(d['status-code'] as number));
        expect(kvGet(kv, 'message')).toEqual(spopValue.string(d.message as string));
        const ours = encodeDisconnect(d['status-code'] as number, d.message as string);
        expect(ours.toString('hex')).toBe(fx.bytes.toString('hex'));
      } else {
        throw new Error(`unexpected agent frame type ${f.type}`);
      }
    });

    it('re-encodes to the same bytes', () => {
      const f = decodeFrame(fx.bytes);
      let again: Buffer;
      if (f.type === FrameType.Notify) {
        again = encodeNotify(f.streamId, f.frameId, decodeMessages(f.payload), f.flags);
      } else if (f.type === FrameType.Ack) {
        again = encodeAck(f.streamId, f.frameId, decodeActions(f.payload));
      } else {
        again = encodeKvFrame(f.type, decodeKvList(f.payload));
      }
      expect(again.toString('hex')).toBe(fx.bytes.toString('hex'));
    });

    it('decodes identically when split at every byte offset', () => {
      const body0 = fx.bytes.subarray(4);
      const whole = JSON.stringify(decodeAll(body0), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
      const bad: number[] = [];
      for (let cut = 1; cut < fx.bytes.length; cut++) {
        const reader = new FrameReader(1 << 20);
        const got: Buffer[] = [];
        for (const part of [fx.bytes.subarray(0, cut), fx.bytes.subarray(cut)]) {
          reader.push(part);
          for (let b = reader.next(); b !== undefined; b = reader.next()) got.push(b);
        }
        const body = got[0];
        if (got.length !== 1 || reader.midFrame() || body === undefined || !body.equals(body0)) {
          bad.push(cut);
          continue;
        }
        // Full decode at every offset of normal frames; every 97th offset of the 15 KB one keeps this fast
        // (the bytes were already compared above, so the decode cannot differ elsewhere).
        if (fx.bytes.length <= 2048 || cut % 97 === 0) {
          const again = JSON.stringify(decodeAll(body), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
          if (again !== whole) bad.push(cut);
        }
      }
      expect(bad).toEqual([]);
    });

    it('decodes identically when fed one byte at a time', () => {
      const reader = new FrameReader(1 << 20);
      const got: Buffer[] = [];
      for (let i = 0; i < fx.bytes.length; i++) {
        reader.push(fx.bytes.subarray(i, i + 1));
        for (let b = reader.next(); b !== undefined; b = reader.next()) got.push(b);
      }
      expect(got.length).toBe(1);
      expect(decodeAll(got[0] as Buffer)).toEqual(decodeAll(fx.bytes.subarray(4)));
    });
  });

  it('decodes all fixtures concatenated in one chunk, in order', () => {
    const all = Buffer.concat(fixtures.map((f) => f.bytes));
    const reader = new FrameReader(1 << 20);
    reader.push(all);
    const got: Buffer[] = [];
    for (let b = reader.next(); b !== undefined; b = reader.next()) got.push(b);
    expect(got.length).toBe(fixtures.length);
    got.forEach((b, i) => expect(decodeAll(b)).toEqual(decodeAll((fixtures[i] as Fixture).bytes.subarray(4))));
    // Single-chunk frames are views into the chunk, not copies.
    expect((got[0] as Buffer).buffer).toBe(all.buffer);
  });

  it('decodes all fixtures concatenated and cut into random chunks (seeded)', () => {
    const all = Buffer.concat(fixtures.map((f) => f.bytes));
    let seed = 12345;
    for (let round = 0; round < 50; round++) {
      const reader = new FrameReader(1 << 20);
      const got: Buffer[] = [];
      for (let pos = 0; pos < all.length; ) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        const n = 1 + (seed % 700);
        reader.push(all.subarray(pos, pos + n));
        pos += n;
        for (let b = reader.next(); b !== undefined; b = reader.next()) got.push(b);
      }
      expect(got.map((b) => b.toString('hex'))).toEqual(fixtures.map((f) => f.bytes.subarray(4).toString('hex')));
    }
  });

  it('exposes the 2.6 vs 3.4 stream ids as recorded (sid 0 on 2.6, odd on 3.4)', () => {
    const sid = (name: string): unknown => {
      const fx = fixtures.find((f) => f.name.startsWith(name));
      if (fx === undefined) throw new Error(name);
      return decodeFrame(fx.bytes).streamId;
    };
    expect(sid('10-')).toBe(0);
    expect(sid('51-')).toBe(1);
    expect(sid('52-')).toBe(9);
    expect(sid('53-')).toBe(5);
  });

  it('keeps binary values valid after the reader moves on', () => {
    const fx = fixtures.find((f) => f.name.startsWith('13-')) as Fixture;
    const reader = new FrameReader(1 << 20);
    const copy = Buffer.from(fx.bytes);
    reader.push(copy.subarray(0, 50));
    expect(reader.next()).toBeUndefined();
    reader.push(copy.subarray(50));
    const body = reader.next() as Buffer;
    const msgs: SpopMessage[] = decodeMessages(decodeFrameHeader(body).payload);
    const bodyArg = msgs[0]?.args[11]?.value;
    if (bodyArg?.type !== 'binary') throw new Error('no body');
    const before = bodyArg.value.toString('hex');
    reader.push(Buffer.alloc(3000, 0xee));
    expect(() => reader.next()).toThrow(); // 0xeeeeeeee is far above the limit
    expect(bodyArg.value.toString('hex')).toBe(before);
  });
});
