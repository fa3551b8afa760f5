import { invalidFrame } from './spop-error';

/**
 * SPOP varints ("peers" encoding, spop.md 1.2): values below 240 take one byte; the first byte of a longer
 * value carries 4 bits (with 0xF0 forced), each following byte 7 bits with the continuation bit 0x80 left
 * *in the sum*. Values are unsigned 64-bit; signed integers travel as their two's-complement uint64.
 *
 * Numbers are handled on a `number` fast path while the result is exact (< 2^53); larger values use BigInt.
 */

export const UINT64_MAX = (1n << 64n) - 1n;

/** Worst case length of a 64-bit varint. */
export const VARINT_MAX_BYTES = 10;

/** Bytes needed to encode `value`. */
export function varintLength(value: number | bigint): number {
  let n = 1;
  if (typeof value === 'number') {
    if (value < 240) return 1;
    let i = Math.floor((value - 240) / 16);
    while (i >= 128) {
      n++;
      i = Math.floor((i - 128) / 128);
    }
    return n + 1;
  }
  if (value < 240n) return 1;
  let i = (value - 240n) >> 4n;
  while (i >= 128n) {
    n++;
    i = (i - 128n) >> 7n;
  }
  return n + 1;
}

/**
 * Writes `value` at `pos` (the caller guarantees `varintLength(value)` bytes of room) and returns the
 * position after it. Throws a `RangeError` for negative, fractional or > 2^64-1 values: those are
 * programming errors, never wire data.
 */
export function writeVarint(buf: Buffer, pos: number, value: number | bigint): number {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      if (Number.isInteger(value) && value > 0) return writeVarint(buf, pos, BigInt(value));
      throw new RangeError(`varint out of range: ${value}`);
    }
    if (value < 240) {
      buf[pos] = value;
      return pos + 1;
    }
    buf[pos++] = (value % 256) | 0xf0;
    let i = Math.floor((value - 240) / 16);
    while (i >= 128) {
      buf[pos++] = (i % 256) | 0x80;
      i = Math.floor((i - 128) / 128);
    }
    buf[pos] = i;
    return pos + 1;
  }
  if (value < 0n || value > UINT64_MAX) throw new RangeError(`varint out of range: ${value}`);
  if (value < 240n) {
    buf[pos] = Number(value);
    return pos + 1;
  }
  buf[pos++] = Number(value & 0xffn) | 0xf0;
  let i = (value - 240n) >> 4n;
  while (i >= 128n) {
    buf[pos++] = Number(i & 0xffn) | 0x80;
    i = (i - 128n) >> 7n;
  }
  buf[pos] = Number(i);
  return pos + 1;
}

/** Encodes one varint into a fresh Buffer. */
export function encodeVarint(value: number | bigint): Buffer {
  const buf = Buffer.allocUnsafe(varintLength(value));
  writeVarint(buf, 0, value);
  return buf;
}

/** Result of `readVarint`: the value (a `number` when exact, else `bigint`) and the offset after it. */
export interface VarintRead {
  value: number | bigint;
  next: number;
}

/**
 * Decodes the varint at `offset`, reading no further than `end`. Throws `SpopError` (status 4) when the
 * bytes run out or the value exceeds 64 bits (HAProxy would silently wrap; a peer that sends that is broken).
 */
export function readVarint(buf: Uint8Array, offset: number, end: number = buf.length): VarintRead {
  let pos = offset;
  if (pos >= end) throw invalidFrame('truncated varint');
  let b = buf[pos++] as number;
  if (b < 240) return { value: b, next: pos };
  let value = b;
  let shift = 4;
  // 6 continuation bytes (shifts 4..39) keep the sum below 2^48: exact as a number.
  while (shift <= 39) {
    if (pos >= end) throw invalidFrame('truncated varint');
    b = buf[pos++] as number;
    value += b * 2 ** shift;
    shift += 7;
    if (b < 128) return { value, next: pos };
  }
  let big = BigInt(value);
  for (;;) {
    if (pos >= end) throw invalidFrame('truncated varint');
    b = buf[pos++] as number;
    big += BigInt(b) << BigInt(shift);
    shift += 7;
    // Every continuation byte adds at least 128 << shift, so this also bounds the loop.
    if (big > UINT64_MAX) throw invalidFrame('varint exceeds 64 bits');
    if (b < 128) break;
  }
  return { value: big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big, next: pos };
}

/** Decodes one varint that must span the whole of `bytes`. */
export function decodeVarint(bytes: Uint8Array): number | bigint {
  const { value, next } = readVarint(bytes, 0, bytes.length);
  if (next !== bytes.length) throw invalidFrame('trailing bytes after varint');
  return value;
}
