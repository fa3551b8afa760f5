import { appendFileSync } from 'node:fs';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { AlbedoBackend, type InProcessWaf, parseHttpRequest } from '../../src';

export interface FakeWafServer {
  readonly port: number;
  readonly requests: string[];
  close(): Promise<void>;
}

const REASON: Record<number, string> = { 200: 'OK', 400: 'Bad Request', 414: 'Request-URI Too Long' };

/**
 * A WAF over HTTP for HTTP-mode tests, on 127.0.0.1 (ephemeral port): the emulated front end, the given WAF, the
 * emulated albedo; every log line goes to logFile before the response is written. It closes itself after
 * `idleMs` without a connection, so a failing test cannot leave it running.
 */
export async function startFakeWafServer(waf: InProcessWaf, logFile: string, opts: { idleMs?: number; logMarkers?: boolean } = {}): Promise<FakeWafServer> {
  const backend = new AlbedoBackend();
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  let idle: NodeJS.Timeout | undefined;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    armIdle();
    let raw = '';
    let done = false;
    socket.on('data', (chunk: Buffer) => {
      if (done) return;
      raw += chunk.toString('latin1');
      const front = parseHttpRequest(raw);
      if (front.kind === 'no-response') {
        if (/HTTP\/0\.9/.test(front.reason)) {
          done = true;
          requests.push(raw);
          socket.end('<html>HTTP/0.9 answer: a body without a status line</html>');
        }
        return; // otherwise wait for the rest of the request
      }
      done = true;
      requests.push(raw);
      if (front.kind === 'response') {
        socket.end(`HTTP/1.1 ${front.status} ${REASON[front.status] ?? ''}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
        return;
      }
      void waf.run(front.request, (r) => backend.handle(r)).then((result) => {
        const isMarker = front.request.headers.some(([n]) => n.toLowerCase() === 'x-crs-test');
        const lines = isMarker && opts.logMarkers === false ? [] : result.logLines;
        if (lines.length > 0) appendFileSync(logFile, lines.map((l) => `${l}\n`).join(''));
        socket.end(`HTTP/1.1 ${result.status} ${REASON[result.status] ?? ''}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      });
    });
    socket.on('error', () => socket.destroy());
  });
  const armIdle = (): void => {
    if (idle) clearTimeout(idle);
    idle = setTimeout(() => server.close(), opts.idleMs ?? 10_000);
    idle.unref();
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  armIdle();
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        if (idle) clearTimeout(idle);
        for (const s of sockets) s.destroy();
        if (!server.listening) resolve();
        else server.close(() => resolve());
      }),
  };
}
