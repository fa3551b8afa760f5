import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createWaf, type Transaction, type Waf } from '@rampart/engine';
import { type GuardOptions, type TransactionSource, WafGuard, wafHandler } from '../src';
import { bytes, rawRequest, sha256 } from './helpers/client';
import { eventually } from './helpers/crs';

/** A server whose every request goes through `guard` first, then `app`. */
interface Harness {
  readonly port: number;
  readonly base: string;
  readonly guard: WafGuard;
  readonly errors: Array<{ error: unknown; stage: string }>;
  close(): Promise<void>;
}

const servers: Server[] = [];

async function serve(source: TransactionSource, app: RequestListener, options: GuardOptions = {}): Promise<Harness> {
  const errors: Array<{ error: unknown; stage: string }> = [];
  const handler = wafHandler(source, app, { onError: (error, stage) => errors.push({ error, stage }), ...options });
  const server = createServer({ keepAliveTimeout: 60_000 }, handler);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    base: `http://127.0.0.1:${port}`,
    guard: handler.guard,
    errors,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => (s.closeAllConnections(), s.close(resolve)))));
});

function rules(...lines: string[]): Waf {
  return createWaf({ directives: ['SecRuleEngine On', 'SecRequestBodyAccess On', 'SecResponseBodyAccess On', 'SecResponseBodyMimeType text/plain text/html', ...lines].join('\n') });
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, value: unknown): void {
  const text = JSON.stringify(value);
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

const idle = (h: Harness): Promise<void> => eventually(() => h.guard.activeTransactions === 0, 'every transaction to end');

/** A source whose transactions fail at one of their methods, as an engine bug would. */
function failingAt(waf: Waf, method: keyof Transaction): TransactionSource {
  return {
    newTransaction(options) {
      const tx = waf.newTransaction(options);
      Object.defineProperty(tx, method, {
        value: () => {
          throw new Error(`engine failure in ${String(method)}`);
        },
      });
      return tx;
    },
  };
}

describe('the request as the engine sees it', () => {
  it('gives the connection, the raw target, the protocol and the headers as they came', async () => {
    const h = await serve(rules(), (req, res) => {
      const vars = req.waf!.transaction.vars;
      const names = req.waf!.transaction.collection('REQUEST_HEADERS')!.entries().map((e) => e.key);
      sendJson(res, {
        remoteAddr: vars.get('REMOTE_ADDR'),
        serverPort: vars.get('SERVER_PORT'),
        line: vars.get('REQUEST_LINE'),
        filename: vars.get('REQUEST_FILENAME'),
        names,
      });
    });
    const res = await rawRequest(h.port, 'GET /a%2Fb/c?x=%27y HTTP/1.1\r\nHost: example.test\r\nX-MiXeD-Case: 1\r\nConnection: close\r\n\r\n');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      remoteAddr: '127.0.0.1',
      serverPort: String(h.port),
      line: 'GET /a%2Fb/c?x=%27y HTTP/1.1',
      filename: '/a/b/c',
      names: ['Host', 'X-MiXeD-Case', 'Connection'],
    });
    await idle(h);
  });

  it('uses the address the application trusts (clientAddress), e.g. from its proxy', async () => {
    const h = await serve(rules('SecRule REMOTE_ADDR "@ipMatch 203.0.113.0/24" "id:1,phase:1,deny,status:403"'), (_req, res) => res.end('ok'), {
      clientAddress: (req) => String(req.headers['x-forwarded-for'] ?? ''),
    });
    expect((await fetch(h.base, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(403);
    expect((await fetch(h.base, { headers: { 'x-forwarded-for': '198.51.100.1' } })).status).toBe(200);
    await idle(h);
  });

  it('takes the transaction id from the request when asked, and the logs carry it', async () => {
    const lines: string[] = [];
    const waf = createWaf({ directives: 'SecRuleEngine On\nSecRule ARGS:q "@streq bad" "id:1,phase:1,deny,log"', errorLog: (line) => lines.push(line) });
    const h = await serve(waf, (_req, res) => res.end('ok'), { transactionId: (req) => req.headers['x-request-id'] as string | undefined });
    const res = await fetch(`${h.base}/?q=bad`, { headers: { 'x-request-id': 'req-42' } });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('req-42');
    expect(lines.some((l) => l.includes('[unique_id "req-42"]'))).toBe(true);
    await idle(h);
  });
});

describe('interruptions', () => {
  const waf = (): Waf =>
    rules(
      'SecRule ARGS:a "@streq status" "id:1,phase:1,deny,status:406"',
      'SecRule ARGS:a "@streq redirect" "id:2,phase:1,redirect:https://example.test/blocked"',
      'SecRule ARGS:a "@streq drop" "id:3,phase:1,drop"',
      'SecRule ARGS:a "@streq body" "id:4,phase:2,deny"',
    );

  it('answer with the status the rule gives, a redirect, or a dropped connection', async () => {
    let ran = 0;
    const h = await serve(waf(), (_req, res) => {
      ran++;
      res.end('ok');
    });
    const status = await fetch(`${h.base}/?a=status`);
    expect(status.status).toBe(406);
    expect(status.headers.get('cache-control')).toBe('no-store');
    expect(await status.text()).toContain('406 Not Acceptable');

    const redirect = await fetch(`${h.base}/?a=redirect`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('https://example.test/blocked');

    const dropped = await rawRequest(h.port, 'GET /?a=drop HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(dropped.dropped).toBe(true);

    const body = await fetch(h.base, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=body' });
    expect(body.status).toBe(403);
    expect(ran).toBe(0);
    expect((await fetch(`${h.base}/?a=fine`)).status).toBe(200);
    await idle(h);
  });

  it('render the configured error page, given the status and the transaction id', async () => {
    const seen: Array<{ status: number; id: string; rule: number | undefined }> = [];
    const h = await serve(waf(), (_req, res) => res.end('ok'), {
      errorPage: (blocked) => {
        seen.push({ status: blocked.status, id: blocked.id, rule: blocked.interruption?.ruleId });
        return { body: JSON.stringify({ error: 'blocked', ref: blocked.id }), contentType: 'application/json' };
      },
    });
    const res = await fetch(`${h.base}/?a=status`);
    expect(res.status).toBe(406);
    expect(res.headers.get('content-type')).toBe('application/json');
    const page = (await res.json()) as { ref: string };
    expect(seen).toEqual([{ status: 406, id: page.ref, rule: 1 }]);

    const plain = await serve(waf(), (_req, res) => res.end('ok'), { errorPage: () => 'nope' });
    const text = await fetch(`${plain.base}/?a=status`);
    expect(await text.text()).toBe('nope');
    expect(text.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('are not answered in DetectionOnly mode, where the application sees what matched', async () => {
    const detect = createWaf({ directives: 'SecRuleEngine DetectionOnly\nSecRule ARGS:a "@streq status" "id:1,phase:1,deny,status:406,log"' });
    const h = await serve(detect, (req, res) => sendJson(res, { blocked: req.waf!.blocked, matched: req.waf!.matchedRules.map((r) => r.id) }));
    const res = await fetch(`${h.base}/?a=status`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ blocked: false, matched: [1] });
  });

  it('wait for rules with asynchronous operators (@rbl) before letting the request through', async () => {
    const lookups: string[] = [];
    const rbl = createWaf({
      directives: 'SecRuleEngine On\nSecRule REMOTE_ADDR "@rbl bl.example.test" "id:1,phase:1,deny,status:403"',
      dnsResolve: async (name) => {
        lookups.push(name);
        await new Promise((resolve) => setTimeout(resolve, 20));
        return ['127.0.0.2'];
      },
    });
    let ran = 0;
    const h = await serve(rbl, (_req, res) => {
      ran++;
      res.end('ok');
    });
    expect((await fetch(h.base)).status).toBe(403);
    expect(lookups).toEqual(['1.0.0.127.bl.example.test']);
    expect(ran).toBe(0);
    await idle(h);
  });
});

describe('request bodies', () => {
  it('with SecRequestBodyLimitAction ProcessPartial: the rules see the first bytes, the application gets all of them', async () => {
    const waf = rules(
      'SecRequestBodyLimit 1000',
      'SecRequestBodyLimitAction ProcessPartial',
      'SecRule REQUEST_HEADERS:Content-Type "@streq text/plain" "id:2,phase:1,pass,nolog,ctl:forceRequestBodyVariable=On"',
      'SecRule REQUEST_BODY "@contains EVIL" "id:1,phase:2,deny,status:403"',
    );
    const h = await serve(waf, (req, res) => void readAll(req).then((body) => sendJson(res, { length: body.length, sha256: sha256(body) })));
    const body = bytes(50_000).toString('hex');
    const clean = await fetch(h.base, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
    expect(await clean.json()).toEqual({ length: body.length, sha256: sha256(body) });
    const early = await fetch(h.base, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: `EVIL${body}` });
    expect(early.status).toBe(403);
    // Past the limit nothing is inspected, as in ModSecurity: that is what ProcessPartial means.
    const late = await fetch(h.base, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: `${body}EVIL` });
    expect(late.status).toBe(200);
    await idle(h);
  });

  it('are not read when SecRequestBodyAccess is Off; phase 2 still runs', async () => {
    const waf = createWaf({ directives: 'SecRuleEngine On\nSecRequestBodyAccess Off\nSecRule REQUEST_METHOD "@streq PUT" "id:1,phase:2,deny,status:405"' });
    const h = await serve(waf, (req, res) => void readAll(req).then((body) => res.end(String(body.length))));
    const post = await fetch(h.base, { method: 'POST', body: 'x'.repeat(5000) });
    expect(await post.text()).toBe('5000');
    expect((await fetch(h.base, { method: 'PUT', body: 'x' })).status).toBe(405);
    await idle(h);
  });

  it('read by someone before the WAF is a failure of the setup, reported and answered 500', async () => {
    const waf = rules();
    const errors: Array<{ error: unknown; stage: string }> = [];
    const guard = new WafGuard(waf, { onError: (error, stage) => errors.push({ error, stage }) });
    const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
      void readAll(req).then(async () => {
        if (await guard.handle(req, res)) res.end('ok');
      });
    });
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { method: 'POST', body: 'a=1' });
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('could not be checked');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ stage: 'request', error: { code: 'body-consumed' } });
  });
});

describe('responses', () => {
  const leakRules = [
    'SecResponseBodyLimit 1000',
    'SecRule RESPONSE_BODY "@contains SECRET" "id:10,phase:4,deny,status:403"',
    'SecRule RESPONSE_HEADERS:X-Internal "@rx ." "id:11,phase:3,deny,status:502"',
    'SecRule RESPONSE_STATUS "@streq 418" "id:12,phase:4,deny,status:403"',
  ];

  /** The app answers `?body=...&type=...&status=...&flush=1&internal=1` with that body, in two writes. */
  const app: RequestListener = (req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    res.statusCode = Number(q.get('status') ?? 200);
    res.setHeader('content-type', q.get('type') ?? 'text/html');
    res.setHeader('set-cookie', 'session=abc');
    if (q.get('internal')) res.setHeader('x-internal', 'db01');
    const body = q.get('body') ?? 'hello';
    if (q.get('flush')) res.flushHeaders();
    res.write(body.slice(0, 3));
    res.end(body.slice(3));
  };

  it('a leak in an inspected body is replaced by the error page, without the application headers', async () => {
    const h = await serve(rules(...leakRules), app);
    const res = await fetch(`${h.base}/?body=${encodeURIComponent('<p>the SECRET is 42</p>')}`);
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).not.toContain('SECRET');
    const clean = await fetch(`${h.base}/?body=fine`);
    expect(clean.status).toBe(200);
    expect(clean.headers.get('set-cookie')).toBe('session=abc');
    expect(await clean.text()).toBe('fine');
    await idle(h);
  });

  it('phase 3 sees the response headers', async () => {
    const h = await serve(rules(...leakRules), app);
    const res = await fetch(`${h.base}/?internal=1`);
    expect(res.status).toBe(502);
    expect(res.headers.get('x-internal')).toBeNull();
    await idle(h);
  });

  it('bodies of other MIME types stream uninspected and, as in libmodsecurity v3, without phase 4', async () => {
    const h = await serve(rules(...leakRules), app);
    const image = await fetch(`${h.base}/?type=image/png&body=SECRET`);
    expect(image.status).toBe(200);
    expect(await image.text()).toBe('SECRET');
    const teapot = await fetch(`${h.base}/?type=image/png&status=418`);
    expect(teapot.status).toBe(418);
    const inspected = await fetch(`${h.base}/?type=text/html&status=418`);
    expect(inspected.status).toBe(403);
    await idle(h);
  });

  it('past SecResponseBodyLimit: ProcessPartial inspects the held part and streams the rest; Reject answers 403 (libmodsecurity v3)', async () => {
    const partial = await serve(rules(...leakRules, 'SecResponseBodyLimitAction ProcessPartial'), app);
    const long = 'x'.repeat(3000);
    const early = await fetch(`${partial.base}/?body=${encodeURIComponent(`SECRET${long}`)}`);
    expect(early.status).toBe(403);
    const late = await fetch(`${partial.base}/?body=${encodeURIComponent(`${long}SECRET`)}`);
    expect(late.status).toBe(200);
    expect(await late.text()).toBe(`${long}SECRET`);

    const reject = await serve(rules(...leakRules, 'SecResponseBodyLimitAction Reject'), app);
    expect((await fetch(`${reject.base}/?body=${long}`)).status).toBe(403);
    expect((await fetch(`${reject.base}/?body=short`)).status).toBe(200);
    await idle(partial);
    await idle(reject);
  });

  it('after flushHeaders() the status cannot change: a leak found at the end drops the connection', async () => {
    let verdictBlocked: boolean | undefined;
    const h = await serve(rules(...leakRules), (req, res) => {
      res.on('close', () => (verdictBlocked = req.waf?.blocked));
      app(req, res);
    });
    const cut = await rawRequest(h.port, `GET /?flush=1&body=${encodeURIComponent('abcdef SECRET')} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(cut.status).toBe(200);
    expect(cut.dropped).toBe(false);
    expect(cut.body).not.toContain('SECRET');
    await idle(h);
    expect(verdictBlocked).toBe(true);
    const fine = await fetch(`${h.base}/?flush=1&body=abcdef`);
    expect(await fine.text()).toBe('abcdef');
  });

  it('keeps what writeHead was given: status message, repeated headers, and the write callbacks', async () => {
    const phase3: string[] = [];
    const waf = createWaf({
      directives: 'SecRuleEngine On\nSecResponseBodyAccess On\nSecResponseBodyMimeType text/plain\nSecRule &RESPONSE_HEADERS:X-A "@eq 2" "id:1,phase:3,pass,log"',
      errorLog: (line) => phase3.push(line),
    });
    const callbacks: string[] = [];
    const h = await serve(waf, (_req, res) => {
      res.writeHead(201, 'Made Here', ['X-A', '1', 'X-A', '2', 'Content-Type', 'text/plain']);
      res.write('one ', () => callbacks.push('write'));
      res.end('two', () => callbacks.push('end'));
    });
    const res = await rawRequest(h.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(res.head).toMatch(/^HTTP\/1\.1 201 Made Here\r\n/);
    expect(res.head.match(/^X-A: \d$/gim)).toEqual(['X-A: 1', 'X-A: 2']);
    expect(res.body).toContain('one ');
    expect(res.body).toContain('two');
    await eventually(() => callbacks.length === 2, 'the write callbacks');
    expect(callbacks).toEqual(['write', 'end']);
    expect(phase3).toHaveLength(1);
    await idle(h);
  });

  it('HEAD requests and bodiless statuses pass without body inspection', async () => {
    const h = await serve(rules(...leakRules), app);
    const head = await fetch(`${h.base}/?body=SECRET`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const none = await fetch(`${h.base}/?status=204&body=`);
    expect(none.status).toBe(204);
    await idle(h);
  });
});

describe('logging', () => {
  it('runs phase 5 and writes the audit record when the response has ended', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-http-audit-'));
    try {
      const auditLog = path.join(dir, 'audit.log');
      const lines: string[] = [];
      const waf = createWaf({
        directives: [
          'SecRuleEngine On',
          'SecAuditEngine On',
          'SecAuditLogParts ABFHZ',
          `SecAuditLog ${auditLog}`,
          'SecRule RESPONSE_STATUS "@streq 200" "id:50,phase:5,pass,log,msg:\'logged at the end\'"',
        ].join('\n'),
        errorLog: (line) => lines.push(line),
      });
      const h = await serve(waf, (_req, res) => res.end('ok'), { transactionId: () => 'audit-tx-1' });
      const res = await fetch(h.base);
      await res.text();
      await idle(h);
      expect(lines.filter((l) => l.includes('logged at the end'))).toHaveLength(1);
      waf.close();
      const record = readFileSync(auditLog, 'latin1');
      expect(record).toContain(' audit-tx-1 ');
      expect(record).toMatch(/-H--\n.*logged at the end/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('failures inside the WAF', () => {
  it('fail closed by default: 500, reported, the application does not run, the transaction ends', async () => {
    let ran = 0;
    const h = await serve(failingAt(rules(), 'processRequestHeaders'), (_req, res) => {
      ran++;
      res.end('ok');
    });
    const res = await fetch(h.base);
    expect(res.status).toBe(500);
    expect(ran).toBe(0);
    expect(h.errors).toEqual([{ stage: 'request', error: new Error('engine failure in processRequestHeaders') }]);
    await idle(h);
  });

  it('fail open when asked: the request goes through uninspected and req.waf.error says why', async () => {
    const h = await serve(
      failingAt(rules('SecRule ARGS "@streq attack" "id:1,phase:1,deny"'), 'processRequestHeaders'),
      (req, res) => res.end(String((req.waf?.error as Error).message)),
      { failure: 'open' },
    );
    const res = await fetch(`${h.base}/?a=attack`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('engine failure in processRequestHeaders');
    expect(h.errors).toHaveLength(1);
    await idle(h);
  });

  it('in the response phases: closed replaces the response with a 500, open lets it out', async () => {
    const app: RequestListener = (_req, res) => {
      res.setHeader('set-cookie', 'session=abc');
      res.end('the response');
    };
    const closed = await serve(failingAt(rules(), 'processResponseHeaders'), app);
    const c = await fetch(closed.base);
    expect(c.status).toBe(500);
    expect(c.headers.get('set-cookie')).toBeNull();
    const open = await serve(failingAt(rules(), 'processResponseHeaders'), app, { failure: 'open' });
    const o = await fetch(open.base);
    expect(o.status).toBe(200);
    expect(await o.text()).toBe('the response');
    expect([closed.errors[0]?.stage, open.errors[0]?.stage]).toEqual(['response', 'response']);
    await idle(closed);
    await idle(open);
  });

  it('when a transaction cannot even start, and when logging fails, nothing is left behind', async () => {
    const broken: TransactionSource = {
      newTransaction() {
        throw new Error('no rules');
      },
    };
    const h = await serve(broken, (_req, res) => res.end('ok'));
    expect((await fetch(h.base)).status).toBe(500);
    const logging = await serve(failingAt(rules(), 'processLogging'), (_req, res) => res.end('ok'));
    expect((await fetch(logging.base)).status).toBe(200);
    await idle(logging);
    expect(logging.errors.map((e) => e.stage)).toEqual(['logging']);
  });
});

describe('the transaction source', () => {
  it('is told when each transaction ended', async () => {
    const waf = rules();
    const ended: string[] = [];
    const started: string[] = [];
    const source: TransactionSource = {
      newTransaction(options) {
        const tx = waf.newTransaction(options);
        started.push(tx.id);
        return tx;
      },
      transactionEnded(tx) {
        ended.push(tx.id);
      },
    };
    const h = await serve(source, (_req, res) => res.end('ok'));
    await Promise.all([1, 2, 3].map(async () => (await fetch(h.base)).text()));
    await idle(h);
    expect(ended.sort()).toEqual(started.sort());
    expect(started).toHaveLength(3);
  });
});
