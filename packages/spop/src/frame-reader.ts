import { MIN_FRAME_SIZE } from './frame-codec';
import { SpopError, invalidFrame } from './spop-error';
import { SpopStatus } from './status';

/**
 * Length-prefixed stream parser. Chunks are kept by reference, never concatenated: a frame that lies
 * inside one chunk is returned as a `subarray` view of it; a frame split across chunks is copied once into
 * a Buffer of exactly its size, allocated only after its length passed the max-frame-size check. Returned
 * frames are never written to again, so views into them (binary values) stay valid after later reads.
 *
 * Usage: `push(chunk)`, then call `next()` until it returns `undefined`. `next()` throws `SpopError`
 * (3 = too big, 4 = invalid length); the reader is unusable afterwards.
 */
export class FrameReader {
  private chunk: Buffer | undefined;
  private offset = 0;
  private readonly lenBytes = Buffer.alloc(4);
  private lenFill = 0;
  private partial: Buffer | undefined;
  private partialFill = 0;
  private failed = false;

  constructor(private maxFrameSize: number) {}

  /** Applies to frames whose length has not been read yet (after HELLO negotiation). */
  setMaxFrameSize(n: number): void {
    this.maxFrameSize = n;
  }

  getMaxFrameSize(): number {
    return this.maxFrameSize;
  }

  /** Queues a chunk. All frames of the previous chunk must have been taken with `next()`. */
  push(chunk: Buffer): void {
    if (this.chunk !== undefined && this.offset < this.chunk.length) {
      throw new Error('FrameReader.push: previous chunk not fully consumed');
    }
    this.chunk = chunk;
    this.offset = 0;
  }

  /** True while a frame has started but not completed (EOF now = connection closed mid-frame). */
  midFrame(): boolean {
    return this.lenFill > 0 || this.partial !== undefined;
  }

  /** The next complete frame body (without its 4-byte length), or `undefined` when more bytes are needed. */
  next(): Buffer | undefined {
    if (this.failed) throw new SpopError(SpopStatus.Invalid, 'reader failed earlier');
    const chunk = this.chunk;
    if (chunk === undefined) return undefined;
    const avail = chunk.length - this.offset;

    if (this.partial !== undefined) {
      const need = this.partial.length - this.partialFill;
      const n = Math.min(need, avail);
      chunk.copy(this.partial, this.partialFill, this.offset, this.offset + n);
      this.partialFill += n;
      this.consume(n);
      if (n < need) return undefined;
      const frame = this.partial;
      this.partial = undefined;
      this.partialFill = 0;
      return frame;
    }

    let len: number;
    if (this.lenFill === 0 && avail >= 4) {
      len = chunk.readUInt32BE(this.offset);
      this.consume(4);
    } else {
      const n = Math.min(4 - this.lenFill, avail);
      chunk.copy(this.lenBytes, this.lenFill, this.offset, this.offset + n);
      this.lenFill += n;
      this.consume(n);
      if (this.lenFill < 4) return undefined;
      this.lenFill = 0;
      len = this.lenBytes.readUInt32BE(0);
    }
    this.checkLength(len);

    const rest = this.chunk;
    const restAvail = rest === undefined ? 0 : rest.length - this.offset;
    if (rest !== undefined && restAvail >= len) {
      const frame = rest.subarray(this.offset, this.offset + len);
      this.consume(len);
      return frame;
    }
    this.partial = Buffer.allocUnsafe(len);
    if (rest !== undefined && restAvail > 0) {
      rest.copy(this.partial, 0, this.offset, this.offset + restAvail);
      this.partialFill = restAvail;
      this.consume(restAvail);
    }
    return undefined;
  }

  private checkLength(len: number): void {
    if (len > this.maxFrameSize) {
      this.failed = true;
      throw new SpopError(SpopStatus.TooBig, `frame of ${len} bytes exceeds max-frame-size ${this.maxFrameSize}`);
    }
    if (len < MIN_FRAME_SIZE) {
      this.failed = true;
      throw invalidFrame(`frame length ${len} is shorter than a frame header`);
    }
  }

  private consume(n: number): void {
    this.offset += n;
    if (this.chunk !== undefined && this.offset >= this.chunk.length) {
      this.chunk = undefined;
      this.offset = 0;
    }
  }
}
