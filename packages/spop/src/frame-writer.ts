import { SpopError } from './spop-error';
import { SpopStatus } from './status';
import { varintLength, writeVarint } from './varint';

/**
 * Builds frames into one growing Buffer: `begin` reserves the 4-byte length, `end` back-patches it, so a
 * frame never needs a size pass or a concat. `finish` hands the bytes out once (one `write()` per frame);
 * the writer is not reusable afterwards because the socket may still hold the returned view.
 */
export class FrameWriter {
  private buf: Buffer;
  private pos = 0;
  private frameStart = -1;
  private finished = false;

  constructor(initialSize = 128) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** Starts a frame: length placeholder, type, flags, stream id, frame id. */
  begin(type: number, flags: number, streamId: number | bigint, frameId: number | bigint): this {
    if (this.frameStart !== -1) throw new Error('FrameWriter: previous frame not ended');
    this.frameStart = this.pos;
    this.ensure(4);
    this.pos += 4;
    this.u8(type);
    this.u32(flags);
    this.varint(streamId);
    this.varint(frameId);
    return this;
  }

  /**
   * Ends the current frame by patching its length. Throws `SpopError` status 3 when the frame (length field
   * value, i.e. without the 4-byte prefix) exceeds `maxFrameSize`.
   */
  end(maxFrameSize: number = 0xffffffff): this {
    if (this.frameStart === -1) throw new Error('FrameWriter: no frame begun');
    const len = this.pos - this.frameStart - 4;
    if (len > maxFrameSize) {
      throw new SpopError(SpopStatus.TooBig, `frame of ${len} bytes exceeds max-frame-size ${maxFrameSize}`);
    }
    this.buf.writeUInt32BE(len, this.frameStart);
    this.frameStart = -1;
    return this;
  }

  /** All frames written so far, as one Buffer. */
  finish(): Buffer {
    if (this.frameStart !== -1) throw new Error('FrameWriter: frame not ended');
    if (this.finished) throw new Error('FrameWriter: already finished');
    this.finished = true;
    return this.buf.subarray(0, this.pos);
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.pos++] = v;
    return this;
  }

  u32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  varint(v: number | bigint): this {
    this.ensure(varintLength(v));
    this.pos = writeVarint(this.buf, this.pos, v);
    return this;
  }

  /** `n` bytes reserved for the caller to fill at the returned offset of `target()`. */
  reserve(n: number): number {
    this.ensure(n);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  /** The current backing buffer (valid until the next write that grows it). */
  target(): Buffer {
    return this.buf;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  /** `<varint len><latin1 bytes>`: names, and the body of STRING values. */
  latin1(s: string): this {
    this.varint(s.length);
    this.ensure(s.length);
    this.pos += this.buf.write(s, this.pos, s.length, 'latin1');
    return this;
  }

  private ensure(n: number): void {
    if (this.finished) throw new Error('FrameWriter: already finished');
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }
}
