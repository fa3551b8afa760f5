/**
 * RESP2, the Redis serialisation protocol: commands go out as arrays of bulk strings, replies come back as
 * simple strings, errors, integers, bulk strings (null for nil) and arrays of those.
 */
export type RespReply = string | number | null | RespError | RespReply[];

/** An error reply (`-ERR ...`): a value the caller inspects, not an exception. */
export class RespError {
  constructor(readonly message: string) {}
}

/** One command as bytes; arguments are UTF-8. */
export function encodeCommand(args: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`, 'latin1')];
  for (const a of args) {
    const bytes = Buffer.from(a, 'utf8');
    parts.push(Buffer.from(`$${bytes.length}\r\n`, 'latin1'), bytes, CRLF);
  }
  return Buffer.concat(parts);
}

const CRLF = Buffer.from('\r\n', 'latin1');

/** Replies larger than this, or nested deeper, mean a broken or hostile peer: the stream is abandoned. */
const MAX_BULK_BYTES = 64 * 1024 * 1024;
const MAX_DEPTH = 8;
const MAX_ARRAY_LENGTH = 1024 * 1024;

/**
 * Incremental reply parser: `feed` chunks as they arrive (split anywhere), `next` returns complete replies
 * in order. A malformed stream throws, after which the connection must be dropped.
 */
export class RespReader {
  private buffer: Buffer = Buffer.alloc(0);
  private offset = 0;

  feed(chunk: Uint8Array): void {
    const rest = this.buffer.subarray(this.offset);
    this.buffer = rest.length === 0 ? Buffer.from(chunk) : Buffer.concat([rest, chunk]);
    this.offset = 0;
  }

  /** The next complete reply, or `undefined` when more bytes are needed. */
  next(): { reply: RespReply } | undefined {
    const parsed = this.parse(this.offset, 0);
    if (!parsed) return undefined;
    this.offset = parsed.end;
    return { reply: parsed.reply };
  }

  private parse(at: number, depth: number): { reply: RespReply; end: number } | undefined {
    if (depth > MAX_DEPTH) throw new Error('RESP reply nested too deeply');
    const lineEnd = this.buffer.indexOf(CRLF, at);
    if (lineEnd === -1) {
      if (this.buffer.length - at > 64 * 1024) throw new Error('RESP line too long');
      return undefined;
    }
    const type = this.buffer[at];
    const line = this.buffer.toString('latin1', at + 1, lineEnd);
    const after = lineEnd + 2;
    switch (type) {
      case 0x2b: // +
        return { reply: line, end: after };
      case 0x2d: // -
        return { reply: new RespError(line), end: after };
      case 0x3a: // :
        return { reply: integer(line), end: after };
      case 0x24: {
        // $
        const n = integer(line);
        if (n === -1) return { reply: null, end: after };
        if (n < 0 || n > MAX_BULK_BYTES) throw new Error(`RESP bulk length ${n}`);
        if (this.buffer.length < after + n + 2) return undefined;
        if (this.buffer[after + n] !== 0x0d || this.buffer[after + n + 1] !== 0x0a) throw new Error('RESP bulk not terminated');
        return { reply: this.buffer.toString('utf8', after, after + n), end: after + n + 2 };
      }
      case 0x2a: {
        // *
        const n = integer(line);
        if (n === -1) return { reply: null, end: after };
        if (n < 0 || n > MAX_ARRAY_LENGTH) throw new Error(`RESP array length ${n}`);
        const items: RespReply[] = [];
        let end = after;
        for (let i = 0; i < n; i++) {
          const item = this.parse(end, depth + 1);
          if (!item) return undefined;
          items.push(item.reply);
          end = item.end;
        }
        return { reply: items, end };
      }
      default:
        throw new Error(`RESP reply type 0x${(type ?? 0).toString(16)}`);
    }
  }
}

function integer(text: string): number {
  if (!/^-?\d{1,15}$/.test(text)) throw new Error(`RESP integer '${text.slice(0, 20)}'`);
  return Number(text);
}
