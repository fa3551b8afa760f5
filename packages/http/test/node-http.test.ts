import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import { wafHandler } from '../src';
import { sha256 } from './helpers/client';
import { countCall, frameworkSuite, BACKLOG, KEEP_ALIVE_MS, type StartedApp } from './helpers/framework-suite';

const LEAK = '<html><body><p>You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near \'\'\' at line 1</p></body></html>';

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

frameworkSuite('node:http', async (waf): Promise<StartedApp> => {
  const calls = new Map<string, number>();
  const handler = wafHandler(waf, (req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0];
      switch (`${req.method} ${path}`) {
        case 'GET /hello':
          countCall(calls, 'hello');
          res.end('hello');
          return;
        case 'GET /verdict':
          json(res, { id: req.waf?.id, blocked: req.waf?.blocked, logged: req.waf?.matchedRules.filter((r) => r.logged).map((r) => r.id) });
          return;
        case 'POST /json':
          countCall(calls, 'json');
          json(res, JSON.parse((await readBody(req)).toString('utf8')));
          return;
        case 'POST /form':
          countCall(calls, 'form');
          json(res, { ...parseQuery((await readBody(req)).toString('utf8')) });
          return;
        case 'POST /raw':
        case 'POST /multipart': {
          countCall(calls, path!.slice(1));
          const body = await readBody(req);
          json(res, { length: body.length, sha256: sha256(body) });
          return;
        }
        case 'GET /leak':
          countCall(calls, 'leak');
          res.setHeader('set-cookie', 'session=abc');
          res.setHeader('content-type', 'text/html; charset=utf-8');
          res.write(LEAK.slice(0, 40));
          res.end(LEAK.slice(40));
          return;
        default:
          res.statusCode = 404;
          res.end();
      }
    })();
  });
  const server = createServer({ keepAliveTimeout: KEEP_ALIVE_MS }, handler);
  server.listen({ port: 0, host: '127.0.0.1', backlog: BACKLOG });
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    calls,
    activeTransactions: () => handler.guard.activeTransactions,
    close: () => new Promise((resolve) => (server.close(() => resolve()), server.closeAllConnections())),
  };
});
