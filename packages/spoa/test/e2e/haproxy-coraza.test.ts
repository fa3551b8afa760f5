/**
 * coraza-spoa's HAProxy configuration (named coraza-req via send-spoe-group, coraza-res on on-http-response,
 * var-prefix coraza) against the agent with a YAML file of two applications, through a real HAProxy: Debian's
 * 2.6 and 3.3.0 (SPOP multiplexer), each in turn. Skipped, with a printed warning, when none is installed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { spawnSync } from 'node:child_process';
import { loadAppConfig, SpoaAgent } from '../../src';
import { HAPROXIES, startHaproxy, type HaproxyBinary, type RunningHaproxy } from '../helpers/haproxy';
import { freePort, http } from '../helpers/net';

const describeIfHaproxy = HAPROXIES.length > 0 ? describe.each(HAPROXIES.map((b) => [b.version, b] as const)) : describe.skip.each([['none', undefined]]);
if (HAPROXIES.length === 0) {
  // eslint-disable-next-line no-console
  console.warn('haproxy not found on PATH: coraza-style real-HAProxy e2e tests SKIPPED (apt-get install -y haproxy)');
}

describeIfHaproxy('coraza-spoa messages and several applications behind HAProxy %s', (_version: string, binary: HaproxyBinary | undefined) => {
  let dir: string;
  let backend: HttpServer;
  let haproxy: RunningHaproxy | undefined;
  let agent: SpoaAgent | undefined;
  let front: number;
  let logText = '';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'spoa-coraza-'));
    backend = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(req.url === '/leak' ? 'internal-secret-token' : 'ok');
      });
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    const backendPort = (backend.address() as AddressInfo).port;
    writeFileSync(
      path.join(dir, 'spoa.yaml'),
      `default_application: shop
applications:
  - name: shop
    response_check: true
    directives: |
      SecRuleEngine On
      SecRequestBodyAccess On
      SecResponseBodyAccess On
      SecResponseBodyMimeType text/plain
      SecRule ARGS "@contains attack" "id:101,phase:2,deny,status:403,log,msg:'shop: attack'"
      SecRule RESPONSE_BODY "@contains internal-secret" "id:102,phase:4,deny,status:403,log,msg:'shop: leak'"
      SecRule REQUEST_URI "@beginsWith /old" "id:103,phase:1,redirect:/new,log"
  - name: api
    response_check: true
    directives: |
      SecRuleEngine On
      SecRule ARGS "@contains boom" "id:201,phase:2,deny,status:403,log,msg:'api: boom'"
`,
    );
    const { rules } = loadAppConfig(path.join(dir, 'spoa.yaml'));
    const logger = pino({ level: 'info' }, new Writable({ write: (c: Buffer, _e, cb) => ((logText += c.toString()), cb()) }));
    agent = await SpoaAgent.start({ rules, port: 0, workers: 1, logger, errorLog: () => undefined });
    await agent.ready;
    front = await freePort();
    const spoe = path.join(dir, 'coraza.conf');
    writeFileSync(
      spoe,
      `[coraza]
spoe-agent coraza-agent
    messages coraza-res
    groups coraza-req
    option var-prefix coraza
    option set-on-error error
${binary!.mux ? '' : '    timeout hello 2s\n    timeout idle 30s\n'}    timeout processing 1s
    use-backend coraza-spoa

spoe-message coraza-req
    args app=var(txn.coraza.app) src-ip=src src-port=src_port dst-ip=dst dst-port=dst_port method=method path=path query=query version=req.ver headers=req.hdrs body=req.body exportRuleIDs=bool(true)

spoe-group coraza-req
    messages coraza-req

spoe-message coraza-res
    args app=var(txn.coraza.app) id=var(txn.coraza.id) version=res.ver status=status headers=res.hdrs body=res.body exportRuleIDs=bool(true)
    event on-http-response
`,
    );
    const cfg = path.join(dir, 'haproxy.cfg');
    writeFileSync(
      cfg,
      `global
    log stdout format raw local0 info
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:${front}
    option http-buffer-request
    filter spoe engine coraza config ${spoe}
    http-request set-var(txn.coraza.app) str(api) if { hdr(host) -i api.test }
    http-request send-spoe-group coraza coraza-req
    http-request deny deny_status 503 if { var(txn.coraza.error) -m int gt 0 }
    http-request redirect code 302 location %[var(txn.coraza.data)] if { var(txn.coraza.action) -m str redirect }
    http-request deny deny_status 403 if { var(txn.coraza.action) -m str deny }
    http-response deny deny_status 503 if { var(txn.coraza.error) -m int gt 0 }
    http-response deny deny_status 403 if { var(txn.coraza.action) -m str deny }
    http-after-response set-header X-Coraza-Rule-Ids %[var(txn.coraza.rule_ids)]
    http-after-response set-header X-Coraza-Status %[var(txn.coraza.status)]
    default_backend be
backend be
    server b1 127.0.0.1:${backendPort}
backend coraza-spoa
    mode ${binary!.mux ? 'spop' : 'tcp'}
    server agent1 127.0.0.1:${agent.address.port}
`,
    );
    const check = spawnSync(binary!.path, ['-c', '-q', '-f', cfg], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`haproxy -c failed: ${check.stderr}${check.stdout}`);
    haproxy = await startHaproxy(cfg, front, binary!);
  }, 30_000);

  afterAll(async () => {
    await haproxy?.stop();
    await agent?.close();
    await new Promise((r) => backend?.close(r));
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const get = (p: string, host: string): ReturnType<typeof http> => http(front, 'GET', p, { headers: { host } });

  it('inspects with the application the app arg names (default when unset)', async () => {
    const shop = await get('/?q=attack', 'shop.test');
    expect(shop.status).toBe(403);
    expect(shop.headers['x-coraza-rule-ids']).toBe('101');
    expect(shop.headers['x-coraza-status']).toBe('403');
    expect((await get('/?q=attack', 'api.test')).status).toBe(200);
    const api = await get('/?q=boom', 'api.test');
    expect(api.status).toBe(403);
    expect(api.headers['x-coraza-rule-ids']).toBe('201');
    expect((await get('/?q=hello', 'shop.test')).status).toBe(200);
    expect(logText).toMatch(/"app":"api".*"ruleId":201/);
  });

  it('redirects with the data variable', async () => {
    const r = await get('/old/page', 'shop.test');
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('/new');
  });

  it('inspects the response through coraza-res with the id the request returned', async () => {
    const r = await get('/leak', 'shop.test');
    expect(r.status).toBe(403);
    expect(r.body).not.toContain('internal-secret');
    expect(r.headers['x-coraza-rule-ids']).toBe('102');
    expect((await get('/leak', 'api.test')).status).toBe(200);
  });
});
