/**
 * Tracing on demand behind a real HAProxy (Debian's 2.6 and 3.3.0, whichever are present), configured as the
 * README says: the SPOE `trace` argument set by a `tcp-request content` rule (the message leaves before the
 * frontend's `http-request` rules), and the `--trace-header` header deleted and set by `http-request` rules
 * before an explicit `send-spoe-group`. Clients' own trace headers must trace nothing.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import pino from 'pino';
import { parseExplainJson } from '@rampart/tuning';
import { singleAppRules, SpoaAgent } from '../../src';
import { HAPROXIES, startHaproxy, type HaproxyBinary, type RunningHaproxy } from '../helpers/haproxy';
import { freePort, http } from '../helpers/net';

const describeIfHaproxy = HAPROXIES.length > 0 ? describe.each(HAPROXIES.map((b) => [b.version, b] as const)) : describe.skip.each([['none', undefined]]);

const RULES = singleAppRules({
  kind: 'directives',
  directives: `SecRuleEngine On
SecRule ARGS "@contains attack" "id:3001,phase:2,deny,status:403,log,msg:'attack'"
SecRule REQUEST_URI "@contains /" "id:3002,phase:1,pass,log,msg:'seen'"`,
  baseDir: __dirname,
  origin: 'test',
});

const ARGS = 'unique-id src src_port dst dst_port method path query req.ver req.hdrs_bin req.body_size req.body';

function config(b: HaproxyBinary, dir: string, ports: { arg: number; header: number; backend: number; argAgent: number; headerAgent: number }): string {
  const timeouts = `${b.mux ? '' : '    timeout hello 2s\n    timeout idle 30s\n'}    timeout processing 5s\n`;
  writeFileSync(
    path.join(dir, 'spoe-arg.conf'),
    `[rampart]
spoe-agent rampart-agent
    messages check-request
    option var-prefix modsec
    option set-on-error error
${timeouts}    use-backend agent-arg
spoe-message check-request
    args ${ARGS} trace=var(txn.rampart_trace)
    event on-frontend-http-request
`,
  );
  writeFileSync(
    path.join(dir, 'spoe-header.conf'),
    `[rampart]
spoe-agent rampart-agent
    groups rampart
    option var-prefix modsec
    option set-on-error error
${timeouts}    use-backend agent-header
spoe-message check-request
    args ${ARGS}
spoe-group rampart
    messages check-request
`,
  );
  const cfg = path.join(dir, 'haproxy.cfg');
  const mode = b.mux ? 'spop' : 'tcp';
  writeFileSync(
    cfg,
    `global
    log stdout format raw local0 info

defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend by-arg
    bind 127.0.0.1:${ports.arg}
    unique-id-format arg-%rt
    option http-buffer-request
    filter spoe engine rampart config ${path.join(dir, 'spoe-arg.conf')}
    tcp-request content set-var(txn.rampart_trace) bool(true) if { path_beg /traced }
    http-request deny deny_status 503 if { var(txn.modsec.error) -m int gt 0 }
    http-request deny if { var(txn.modsec.code) -m int gt 0 }
    default_backend be

frontend by-header
    bind 127.0.0.1:${ports.header}
    unique-id-format header-%rt
    option http-buffer-request
    filter spoe engine rampart config ${path.join(dir, 'spoe-header.conf')}
    http-request del-header x-rampart-trace
    http-request set-header x-rampart-trace 1 if { path_beg /traced }
    http-request send-spoe-group rampart rampart
    http-request deny deny_status 503 if { var(txn.modsec.error) -m int gt 0 }
    http-request deny if { var(txn.modsec.code) -m int gt 0 }
    default_backend be

backend be
    server b1 127.0.0.1:${ports.backend}

backend agent-arg
    mode ${mode}
    server a1 127.0.0.1:${ports.argAgent}

backend agent-header
    mode ${mode}
    server a1 127.0.0.1:${ports.headerAgent}
`,
  );
  const check = spawnSync(b.path, ['-c', '-q', '-f', cfg], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy -c failed: ${check.stderr}${check.stdout}`);
  return cfg;
}

describeIfHaproxy('tracing on demand behind HAProxy %s', (_version: string, binary: HaproxyBinary | undefined) => {
  let dir: string;
  let backend: HttpServer;
  let haproxy: RunningHaproxy | undefined;
  const agents: SpoaAgent[] = [];
  const ports = { arg: 0, header: 0, backend: 0, argAgent: 0, headerAgent: 0 };
  const silent = (): pino.Logger => pino({ level: 'silent' }, new Writable({ write: (_c, _e, cb) => cb() }));
  const traced = (name: string): string[] => {
    const file = path.join(dir, name);
    return existsSync(file) ? readFileSync(file, 'latin1').split('\n').filter(Boolean).map((l) => parseExplainJson(l).request.target) : [];
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'spoa-trace-e2e-'));
    backend = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    ports.backend = (backend.address() as AddressInfo).port;
    [ports.arg, ports.header] = [await freePort(), await freePort()];
    const byArg = await SpoaAgent.start({ rules: RULES, port: 0, workers: 0, logger: silent(), errorLog: () => undefined, traceLog: path.join(dir, 'arg.log') });
    const byHeader = await SpoaAgent.start({ rules: RULES, port: 0, workers: 0, logger: silent(), errorLog: () => undefined, traceLog: path.join(dir, 'header.log'), traceHeader: 'X-Rampart-Trace' });
    agents.push(byArg, byHeader);
    await Promise.all(agents.map((a) => a.ready));
    ports.argAgent = byArg.address.port;
    ports.headerAgent = byHeader.address.port;
    haproxy = await startHaproxy(config(binary!, dir, ports), ports.arg, binary!);
  }, 60_000);

  afterAll(async () => {
    await haproxy?.stop();
    await Promise.all(agents.map((a) => a.close()));
    await new Promise((r) => backend?.close(r));
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('traces what HAProxy marks with the trace argument, never what a client asks for', async () => {
    expect((await http(ports.arg, 'GET', '/traced/a?q=attack')).status).toBe(403);
    expect((await http(ports.arg, 'GET', '/plain?q=1', { headers: { 'x-rampart-trace': '1', trace: '1' } })).status).toBe(200);
    expect((await http(ports.arg, 'GET', '/traced/b?q=1')).status).toBe(200);
    // The records are written as the transactions end; the ACK may come first.
    for (let i = 0; i < 50 && traced('arg.log').length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(traced('arg.log')).toEqual(['/traced/a?q=attack', '/traced/b?q=1']);
    const first = parseExplainJson(readFileSync(path.join(dir, 'arg.log'), 'latin1').split('\n')[0]!);
    expect(first.verdict).toMatchObject({ interrupted: true, ruleId: 3001, loggedRuleIds: [3002, 3001] });
  });

  it('traces the requests HAProxy sets --trace-header on, and none whose client sent it', async () => {
    expect((await http(ports.header, 'GET', '/plain?q=1', { headers: { 'x-rampart-trace': '1' } })).status).toBe(200);
    expect((await http(ports.header, 'GET', '/traced/c?q=attack')).status).toBe(403);
    for (let i = 0; i < 50 && traced('header.log').length < 1; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 200));
    expect(traced('header.log')).toEqual(['/traced/c?q=attack']);
  });
});
