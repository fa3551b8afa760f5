import { FrameReader, SpopError, encodeAck, encodeNotify, spopValue } from '../src';

function drain(r: FrameReader): Buffer[] {
  const out: Buffer[] = [];
  for (let b = r.next(); b !== undefined; b = r.next()) out.push(b);
  return out;
}

function expectSpopError(fn: () => unknown, status: number): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SpopError);
    expect((err as SpopError).status).toBe(status);
    return;
  }
  throw new Error('expected an SpopError');
}

describe('FrameReader', () => {
  it('rejects an oversize length as soon as the 4 length bytes are in, before buffering', () => {
    const r = new FrameReader(300);
    const allocSpy = jest.spyOn(Buffer, 'allocUnsafe');
    r.push(Buffer.from([0x00, 0x00]));
    expect(r.next()).toBeUndefined();
    r.push(Buffer.from([0x01, 0x2d, 0x03])); // 301
    expectSpopError(() => r.next(), 3);
    expect(allocSpy).not.toHaveBeenCalled();
    allocSpy.mockRestore();
    // The reader stays failed.
    expectSpopError(() => r.next(), 4);
  });

  it('accepts a frame of exactly max-frame-size', () => {
    const r = new FrameReader(300);
    const frame = Buffer.alloc(304, 0);
    frame.writeUInt32BE(300, 0);
    frame[4] = 3;
    r.push(frame);
    expect(drain(r).map((b) => b.length)).toEqual([300]);
  });

  it('rejects lengths shorter than a frame header with status 4', () => {
    const r = new FrameReader(1000);
    r.push(Buffer.from('00000006030000000100', 'hex'));
    expectSpopError(() => r.next(), 4);
  });

  it('applies a lowered limit from the next frame on', () => {
    const r = new FrameReader(1 << 20);
    const big = encodeNotify(1, 1, [{ name: 'm', args: [{ name: 'b', value: spopValue.binary(Buffer.alloc(400)) }] }]);
    r.push(big);
    expect(drain(r)).toHaveLength(1);
    r.setMaxFrameSize(256);
    r.push(big);
    expectSpopError(() => r.next(), 3);
  });

  it('handles a length prefix split in every way and several frames per chunk', () => {
    const frames = [encodeAck(0, 1, []), encodeAck(3, 1, [{ type: 'unset-var', scope: 'txn', name: 'x' }]), encodeAck(5, 2, [])];
    const all = Buffer.concat(frames);
    for (let a = 0; a <= all.length; a++) {
      for (let b = a; b <= all.length; b++) {
        const r = new FrameReader(1000);
        const got: Buffer[] = [];
        for (const part of [all.subarray(0, a), all.subarray(a, b), all.subarray(b)]) {
          r.push(part);
          got.push(...drain(r));
        }
        expect(got.map((g) => g.toString('hex'))).toEqual(frames.map((f) => f.subarray(4).toString('hex')));
      }
    }
  });

  it('tells when it is in the middle of a frame', () => {
    const r = new FrameReader(1000);
    const f = encodeAck(0, 1, []);
    expect(r.midFrame()).toBe(false);
    r.push(f.subarray(0, 2));
    drain(r);
    expect(r.midFrame()).toBe(true);
    r.push(f.subarray(2, 6));
    drain(r);
    expect(r.midFrame()).toBe(true);
    r.push(f.subarray(6));
    expect(drain(r)).toHaveLength(1);
    expect(r.midFrame()).toBe(false);
  });

  it('refuses a new chunk before the previous one is consumed', () => {
    const r = new FrameReader(1000);
    r.push(Buffer.concat([encodeAck(0, 1, []), encodeAck(0, 2, [])]));
    r.next();
    expect(() => r.push(Buffer.alloc(1))).toThrow('previous chunk not fully consumed');
  });
});
