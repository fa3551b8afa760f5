/**
 * Accumulates a request (or response) body chunk by chunk under a byte limit.
 *
 * Chunks are kept in a list and joined once, on the first `toLatin1()` call, so appending N chunks costs O(total)
 * rather than the O(N * total) of `Buffer.concat` per chunk. Bytes past the limit are never stored: the buffer keeps
 * the prefix up to the limit (what ModSecurity's `SecRequestBodyLimitAction ProcessPartial` inspects) and remembers
 * that the limit was exceeded (what `INBOUND_DATA_ERROR` reports and what `Reject` acts on).
 */
export interface BodyBufferOptions {
  /** Most bytes kept; `0` or `Infinity` means no limit (ModSecurity treats a limit of 0 as "no limit"). */
  readonly limit: number;
}

export type BodyChunk = string | Uint8Array;

export class BodyBuffer {
  readonly limit: number;
  #chunks: string[] = [];
  #length = 0;
  #received = 0;
  #exceeded = false;
  #joined: string | undefined;

  constructor(options: BodyBufferOptions) {
    this.limit = options.limit > 0 ? options.limit : Infinity;
  }

  /**
   * Appends a chunk (a latin1 string, one char per byte, or raw bytes). Returns false when this chunk went over the
   * limit (all or part of it was dropped), true when it was kept whole.
   */
  append(chunk: BodyChunk): boolean {
    const size = typeof chunk === 'string' ? chunk.length : chunk.byteLength;
    this.#received += size;
    if (size === 0) return !this.#exceeded;
    const room = this.limit - this.#length;
    if (room <= 0) {
      this.#exceeded = true;
      return false;
    }
    const keep = Math.min(room, size);
    const text = typeof chunk === 'string' ? chunk.slice(0, keep) : latin1Of(chunk, keep);
    this.#chunks.push(text);
    this.#length += keep;
    this.#joined = undefined;
    if (keep < size) {
      this.#exceeded = true;
      return false;
    }
    return true;
  }

  /** Bytes kept (at most `limit`). */
  get length(): number {
    return this.#length;
  }

  /** Bytes offered through `append`, kept or not. */
  get receivedLength(): number {
    return this.#received;
  }

  /** True once any byte was dropped because of the limit. */
  get limitExceeded(): boolean {
    return this.#exceeded;
  }

  /** The kept bytes as one latin1 string; joined once and cached until the next append. */
  toLatin1(): string {
    if (this.#joined === undefined) {
      this.#joined = this.#chunks.length === 1 ? (this.#chunks[0] ?? '') : this.#chunks.join('');
      this.#chunks = this.#joined.length > 0 ? [this.#joined] : [];
    }
    return this.#joined;
  }

  /** The kept chunks, without joining them (for processors that stream). */
  chunks(): readonly string[] {
    return this.#joined !== undefined ? [this.#joined] : this.#chunks.slice();
  }
}

function latin1Of(bytes: Uint8Array, length: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, length).toString('latin1');
}
