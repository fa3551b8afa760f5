/**
 * Issue 20: two `rampart spoa` processes share their persistent collections through a real redis-server, behind
 * one real HAProxy whose two frontends each use one of the agents. A rate limit of 10 requests per client
 * counts every request exactly whichever agent inspects it, survives an agent restart, and a Redis killed
 * (SIGKILL) and restarted in the middle of the load loses no request the policy says is counted.
 *
 * Client addresses come from the loopback range (127.0.0.2, 127.0.0.3 ...), so each scenario has its own
 * REMOTE_ADDR and its own counter. HAProxy is required (skipped with a warning without it, as the other e2e
 * tests); redis-server is required (scripts/bootstrap.sh installs it).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { rawCommand, startRedisServer, type RedisServer } from '../helpers/redis-server';
import { spawnRampartSpoa, type AgentProcess } from '../helpers/cli-process';
import { HAPROXIES, startHaproxy, type RunningHaproxy } from '../helpers/haproxy';
import { freePort } from '../helpers/net';

// Debian's HAProxy (2.6), the one operators run with this SPOE configuration; the SPOP protocol itself is
// tested against 3.3 by the other e2e suites.
const describeIfHaproxy = HAPROXIES.length > 0 ? describe : describe.skip;
if (HAPROXIES.length === 0) {
  // eslint-disable-next-line no-console
  console.warn('haproxy not found on PATH: shared-collections e2e tests SKIPPED (apt-get install -y haproxy)');
}

/**
 * Redis fsyncs every write here (appendfsync always) on a machine that may be busy: a generous timeout (below
 * HAProxy's 3 s timeout processing) keeps slow answers from counting as an outage (the default, 100 ms, is for
 * production).
 */
function collectionsUrl(redis: RedisServer): string {
  return `${redis.url}?timeout_ms=2500`;
}

function rules(limit: number): string {
  return `SecRuleEngine On
SecAction "id:100,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecRule &IP:requests "@eq 0" "id:101,phase:1,pass,nolog,setvar:ip.requests=0,expirevar:ip.requests=600"
SecAction "id:102,phase:1,pass,nolog,setvar:ip.requests=+1"
SecRule IP:requests "@gt ${limit}" "id:103,phase:1,deny,status:429,log,msg:'Too many requests from %{REMOTE_ADDR}'"
`;
}

/** HAProxy: frontend i (0, 1) sends its SPOE messages to agent i only. */
function writeConfig(dir: string, fronts: number[], agents: number[], backendPort: number): string {
  const spoe = path.join(dir, 'spoe.conf');
  writeFileSync(
    spoe,
    [0, 1]
      .map(
        (i) => `[modsecurity${i}]
spoe-agent agent${i}
    messages check-request
    option var-prefix modsec
    option set-on-error error
    timeout hello 2s
    timeout idle 30s
    timeout processing 3s
    use-backend spoe-agent${i}
spoe-message check-request
    args unique-id src src_port dst dst_port method path query req.ver req.hdrs_bin req.body_size req.body
    event on-frontend-http-request
`,
      )
      .join('\n'),
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
${[0, 1]
  .map(
    (i) => `
frontend fe${i}
    bind 127.0.0.1:${fronts[i]}
    unique-id-format %{+X}o\\ %ci:%cp_%fi:%fp_%Ts_%rt:%pid
    filter spoe engine modsecurity${i} config ${spoe}
    http-request deny deny_status 503 if { var(txn.modsec.error) -m int gt 0 }
    http-request deny deny_status 429 if { var(txn.modsec.code) -m int eq 429 }
    http-after-response set-header X-Modsec-Code %[var(txn.modsec.code)]
    http-after-response set-header X-Modsec-Error %[var(txn.modsec.error)]
    http-after-response set-header X-Modsec-Ruleid %[var(txn.modsec.ruleid)]
    default_backend be

backend spoe-agent${i}
    mode tcp
    server agent${i} 127.0.0.1:${agents[i]}
`,
  )
  .join('')}
backend be
    server b1 127.0.0.1:${backendPort}
`,
  );
  const check = spawnSync('haproxy', ['-c', '-q', '-f', cfg], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy -c failed: ${check.stderr}${check.stdout}`);
  return cfg;
}

interface Answer {
  status: number;
  code: string;
  error: string;
  ruleId: string;
}

/** One GET through HAProxy from `from` (a loopback address): HAProxy's status and the agent's variables. */
function get(port: number, from: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, localAddress: from, path: '/api/items', agent: false }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, code: String(res.headers['x-modsec-code'] ?? ''), error: String(res.headers['x-modsec-error'] ?? ''), ruleId: String(res.headers['x-modsec-ruleid'] ?? '') }),
      );
    });
    req.setTimeout(15_000, () => req.destroy(new Error('no answer in 15 s')));
    req.once('error', reject);
    req.end();
  });
}

/** The counter rule 102 keeps for `ip`, read from Redis itself. */
async function storedCount(redis: RedisServer, ip: string): Promise<number> {
  const reply = await rawCommand(redis.port, `HGET rampart:IP:${ip} v:requests`);
  const m = /^\$\d+\r\n(-?\d+)\r\n$/.exec(reply);
  if (reply === '$-1\r\n') return 0;
  if (!m) throw new Error(`unexpected reply ${JSON.stringify(reply)}`);
  return Number(m[1]);
}

describeIfHaproxy('two agents behind one HAProxy share their collections through Redis', () => {
  let dir: string;
  let redis: RedisServer;
  let backend: HttpServer;
  let haproxy: RunningHaproxy | undefined;
  const fronts: number[] = [];
  const agentPorts: number[] = [];
  const agents: Array<AgentProcess | undefined> = [undefined, undefined];

  async function startAgent(i: number, limit: number, policy: 'skip' | 'deny'): Promise<void> {
    const conf = path.join(dir, `rules-${limit}.conf`);
    writeFileSync(conf, rules(limit));
    const a = spawnRampartSpoa(['-f', conf, '-p', String(agentPorts[i]), '-n', '1', '--collections', collectionsUrl(redis), '--collections-unavailable', policy], dir);
    agents[i] = a;
    await a.waitFor((r) => typeof r.msg === 'string' && r.msg.startsWith('ready:'), 30_000, `agent ${i} to load its rules`);
  }

  async function stopAgents(): Promise<void> {
    await Promise.all(agents.map((a) => a?.stop('SIGTERM')));
    agents.fill(undefined);
  }

  /** Sends requests from `from` alternating between the frontends, starting with `first`. */
  async function burst(from: string, n: number, first: 0 | 1): Promise<Answer[]> {
    const out: Answer[] = [];
    for (let i = 0; i < n; i++) out.push(await get(fronts[(first + i) % 2]!, from));
    return out;
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'spoa-shared-collections-'));
    redis = await startRedisServer();
    backend = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    for (let i = 0; i < 2; i++) {
      fronts.push(await freePort());
      agentPorts.push(await freePort());
    }
    const cfg = writeConfig(dir, fronts, agentPorts, (backend.address() as AddressInfo).port);
    haproxy = await startHaproxy(cfg, fronts[0]!);
  }, 60_000);

  afterEach(async () => {
    await stopAgents();
  });

  afterAll(async () => {
    await haproxy?.stop();
    await new Promise((r) => backend.close(r));
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('denies exactly the 11th request of a client whichever agent sees it, and still after an agent restart', async () => {
    await startAgent(0, 10, 'skip');
    await startAgent(1, 10, 'skip');

    // Client .2 starts on agent 0: its 11th request reaches agent 0; client .3 starts on agent 1: its 11th
    // reaches agent 1. Each agent saw only half of the ten before.
    const viaFirst = await burst('127.0.0.2', 12, 0);
    const viaSecond = await burst('127.0.0.3', 12, 1);
    for (const answers of [viaFirst, viaSecond]) {
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 429, 429]);
      for (const a of answers.slice(10)) expect(a).toMatchObject({ code: '429', ruleId: '103' });
    }
    expect(await storedCount(redis, '127.0.0.2')).toBe(12);
    expect(await storedCount(redis, '127.0.0.3')).toBe(12);
    expect(agents[0]!.stderr()).toContain('Too many requests from 127.0.0.2');
    expect(agents[1]!.stderr()).toContain('Too many requests from 127.0.0.3');
    // Another client is not limited.
    expect((await burst('127.0.0.4', 2, 0)).map((a) => a.status)).toEqual([200, 200]);

    // Agent 0 stops and starts again: the count is in Redis, not in the agent.
    expect(await agents[0]!.stop('SIGTERM')).toBe(0);
    await startAgent(0, 10, 'skip');
    expect(await get(fronts[0]!, '127.0.0.2')).toMatchObject({ status: 429, code: '429', ruleId: '103' });
    expect(await get(fronts[0]!, '127.0.0.4')).toMatchObject({ status: 200 });
  }, 120_000);

  it('with --collections-unavailable deny, a Redis killed and restarted mid-load loses no request that passed', async () => {
    await startAgent(0, 100_000, 'deny');
    await startAgent(1, 100_000, 'deny');
    const client = '127.0.0.5';
    const before = await burst(client, 20, 0);
    expect(before.map((a) => `${a.status} ${a.error}`)).toEqual(Array(20).fill('200 '));

    await redis.kill();
    const during = await burst(client, 10, 0);
    // Refused by HAProxy's fail-closed rule on the agent's error 1008.
    expect(during.map((a) => `${a.status} ${a.error}`)).toEqual(Array(10).fill('503 1008'));

    await redis.start();
    // The agents reconnect on their own (within about a second); until then requests are still refused.
    const after: Answer[] = [];
    for (let i = 0; i < 200 && after.filter((a) => a.status === 200).length < 20; i++) {
      after.push(await get(fronts[i % 2]!, client));
      if (after.at(-1)!.status !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(after.filter((a) => a.status === 200)).toHaveLength(20);
    expect(after.every((a) => a.status === 200 || `${a.status} ${a.error}` === '503 1008')).toBe(true);

    // Every request that passed was counted (the append-only file kept what Redis acknowledged before the
    // kill); a refused one is counted at most once (its write may have been applied with its answer lost).
    const passed = [...before, ...during, ...after].filter((a) => a.status === 200).length;
    const refused = [...during, ...after].filter((a) => a.status === 503).length;
    const count = await storedCount(redis, client);
    expect(passed).toBe(40);
    expect(count).toBeGreaterThanOrEqual(passed);
    expect(count).toBeLessThanOrEqual(passed + refused);
  }, 120_000);

  it('with --collections-unavailable skip, requests pass uncounted while Redis is down and are counted as skipped', async () => {
    const metricsPorts = [await freePort(), await freePort()];
    for (const i of [0, 1]) {
      const conf = path.join(dir, 'rules-big.conf');
      writeFileSync(conf, rules(100_000));
      const a = spawnRampartSpoa(['-f', conf, '-p', String(agentPorts[i]), '-n', '1', '--collections', collectionsUrl(redis), '--metrics-addr', `127.0.0.1:${metricsPorts[i]}`], dir);
      agents[i] = a;
      await a.waitFor((r) => typeof r.msg === 'string' && r.msg.startsWith('ready:'), 30_000, `agent ${i} to load its rules`);
    }
    const client = '127.0.0.6';
    expect((await burst(client, 10, 0)).every((a) => a.status === 200)).toBe(true);
    await redis.kill();
    const during = await burst(client, 10, 0);
    expect(during.every((a) => a.status === 200 && a.code === '0')).toBe(true);
    await redis.start();
    let sent = 20;
    let counted = 0;
    for (let i = 0; i < 200 && counted < 10; i++) {
      const before = await storedCount(redis, client);
      expect((await get(fronts[i % 2]!, client)).status).toBe(200);
      sent++;
      if ((await storedCount(redis, client)) > before) counted++;
      else await new Promise((r) => setTimeout(r, 50));
    }
    expect(counted).toBe(10);

    const metrics = await Promise.all(metricsPorts.map((p) => fetch(`http://127.0.0.1:${p}/metrics`).then((r) => r.text())));
    const sum = (re: RegExp): number => metrics.reduce((n, text) => n + Number(re.exec(text)?.[1] ?? 0), 0);
    const skipped = sum(/rampart_spoa_collections_unavailable_total\{outcome="skipped"\} (\d+)/);
    expect(skipped).toBeGreaterThanOrEqual(10);
    expect(sum(/rampart_spoa_collections_round_trips_total\{outcome="failed"\} (\d+)/)).toBeGreaterThan(0);
    for (const text of metrics) expect(text).toMatch(/rampart_spoa_collections_round_trip_seconds_count [1-9]/);
    // Every request passed; all were counted but the skipped ones (a skipped write may still have been applied).
    const count = await storedCount(redis, client);
    expect(count).toBeGreaterThanOrEqual(sent - skipped);
    expect(count).toBeLessThanOrEqual(sent);
    expect(agents.some((a) => a!.stdout().includes('collections unavailable'))).toBe(true);
  }, 120_000);
});
