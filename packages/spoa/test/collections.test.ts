/**
 * `--collections` (persistent collections in Redis) at the agent's level, without HAProxy: option checks,
 * `--check` against a reachable and an unreachable server, and the rate limit through the in-process agent
 * (workers: 0 and 2) with its metrics. The HAProxy tests are in e2e/haproxy-shared-collections.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { spopValue, type SpopMessage } from '@rampart/spop';
import { rawCommand, startRedisServer, type RedisServer } from './helpers/redis-server';
import { collectionsConfig, singleAppRules, SpoaAgent } from '../src';
import { freePort } from './helpers/net';
import { checkRequest, SpopClient, varsOf } from './helpers/spop-client';

interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
}
// Required by path (not imported) so that this package's type check does not take in the cli's sources.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require(path.resolve(__dirname, '../../cli/src')) as { main(argv: readonly string[], io: CliIo): Promise<number> };

const RATE_LIMIT = `SecRuleEngine On
SecAction "id:100,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecRule &IP:requests "@eq 0" "id:101,phase:1,pass,nolog,setvar:ip.requests=0,expirevar:ip.requests=60"
SecAction "id:102,phase:1,pass,nolog,setvar:ip.requests=+1"
SecRule IP:requests "@gt 10" "id:103,phase:1,deny,status:429,log"
`;

let dir: string;
let redis: RedisServer;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'spoa-collections-'));
  redis = await startRedisServer({ durable: false });
});
afterAll(async () => {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['spoa', ...argv], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: dir });
  return { code, stdout, stderr };
}

describe('rampart spoa --collections', () => {
  it('refuses a bad URL or policy at start, saying what is wrong', async () => {
    expect(await cli('--collections', 'http://127.0.0.1:6379/0')).toMatchObject({ code: 2, stderr: expect.stringMatching(/--collections: .*scheme http: is not redis: or rediss:/) });
    expect(await cli('--collections', 'redis://127.0.0.1/0?timout_ms=5')).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown parameter timout_ms/) });
    expect(await cli('--collections', 'redis://127.0.0.1/0', '--collections-unavailable', 'maybe')).toMatchObject({ code: 2, stderr: expect.stringMatching(/must be skip or deny, got 'maybe'/) });
    expect(await cli('--collections-unavailable', 'deny')).toMatchObject({ code: 2, stderr: expect.stringMatching(/--collections-unavailable needs --collections/) });
  });

  it('--check fails when the server does not answer and passes when it does', async () => {
    const conf = path.join(dir, 'rate-limit.conf');
    writeFileSync(conf, RATE_LIMIT);
    const closed = await freePort();
    const down = await cli('--check', '-n', '0', '-f', conf, '--collections', `redis://127.0.0.1:${closed}/0?connect_timeout_ms=300`);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(new RegExp(`--collections: redis://127\\.0\\.0\\.1:${closed}/0: .*ECONNREFUSED`));
    const up = await cli('--check', '-n', '0', '-f', conf, '--collections', redis.url);
    expect(up).toMatchObject({ code: 0, stdout: expect.stringContaining('configuration OK: 4 rules') });
  });

  it('takes the URL and the policy from the --config file too; the command line wins', async () => {
    const closed = await freePort();
    const yaml = path.join(dir, 'spoa.yaml');
    const apps = `applications:\n  - name: limit\n    directives: |\n${RATE_LIMIT.trim().split('\n').map((l) => `      ${l}`).join('\n')}\n`;
    writeFileSync(yaml, `collections: redis://127.0.0.1:${closed}/0?connect_timeout_ms=300\ncollections_unavailable: deny\n${apps}`);
    const down = await cli('--check', '-n', '0', '--config', yaml);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(new RegExp(`--collections: redis://127\\.0\\.0\\.1:${closed}/0: .*ECONNREFUSED`));
    // The file's unreachable server is replaced by the command line's, which answers.
    expect(await cli('--check', '-n', '0', '--config', yaml, '--collections', redis.url)).toMatchObject({ code: 0, stdout: expect.stringContaining('configuration OK: 4 rules') });
    writeFileSync(yaml, `collections: ${redis.url}\n${apps}`);
    expect(await cli('--check', '-n', '0', '--config', yaml, '--collections-unavailable', 'deny')).toMatchObject({ code: 0 });
    writeFileSync(yaml, apps);
    expect(await cli('--check', '-n', '0', '--config', yaml, '--collections-unavailable', 'deny')).toMatchObject({ code: 2, stderr: expect.stringMatching(/--collections-unavailable needs --collections, or `collections` in /) });
  });
});

describe('the agent with --collections', () => {
  const agents: SpoaAgent[] = [];
  const clients: SpopClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await Promise.all(agents.splice(0).map((a) => a.close()));
  });

  function from(ip: string, id: string): SpopMessage {
    const m = checkRequest({ uniqueId: id, path: '/api' });
    return { ...m, args: m.args.map((a, i) => (i === 1 ? { name: '', value: spopValue.ipv4(ip) } : a)) };
  }

  it.each([0, 2])('with %d workers, denies the 11th request of an IP counted in Redis, and reports the round trips', async (workers) => {
    const client = `198.51.100.${10 + workers}`;
    const logs: string[] = [];
    const agent = await SpoaAgent.start({
      rules: { ...singleAppRules({ kind: 'directives', directives: RATE_LIMIT, baseDir: dir, origin: 'test' }), redis: collectionsConfig(`${redis.url}?timeout_ms=5000`, 'skip') },
      workers,
      port: 0,
      logger: pino({ level: 'silent' }),
      errorLog: (l) => logs.push(l),
    });
    agents.push(agent);
    await agent.ready;
    const spop = await SpopClient.connect(agent.address.port);
    clients.push(spop);
    await spop.hello();
    const codes = [];
    for (let i = 0; i < 12; i++) codes.push(varsOf(await spop.notify([from(client, `w${workers}-${i}`)])).code);
    expect(codes).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 429, 429]);
    expect(await rawCommand(redis.port, `HGET rampart:IP:${client} v:requests`)).toBe('$2\r\n12\r\n');
    const text = await agent.metrics.render();
    // Two round trips per request (read at initcol, write at the end): 24.
    expect(text).toContain('rampart_spoa_collections_round_trips_total{outcome="ok"} 24\n');
    expect(text).toContain('rampart_spoa_collections_round_trip_seconds_count 24\n');
    expect(text).not.toContain('rampart_spoa_collections_unavailable_total{');
  });

  it('with 2 workers, says once that Redis went away and once that it is back', async () => {
    const own = await startRedisServer({ durable: false });
    try {
      const lines: Array<{ code?: string; msg: string }> = [];
      const logger = pino({ level: 'info' }, new Writable({ write: (c: Buffer, _e, cb) => (lines.push(JSON.parse(c.toString()) as { msg: string }), cb()) }));
      const agent = await SpoaAgent.start({
        rules: { ...singleAppRules({ kind: 'directives', directives: RATE_LIMIT, baseDir: dir, origin: 'test' }), redis: collectionsConfig(own.url, 'skip') },
        workers: 2,
        port: 0,
        logger,
        errorLog: () => undefined,
      });
      agents.push(agent);
      await agent.ready;
      const until = async (what: string, done: () => Promise<boolean>): Promise<void> => {
        for (let i = 0; i < 600 && !(await done()); i++) await new Promise((r) => setTimeout(r, 50));
        if (!(await done())) throw new Error(`timed out waiting for ${what}`);
      };
      const reported = async (): Promise<number> => Number(/rampart_spoa_collection_errors_total\{code="collections-unavailable"\} (\d+)/.exec(await agent.metrics.render())?.[1] ?? 0);
      const connections = async (): Promise<number> => ((await rawCommand(own.port, 'CLIENT LIST')).match(/name=rampart /g) ?? []).length;
      await until('both workers to connect', async () => (await connections()) === 2);
      await own.kill();
      // Both workers lost their connection and said so (each is counted in the metrics) ...
      await until('both workers to report Redis unavailable', async () => (await reported()) === 2);
      await own.start();
      await until('both workers to reconnect', async () => (await connections()) === 2);
      await until('the agent to say Redis is back', async () => lines.some((l) => l.code === 'collections-available'));
      // ... (a worker's "back" follows its reconnection within a few event-loop turns)
      await new Promise((r) => setTimeout(r, 500));
      // ... and the log said each once.
      expect(lines.filter((l) => l.code === 'collections-unavailable').length).toBe(1);
      expect(lines.filter((l) => l.code === 'collections-available').length).toBe(1);
      expect(agent.health().collections.status).toBe('ok');
    } finally {
      await own.stop();
    }
  }, 60_000);
});
