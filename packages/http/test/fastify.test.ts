import { parse as parseQuery } from 'node:querystring';
import Fastify from 'fastify';
import { fastifyWaf, type WafGuard, type WafVerdict } from '../src';
import { sha256 } from './helpers/client';
import { countCall, frameworkSuite, BACKLOG, KEEP_ALIVE_MS, type StartedApp } from './helpers/framework-suite';

declare module 'fastify' {
  interface FastifyRequest {
    waf?: WafVerdict | null;
  }
  interface FastifyInstance {
    wafGuard: WafGuard;
  }
}

const LEAK = '<html><body><p>You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near \'\'\' at line 1</p></body></html>';

frameworkSuite('Fastify 5', async (waf): Promise<StartedApp> => {
  const calls = new Map<string, number>();
  const app = Fastify({ bodyLimit: 10 * 1024 * 1024, keepAliveTimeout: KEEP_ALIVE_MS });
  await app.register(fastifyWaf, { waf });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, parseQuery(body as string));
  });
  app.get('/hello', async () => {
    countCall(calls, 'hello');
    return 'hello';
  });
  app.get('/verdict', async (request) => ({ id: request.waf?.id, blocked: request.waf?.blocked, logged: request.waf?.matchedRules.filter((r) => r.logged).map((r) => r.id) }));
  app.post('/json', async (request) => {
    countCall(calls, 'json');
    return request.body;
  });
  app.post('/form', async (request) => {
    countCall(calls, 'form');
    return { ...(request.body as object) };
  });
  // Routes whose handlers read the body from the request stream themselves: in their own context, no parser.
  await app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', (_req, _payload, done) => done(null));
    for (const route of ['raw', 'multipart']) {
      raw.post(`/${route}`, async (request) => {
        countCall(calls, route);
        const chunks: Buffer[] = [];
        for await (const chunk of request.raw) chunks.push(chunk as Buffer);
        const body = Buffer.concat(chunks);
        return { length: body.length, sha256: sha256(body) };
      });
    }
  });
  app.get('/leak', async (_request, reply) => {
    countCall(calls, 'leak');
    reply.header('set-cookie', 'session=abc').type('text/html; charset=utf-8');
    return LEAK;
  });
  await app.listen({ port: 0, host: '127.0.0.1', backlog: BACKLOG });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    calls,
    activeTransactions: () => app.wafGuard.activeTransactions,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
});
