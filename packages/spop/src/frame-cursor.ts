import { latin1Slice } from './latin1';
import { invalidFrame } from './spop-error';
import { readVarint } from './varint';

/**
 * A read position over one frame (or payload) `[pos, end)`. Every read is bounds-checked against `end` and
 * throws `SpopError` status 4 on truncation; binary reads return `subarray` views, never copies.
 */
export class FrameCursor {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end: number = buf.length,
  ) {
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  u8(): number {
    if (this.pos >= this.end) throw invalidFrame('truncated frame');
    return this.buf[this.pos++] as number;
  }

  u32(): number {
    if (this.end - this.pos < 4) throw invalidFrame('truncated frame');
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  varint(): number | bigint {
    // Most varints (lengths, small ids) are one byte: skip the general decoder and its result object.
    if (this.pos < this.end) {
      const b = this.buf[this.pos] as number;
      if (b < 240) {
        this.pos++;
        return b;
      }
    }
    const { value, next } = readVarint(this.buf, this.pos, this.end);
    this.pos = next;
    return value;
  }

  /** A varint used as a byte count: must be a number no larger than what is left. */
  length(): number {
    const n = this.varint();
    if (typeof n !== 'number' || n > this.end - this.pos) throw invalidFrame('length exceeds frame');
    return n;
  }

  /** `n` raw bytes as a view. */
  bytes(n: number): Buffer {
    if (n > this.end - this.pos) throw invalidFrame('truncated frame');
    const view = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return view;
  }

  /** A bare `<varint len><bytes>` string (names are never typed data), as latin1. */
  name(): string {
    const n = this.length();
    const s = latin1Slice(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
}
