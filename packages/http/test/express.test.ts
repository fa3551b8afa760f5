import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { expressWaf } from '../src';
import { sha256 } from './helpers/client';
import { countCall, frameworkSuite, BACKLOG, KEEP_ALIVE_MS, type StartedApp } from './helpers/framework-suite';

const LEAK = '<html><body><p>You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near \'\'\' at line 1</p></body></html>';

frameworkSuite('Express 5', async (waf): Promise<StartedApp> => {
  const calls = new Map<string, number>();
  const middleware = expressWaf(waf);
  const app = express();
  app.use(middleware);
  app.get('/hello', (_req, res) => {
    countCall(calls, 'hello');
    res.send('hello');
  });
  app.get('/verdict', (req, res) => {
    res.json({ id: req.waf?.id, blocked: req.waf?.blocked, logged: req.waf?.matchedRules.filter((r) => r.logged).map((r) => r.id) });
  });
  app.post('/json', express.json(), (req, res) => {
    countCall(calls, 'json');
    res.json(req.body);
  });
  app.post('/form', express.urlencoded({ extended: false }), (req, res) => {
    countCall(calls, 'form');
    res.json(req.body);
  });
  const hashBody = (route: string) => async (req: express.Request, res: express.Response) => {
    countCall(calls, route);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    res.json({ length: body.length, sha256: sha256(body) });
  };
  app.post('/raw', hashBody('raw'));
  app.post('/multipart', hashBody('multipart'));
  app.get('/leak', (_req, res) => {
    countCall(calls, 'leak');
    res.cookie('session', 'abc').type('html').send(LEAK);
  });
  const server = createServer({ keepAliveTimeout: KEEP_ALIVE_MS }, app);
  server.listen({ port: 0, host: '127.0.0.1', backlog: BACKLOG });
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    calls,
    activeTransactions: () => middleware.guard.activeTransactions,
    close: () => new Promise((resolve) => (server.close(() => resolve()), server.closeAllConnections())),
  };
});
