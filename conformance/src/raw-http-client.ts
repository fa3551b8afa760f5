import * as net from 'node:net';
import type { StageObservation } from './judge';

export interface RawSendOptions {
  readonly host: string;
  readonly port: number;
  /** go-ftw: 3 s. */
  readonly connectTimeoutMs?: number;
  /** go-ftw CLI default: 10 s. */
  readonly readTimeoutMs?: number;
}

/** Response bytes kept for response_contains: the head and the start of the body, like go-ftw's buffered read. */
const KEEP_BYTES = 4096;

/** Go's http.ReadResponse on the status line: `HTTP/x.y NNN ...`, anything else is a parse error. */
function parseStatusLine(head: string): number | undefined {
  const m = /^HTTP\/\d+\.\d+ (\d{3})(?: |\r?$)/.exec(head.split('\n', 1)[0] ?? '');
  return m ? Number(m[1]) : undefined;
}

/**
 * Sends raw bytes on a new connection and reads until the response head is complete (or the peer closes), as
 * go-ftw does per request. Never rejects: failures are observations (`kind: 'error'`) for expect_error to judge.
 */
export function sendRaw(bytes: string, options: RawSendOptions): Promise<StageObservation> {
  return new Promise((resolve) => {
    let received = '';
    let settled = false;
    const socket = net.connect({ host: options.host, port: options.port });
    const finish = (obs: StageObservation): void => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      socket.destroy();
      resolve(obs);
    };
    const connectTimer = setTimeout(() => finish({ kind: 'error', message: `connect timeout after ${options.connectTimeoutMs ?? 3000} ms` }), options.connectTimeoutMs ?? 3000);
    socket.once('connect', () => {
      clearTimeout(connectTimer);
      socket.setTimeout(options.readTimeoutMs ?? 10_000, () => finish({ kind: 'error', message: 'read timeout' }));
      socket.write(Buffer.from(bytes, 'latin1'));
    });
    socket.on('data', (chunk: Buffer) => {
      if (received.length < KEEP_BYTES * 4) received += chunk.toString('latin1');
      const headEnd = received.indexOf('\r\n\r\n');
      if (headEnd !== -1 || received.length >= KEEP_BYTES * 4) {
        const status = parseStatusLine(received);
        finish(status === undefined ? { kind: 'error', message: `malformed HTTP response: ${JSON.stringify(received.slice(0, 60))}` } : { kind: 'response', status, rawResponse: received.slice(0, KEEP_BYTES) });
      }
    });
    socket.on('end', () => {
      const status = parseStatusLine(received);
      if (status !== undefined && received.includes('\r\n\r\n')) finish({ kind: 'response', status, rawResponse: received.slice(0, KEEP_BYTES) });
      else finish({ kind: 'error', message: received === '' ? 'EOF before any response' : `malformed HTTP response: ${JSON.stringify(received.slice(0, 60))}` });
    });
    socket.on('error', (err) => finish({ kind: 'error', message: err.message }));
  });
}
