import * as net from 'node:net';
import type { ManagedWaf } from '@rampart/waf';
import type { TransactionSource } from '../../src';
import { bytes, rawRequest, sha256 } from './client';
import { crsWaf, eventually } from './crs';

/**
 * What each framework's test app serves (the same routes, written the way that framework is used):
 *   GET  /hello      'hello'
 *   GET  /verdict    { id, blocked, logged }: req.waf as the application sees it
 *   POST /json       the body parsed by the framework's JSON parser, echoed
 *   POST /form       the body parsed as urlencoded, echoed
 *   POST /raw        { length, sha256 } of the body, read from the request stream by the handler
 *   POST /multipart  the same, for a multipart body
 *   GET  /leak       an HTML page with a MySQL error message (CRS 951230, blocked in phase 4)
 */
export interface StartedApp {
  readonly port: number;
  /** How many times each route's handler ran. */
  readonly calls: Map<string, number>;
  activeTransactions(): number;
  close(): Promise<void>;
}

export type StartApp = (waf: TransactionSource) => Promise<StartedApp>;

/**
 * The test servers' keep-alive timeout. Node's 5 s default races the client's reuse of an idle connection when a
 * loaded machine stalls the event loop for seconds (the server resets a connection the client just wrote to).
 */
export const KEEP_ALIVE_MS = 60_000;

/**
 * The test servers' listen backlog. With Node's 511, 1,000 connections opened at once while CRS keeps the event loop
 * busy overflow the accept queue, and the kernel resets connections the client already wrote to.
 */
export const BACKLOG = 2048;

export function countCall(calls: Map<string, number>, route: string): void {
  calls.set(route, (calls.get(route) ?? 0) + 1);
}

const SQLI = "1' UNION SELECT username, password FROM users--";
const XSS = '<script>alert(document.cookie)</script>';
const RCE = '; cat /etc/passwd';

function multipart(boundary: string, fields: Record<string, string>, file?: { name: string; data: Buffer }): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`, 'utf8'));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
    parts.push(file.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(parts);
}

/** The tests issue 21 lists, against one framework, with real sockets on 127.0.0.1 and fetch (undici) as the client. */
export function frameworkSuite(framework: string, start: StartApp): void {
  describe(`${framework} behind the WAF (CRS 4 PL1, blocking)`, () => {
    let waf: ManagedWaf;
    let app: StartedApp;
    let base: string;
    const errorLog: string[] = [];

    beforeAll(async () => {
      waf = await crsWaf(errorLog);
      app = await start(waf);
      base = `http://127.0.0.1:${app.port}`;
    }, 120_000);

    afterAll(async () => {
      await app?.close();
      waf?.close();
    }, 60_000);

    const calls = (route: string): number => app.calls.get(route) ?? 0;
    const noneActive = (): Promise<void> => eventually(() => app.activeTransactions() === 0 && waf.activeTransactions === 0, 'every transaction to end');

    it('passes clean GET and POST requests, and the application sees req.waf', async () => {
      const hello = await fetch(`${base}/hello?name=Ada`);
      expect(hello.status).toBe(200);
      expect(await hello.text()).toBe('hello');

      // The one rule a request to 127.0.0.1 matches at PL1: 920350, Host header is a numeric IP address (a warning).
      const verdict = await fetch(`${base}/verdict`);
      const seen = (await verdict.json()) as { id: string; blocked: boolean; logged: number[] };
      expect(seen).toEqual({ id: expect.stringMatching(/^\S+$/) as unknown as string, blocked: false, logged: [920350] });

      const json = await fetch(`${base}/json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ada Lovelace', year: 1843 }) });
      expect(json.status).toBe(200);
      expect(await json.json()).toEqual({ name: 'Ada Lovelace', year: 1843 });

      const form = await fetch(`${base}/form`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=Ada+Lovelace&year=1843' });
      expect(form.status).toBe(200);
      expect(await form.json()).toEqual({ name: 'Ada Lovelace', year: '1843' });
      await noneActive();
    });

    it('blocks attacks in the query, a JSON body, an urlencoded body and a multipart body before the handler runs', async () => {
      const before = { hello: calls('hello'), json: calls('json'), form: calls('form'), multipart: calls('multipart') };
      const query = await fetch(`${base}/hello?q=${encodeURIComponent(SQLI)}`);
      const json = await fetch(`${base}/json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ comment: XSS }) });
      const form = await fetch(`${base}/form`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `host=${encodeURIComponent(RCE)}` });
      const boundary = 'rampart-test-boundary';
      const mp = await fetch(`${base}/multipart`, {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body: multipart(boundary, { comment: XSS }),
      });
      for (const res of [query, json, form, mp]) {
        expect(res.status).toBe(403);
        expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
        const page = await res.text();
        expect(page).toContain('403 Forbidden');
        // The reference is the transaction id that the error log carries.
        const id = /Reference: <code>([^<]+)<\/code>/.exec(page)?.[1];
        expect(errorLog.some((line) => line.includes(`[unique_id "${id}"]`))).toBe(true);
      }
      expect({ hello: calls('hello'), json: calls('json'), form: calls('form'), multipart: calls('multipart') }).toEqual(before);
      await noneActive();
    });

    it('blocks a response that leaks a database error in phase 4, after the handler ran', async () => {
      const ran = calls('leak');
      const res = await fetch(`${base}/leak`);
      expect(res.status).toBe(403);
      const page = await res.text();
      expect(page).not.toContain('SQL syntax');
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(calls('leak')).toBe(ran + 1);
      await noneActive();
    });

    it('hands the inspected body to the application byte for byte: fixed length, chunked and multipart', async () => {
      // JSON, a type CRS allows (920420 refuses application/octet-stream), under SecRequestBodyNoFilesLimit (128 KiB).
      const body = Buffer.from(JSON.stringify({ data: bytes(50_000).toString('hex') }));
      const fixed = await fetch(`${base}/raw`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(fixed.status).toBe(200);
      expect(await fixed.json()).toEqual({ length: body.length, sha256: sha256(body) });

      const pieces = [body.subarray(0, 1000), body.subarray(1000, 60_000), body.subarray(60_000)];
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = pieces.shift();
          if (next === undefined) controller.close();
          else {
            await new Promise((resolve) => setTimeout(resolve, 5));
            controller.enqueue(next);
          }
        },
      });
      const chunked = await fetch(`${base}/raw`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(200);
      expect(await chunked.json()).toEqual({ length: body.length, sha256: sha256(body) });

      const boundary = 'rampart-upload-boundary';
      const upload = multipart(boundary, { title: 'report' }, { name: 'data.bin', data: bytes(50_000, 7) });
      const mp = await fetch(`${base}/multipart`, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body: upload });
      expect(mp.status).toBe(200);
      expect(await mp.json()).toEqual({ length: upload.length, sha256: sha256(upload) });
      await noneActive();
    });

    it('refuses a body over SecRequestBodyLimit with 403 (libmodsecurity v3\'s status) without running the handler, and keeps serving', async () => {
      // (application/octet-stream alone would get 403 from 920420 in phase 2: the limit's refusal comes before it.)
      const ran = calls('raw');
      const res = await fetch(`${base}/raw`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes(2 * 1024 * 1024) });
      expect(res.status).toBe(403);
      await res.text();
      expect(calls('raw')).toBe(ran);
      expect(errorLog.some((line) => line.includes('Request body (Content-Length) is larger than the configured limit (1048576)'))).toBe(true);
      expect((await fetch(`${base}/hello`)).status).toBe(200);
      await noneActive();
    });

    it('ends the transaction of a client that aborts in the middle of its body, without running the handler', async () => {
      const ran = calls('raw');
      await new Promise<void>((resolve, reject) => {
        const socket = net.connect(app.port, '127.0.0.1', () => {
          socket.write('POST /raw HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n');
          socket.write(bytes(30_000));
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 50);
        });
        socket.on('error', reject);
      });
      await noneActive();
      expect(calls('raw')).toBe(ran);
      expect((await fetch(`${base}/hello`)).status).toBe(200);
      await noneActive();
    });

    it('answers 1,000 concurrent requests (clean and attacks) each as it should, and leaves no transaction behind', async () => {
      const requests = Array.from({ length: 1000 }, (_, i) => {
        switch (i % 4) {
          case 0:
            return { expect: 200, go: () => fetch(`${base}/hello?i=${i}`) };
          case 1:
            return { expect: 403, go: () => fetch(`${base}/hello?id=${encodeURIComponent(SQLI)}&i=${i}`) };
          case 2:
            return { expect: 200, go: () => fetch(`${base}/json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ i, note: 'plain text' }) }) };
          default:
            return { expect: 403, go: () => fetch(`${base}/json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ i, note: XSS }) }) };
        }
      });
      const statuses = await Promise.all(
        requests.map(async (r) => {
          const res = await r.go();
          await res.arrayBuffer();
          return res.status === r.expect;
        }),
      );
      expect(statuses.filter((ok) => !ok)).toHaveLength(0);
      await noneActive();
    }, 300_000);
  });
}
