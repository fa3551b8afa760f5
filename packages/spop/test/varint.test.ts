import { SpopError, UINT64_MAX, decodeVarint, encodeVarint, readVarint, varintLength } from '../src';

// The table of spop.md 1.2 (values observed on the wire in HAProxy frames).
const VECTORS: Array<[number, string]> = [
  [0, '00'],
  [239, 'ef'],
  [240, 'f000'],
  [403, 'f30a'],
  [2287, 'ff7f'],
  [2288, 'f08000'],
  [16380, 'fcf006'],
  [53734, 'f68f19'],
  [264431, 'ffff7f'],
  [264432, 'f0808000'],
];

describe('varint', () => {
  it.each(VECTORS)('encodes %d as %s and back', (value, hex) => {
    expect(encodeVarint(value).toString('hex')).toBe(hex);
    expect(encodeVarint(BigInt(value)).toString('hex')).toBe(hex);
    expect(varintLength(value)).toBe(hex.length / 2);
    expect(decodeVarint(Buffer.from(hex, 'hex'))).toBe(value);
  });

  it('changes length exactly at the documented boundaries', () => {
    expect(varintLength(33818863)).toBe(4);
    expect(varintLength(33818864)).toBe(5);
  });

  it('round-trips 64-bit edge values as bigint', () => {
    const edges = [
      2n ** 53n - 1n,
      2n ** 53n,
      2n ** 53n + 1n,
      2n ** 63n - 1n,
      2n ** 63n,
      2n ** 63n + 1n,
      2n ** 64n - 2n,
      UINT64_MAX,
    ];
    for (const v of edges) {
      const bytes = encodeVarint(v);
      expect(bytes.length).toBe(varintLength(v));
      const back = decodeVarint(bytes);
      expect(BigInt(back)).toBe(v);
      // Exact values come back as numbers, larger ones as bigint.
      expect(typeof back).toBe(v <= BigInt(Number.MAX_SAFE_INTEGER) ? 'number' : 'bigint');
    }
    expect(encodeVarint(UINT64_MAX).length).toBe(10);
  });

  it('encodes a negative INT64 (two\'s complement) in 10 bytes', () => {
    const bytes = encodeVarint(BigInt.asUintN(64, -1n));
    expect(bytes.length).toBe(10);
    expect(BigInt.asIntN(64, BigInt(decodeVarint(bytes)))).toBe(-1n);
  });

  it('round-trips random values of every magnitude (seeded)', () => {
    let seed = 0x9e3779b9;
    const rnd = (): number => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed;
    };
    for (let i = 0; i < 2000; i++) {
      const bits = BigInt(rnd() % 65);
      const v = ((BigInt(rnd()) << 32n) | BigInt(rnd())) & ((1n << bits) - 1n);
      expect(BigInt(decodeVarint(encodeVarint(v)))).toBe(v);
      if (v <= BigInt(Number.MAX_SAFE_INTEGER)) {
        expect(encodeVarint(Number(v)).equals(encodeVarint(v))).toBe(true);
      }
    }
  });

  it('rejects truncated input and values above 64 bits with status 4', () => {
    const truncated = [Buffer.from('f0', 'hex'), Buffer.from('f080', 'hex'), Buffer.alloc(0)];
    for (const b of truncated) {
      expect(() => decodeVarint(b)).toThrow(SpopError);
    }
    const overflow = Buffer.from('ff' + 'ff'.repeat(12) + '7f', 'hex');
    try {
      decodeVarint(overflow);
      throw new Error('expected a throw');
    } catch (err) {
      expect(err).toBeInstanceOf(SpopError);
      expect((err as SpopError).status).toBe(4);
      expect((err as SpopError).code).toBe('SPOP_INVALID_FRAME');
    }
    // 2^64 exactly, encoded with the spec's algorithm (spop.md 1.2) without any range check.
    const bytes: number[] = [];
    let i = 2n ** 64n;
    bytes.push(Number(i & 0xffn) | 0xf0);
    i = (i - 240n) >> 4n;
    while (i >= 128n) {
      bytes.push(Number(i & 0xffn) | 0x80);
      i = (i - 128n) >> 7n;
    }
    bytes.push(Number(i));
    expect(() => decodeVarint(Buffer.from(bytes))).toThrow('varint exceeds 64 bits');
  });

  it('reads within [offset, end) only', () => {
    const buf = Buffer.from('aaf30abb', 'hex');
    expect(readVarint(buf, 1, 3)).toEqual({ value: 403, next: 3 });
    expect(() => readVarint(buf, 1, 2)).toThrow(SpopError);
  });

  it('refuses to encode negative or non-integer numbers', () => {
    expect(() => encodeVarint(-1)).toThrow(RangeError);
    expect(() => encodeVarint(1.5)).toThrow(RangeError);
    expect(() => encodeVarint(2n ** 64n)).toThrow(RangeError);
  });
});
