import {
  FrameCursor,
  FrameWriter,
  SpopError,
  decodeActions,
  decodeKvList,
  decodeMessages,
  encodeAck,
  formatIpv6,
  parseIpv6,
  readTypedValue,
  spopValue,
  writeKvList,
  writeMessages,
  writeTypedValue,
  type SpopAction,
  type SpopMessage,
  type SpopValue,
} from '../src';

function encode(v: SpopValue): Buffer {
  const w = new FrameWriter(4);
  writeTypedValue(w, v);
  return w.finish();
}

function decode(hex: string): SpopValue {
  const c = new FrameCursor(Buffer.from(hex, 'hex'));
  const v = readTypedValue(c);
  expect(c.atEnd()).toBe(true);
  return v;
}

function encodeUint64Max(): string {
  const w = new FrameWriter(4);
  w.varint(2n ** 64n - 1n);
  return w.finish().toString('hex');
}

describe('typed data', () => {
  const cases: Array<[SpopValue, string]> = [
    [spopValue.null(), '00'],
    [spopValue.bool(false), '01'],
    [spopValue.bool(true), '11'],
    // Negative signed values travel as their two's-complement uint64 (10 bytes).
    [spopValue.int32(-1), '02' + encodeUint64Max()],
    [spopValue.int32(7), '0207'],
    [spopValue.uint32(403), '03f30a'],
    [spopValue.uint32(16380), '03fcf006'],
    [spopValue.int64(53734), '04f68f19'],
    [spopValue.uint64(2n ** 64n - 1n), '05' + encodeUint64Max()],
    [spopValue.ipv4('127.0.0.1'), '067f000001'],
    [spopValue.ipv6('::1'), '07' + '00'.repeat(15) + '01'],
    [spopValue.string('GET'), '0803474554'],
    [spopValue.string(''), '0800'],
    [spopValue.binary(Buffer.from([0, 255, 10])), '090300ff0a'],
    [spopValue.binary(Buffer.alloc(0)), '0900'],
  ];

  it.each(cases.map(([v, hex]) => [v.type, v, hex] as const))('%s encodes and decodes (%o)', (_t, v, hex) => {
    expect(encode(v).toString('hex')).toBe(hex);
    expect(decode(hex)).toEqual(v);
  });

  it('covers all 10 types', () => {
    expect(new Set(cases.map(([v]) => v.type)).size).toBe(10);
  });

  it('round-trips INT64 and INT32 extremes', () => {
    for (const v of [-(2n ** 63n), -1n, 0n, 2n ** 63n - 1n]) {
      expect(decode(encode(spopValue.int64(v)).toString('hex'))).toEqual(spopValue.int64(v));
    }
    for (const v of [-(2 ** 31), -1, 0, 2 ** 31 - 1]) {
      expect(decode(encode(spopValue.int32(v)).toString('hex'))).toEqual(spopValue.int32(v));
    }
  });

  it('rejects out-of-range values when encoding', () => {
    expect(() => encode(spopValue.int32(2 ** 31))).toThrow(RangeError);
    expect(() => encode(spopValue.uint32(-1))).toThrow(RangeError);
    expect(() => encode(spopValue.uint32(1.5))).toThrow(RangeError);
    expect(() => encode(spopValue.int64(2n ** 63n))).toThrow(RangeError);
    expect(() => encode(spopValue.uint64(-1n))).toThrow(RangeError);
    expect(() => encode(spopValue.ipv4('1.2.3'))).toThrow(TypeError);
    expect(() => encode(spopValue.ipv6('1::2::3'))).toThrow(TypeError);
  });

  it('rejects out-of-range integers on the wire with status 4', () => {
    // UINT32 carrying 2^32.
    const u = new FrameWriter(4);
    u.u8(3).varint(2 ** 32);
    expect(() => decode(u.finish().toString('hex'))).toThrow('UINT32 out of range');
    // INT32 carrying 2^31 (not a sign-extended negative).
    const w = new FrameWriter(4);
    w.u8(2).varint(2 ** 31);
    expect(() => decode(w.finish().toString('hex'))).toThrow('INT32 out of range');
  });

  it.each([10, 11, 12, 13, 14, 15])('rejects reserved type %d', (t) => {
    try {
      decode(Buffer.from([t, 0]).toString('hex'));
      throw new Error('expected a throw');
    } catch (err) {
      expect(err).toBeInstanceOf(SpopError);
      expect((err as SpopError).status).toBe(4);
      expect((err as SpopError).message).toContain(`reserved data type ${t}`);
    }
  });

  it('ignores the flag nibble except the BOOL true bit', () => {
    expect(decode('3800')).toEqual(spopValue.string(''));
    expect(decode('f1')).toEqual(spopValue.bool(true));
    expect(decode('e1')).toEqual(spopValue.bool(false));
  });

  it('rejects truncated values', () => {
    for (const hex of ['08', '0805414243', '067f0000', '07' + '00'.repeat(15), '09f0', '04f6']) {
      expect(() => decode(hex)).toThrow(SpopError);
    }
  });

  it('keeps strings as latin1 bytes', () => {
    const v = decode('0803c3a9ff');
    expect(v).toEqual(spopValue.string('\u00c3\u00a9\u00ff'));
    expect(encode(v).toString('hex')).toBe('0803c3a9ff');
  });

  it('formats IPv6 like inet_ntop', () => {
    const fmt = (s: string): string => {
      const b = Buffer.alloc(16);
      parseIpv6(s, b, 0);
      return formatIpv6(b, 0);
    };
    expect(fmt('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(fmt('0:0:0:0:0:0:0:0')).toBe('::');
    expect(fmt('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(fmt('2001:0db8:0000:0000:0000:ff00:0042:8329')).toBe('2001:db8::ff00:42:8329');
    expect(fmt('::ffff:10.1.2.3')).toBe('::ffff:10.1.2.3');
    expect(fmt('::10.1.2.3')).toBe('::10.1.2.3');
    expect(fmt('1:0:2:0:3:0:4:0')).toBe('1:0:2:0:3:0:4:0');
    expect(fmt('fe80::1%eth0')).toBe('fe80::1');
  });
});

describe('names are bare, values are typed', () => {
  it('writes a KV list as <len><name><typed value> with no type byte on the name', () => {
    const w = new FrameWriter(8);
    writeKvList(w, [{ name: 'version', value: spopValue.string('2.0') }]);
    expect(w.finish().toString('hex')).toBe('07' + Buffer.from('version').toString('hex') + '0803' + Buffer.from('2.0').toString('hex'));
  });

  it('decodes unnamed arguments (empty name = single 00 byte)', () => {
    const payload = Buffer.from('0161' + '02' + '00' + '0207' + '0162' + '00', 'hex');
    expect(decodeMessages(payload)).toEqual([
      { name: 'a', args: [{ name: '', value: spopValue.int32(7) }, { name: 'b', value: spopValue.null() }] },
    ]);
  });

  it('rejects a message whose nb-args exceeds the arguments present', () => {
    expect(() => decodeMessages(Buffer.from('016103' + '000207', 'hex'))).toThrow(SpopError);
  });

  it('round-trips messages and KV lists', () => {
    const messages: SpopMessage[] = [
      { name: 'check-request', args: [{ name: '', value: spopValue.string('x') }, { name: 'n', value: spopValue.int64(-5n) }] },
      { name: 'empty', args: [] },
    ];
    const w = new FrameWriter(8);
    writeMessages(w, messages);
    expect(decodeMessages(w.finish())).toEqual(messages);
    const kv = [{ name: 'a', value: spopValue.bool(true) }, { name: 'b', value: spopValue.ipv4('10.0.0.1') }];
    const w2 = new FrameWriter(8);
    writeKvList(w2, kv);
    expect(decodeKvList(w2.finish())).toEqual(kv);
  });
});

describe('ACK actions', () => {
  it('encodes set-var and unset-var for every scope and decodes them back', () => {
    const actions: SpopAction[] = [];
    for (const scope of ['proc', 'sess', 'txn', 'req', 'res'] as const) {
      actions.push({ type: 'set-var', scope, name: `v-${scope}`, value: spopValue.uint32(1) });
      actions.push({ type: 'unset-var', scope, name: `u-${scope}` });
    }
    const frame = encodeAck(1, 2, actions);
    const back = decodeActions(frame.subarray(4 + 1 + 4 + 1 + 1));
    expect(back).toEqual(actions);
    // Scope bytes are 0..4 in proc, sess, txn, req, res order.
    expect(encodeAck(0, 1, [{ type: 'unset-var', scope: 'res', name: 'x' }]).subarray(11).toString('hex')).toBe('0202040178');
  });

  it('refuses bad actions', () => {
    expect(() => encodeAck(0, 1, [{ type: 'set-var', scope: 'bogus' as never, name: 'x', value: spopValue.null() }])).toThrow(TypeError);
    expect(() => encodeAck(0, 1, [{ type: 'noop' } as never])).toThrow(TypeError);
    expect(() => encodeAck(0, 1, [{ type: 'unset-var', scope: 'txn', name: '' }])).toThrow(TypeError);
  });

  it('enforces max-frame-size on the ACK with status 3', () => {
    const big: SpopAction = { type: 'set-var', scope: 'txn', name: 'data', value: spopValue.string('x'.repeat(300)) };
    try {
      encodeAck(0, 1, [big], 256);
      throw new Error('expected a throw');
    } catch (err) {
      expect(err).toBeInstanceOf(SpopError);
      expect((err as SpopError).status).toBe(3);
      expect((err as SpopError).code).toBe('SPOP_TOO_BIG');
    }
    expect(encodeAck(0, 1, [big], 400).length).toBeGreaterThan(300);
  });

  it('echoes 64-bit stream ids', () => {
    const sid = 2n ** 63n + 5n;
    const frame = encodeAck(sid, 1, []);
    expect(frame.length).toBe(4 + 1 + 4 + 10 + 1);
  });
});
