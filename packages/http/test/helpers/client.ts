import { createHash } from 'node:crypto';
import * as net from 'node:net';

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Deterministic bytes (all 256 values) for bodies whose integrity is checked end to end. */
export function bytes(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = x >>> 16;
  }
  return out;
}

export interface RawResponse {
  readonly status: number;
  readonly head: string;
  readonly body: string;
  /** The server closed the connection (or reset it) without a complete response. */
  readonly dropped: boolean;
}

/** Sends bytes as they are (a raw target fetch would normalise) and reads until the server closes. */
export function rawRequest(port: number, request: string | Buffer, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('raw request timed out'));
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    const done = (dropped: boolean): void => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = split === -1 ? text : text.slice(0, split);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body: split === -1 ? '' : text.slice(split + 4), dropped: dropped || status === 0 });
    };
    socket.on('end', () => done(false));
    socket.on('error', () => done(true));
    socket.write(request);
  });
}
