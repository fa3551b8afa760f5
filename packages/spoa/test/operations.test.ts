/**
 * What operations must see: audit and error-log write failures (logged once per cause, counted, shown by
 * /healthz, and `--audit-fail closed`), the per-rule rate limit of repeated log lines, collection store
 * problems, and the metrics on prom-client.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { RuleLineLimiter, ruleIdOfLine, singleAppRules, SpoaAgent, type RulesConfig, type SpoaAgentOptions } from '../src';
import { checkRequest, SpopClient, varsOf } from './helpers/spop-client';

let dir: string;
const agents: SpoaAgent[] = [];
const clients: SpopClient[] = [];
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'spoa-ops-'))));
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(agents.splice(0).map((a) => a.close()));
  rmSync(dir, { recursive: true, force: true });
});

const RULES = (extra: string, options: Partial<RulesConfig> = {}): RulesConfig => ({
  ...singleAppRules({
    kind: 'directives',
    directives: `SecRuleEngine On\nSecRule ARGS "@contains attack" "id:1001,phase:2,deny,status:403,log"\nSecRule ARGS "@contains note" "id:1002,phase:2,pass,log"\n${extra}`,
    baseDir: __dirname,
    origin: 'test',
  }),
  ...options,
});

async function start(o: Partial<SpoaAgentOptions> & { rules: RulesConfig }): Promise<{ agent: SpoaAgent; client: SpopClient; records: () => Array<Record<string, unknown>> }> {
  let text = '';
  const logger = pino({ level: 'debug' }, new Writable({ write: (c: Buffer, _e, cb) => ((text += c.toString()), cb()) }));
  const agent = await SpoaAgent.start({ port: 0, workers: 0, logger, metrics: { host: '127.0.0.1', port: 0 }, ...o });
  agents.push(agent);
  await agent.ready;
  const client = await SpopClient.connect(agent.address.port);
  clients.push(client);
  await client.hello();
  return { agent, client, records: () => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

function fetch(port: number, p: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: p }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).once('error', reject);
  });
}

// /dev/full accepts the open and fails every write with ENOSPC: a full disk.
const AUDIT_ON_FULL_DISK = 'SecAuditEngine On\nSecAuditLogParts ABZ\nSecAuditLog /dev/full\n';

describe('audit log write failures', () => {
  it('--audit-fail closed: a clean request whose record is lost gets error 1007; an attack keeps its 403', async () => {
    const { agent, client, records } = await start({ rules: RULES(AUDIT_ON_FULL_DISK, { auditFail: 'closed' }), errorLog: () => undefined });
    const lost = varsOf(await client.notify([checkRequest({ query: 'a=fine', uniqueId: 'u-1' })]));
    expect(lost).toEqual({ error: 1007, id: 'u-1' });
    expect(varsOf(await client.notify([checkRequest({ query: 'a=attack' })]))).toMatchObject({ code: 403, ruleid: 1001 });
    expect(varsOf(await client.notify([checkRequest({ query: 'a=fine2' })]))).toMatchObject({ error: 1007 });
    // Logged once for the cause, with the path and the errno.
    const logged = records().filter((r) => typeof r.msg === 'string' && r.msg.startsWith('audit log: '));
    expect(logged.map((r) => r.msg)).toEqual(['audit log: cannot write to /dev/full: ENOSPC: no space left on device, write']);
    const health = agent.health();
    expect(health.status).toBe('degraded');
    expect(health.auditLog).toMatchObject({ status: 'failing', lost: 3, lastError: expect.stringMatching(/ENOSPC/) });
    const h = await fetch(agent.metricsAddress!.port, '/healthz');
    expect(h.status).toBe(503);
    expect(JSON.parse(h.body)).toMatchObject({ status: 'degraded', auditLog: { status: 'failing', lost: 3 } });
    const m = await fetch(agent.metricsAddress!.port, '/metrics');
    expect(m.body).toContain('rampart_spoa_log_write_failures_total{log="audit"} 3');
    expect(m.body).toContain('rampart_spoa_errors_total{kind="1007"} 2');
    expect(m.body).toContain('rampart_spoa_healthy 0');
  });

  it('--audit-fail open (the default): requests are answered as usual, the loss is counted and shown', async () => {
    const { agent, client } = await start({ rules: RULES(AUDIT_ON_FULL_DISK), errorLog: () => undefined });
    expect(varsOf(await client.notify([checkRequest({ query: 'a=fine' })]))).toMatchObject({ code: 0 });
    expect(agent.health()).toMatchObject({ status: 'degraded', auditLog: { status: 'failing', lost: 1 } });
  });

  it('a healthy agent answers /healthz 200 ok', async () => {
    const log = path.join(dir, 'audit.log');
    const { agent, client } = await start({ rules: RULES(`SecAuditEngine On\nSecAuditLogParts ABZ\nSecAuditLog ${log}\n`), errorLog: () => undefined });
    expect(varsOf(await client.notify([checkRequest({ query: 'a=fine' })]))).toMatchObject({ code: 0 });
    const h = await fetch(agent.metricsAddress!.port, '/healthz');
    expect(h.status).toBe(200);
    expect(JSON.parse(h.body)).toMatchObject({ status: 'ok', rules: 2, auditLog: { status: 'ok', lost: 0 } });
    expect(readFileSync(log, 'latin1')).toMatch(/-Z--/);
  });
});

describe('error log', () => {
  it('write failures (--error-log on a full disk) are logged once, counted and shown by /healthz', async () => {
    const { agent, client, records } = await start({ rules: RULES(''), errorLogFile: '/dev/full' });
    for (let i = 0; i < 3; i++) expect(varsOf(await client.notify([checkRequest({ query: `a=attack${i}` })]))).toMatchObject({ code: 403 });
    expect(records().filter((r) => typeof r.msg === 'string' && r.msg.startsWith('error log: ')).map((r) => r.msg)).toEqual(['error log: cannot write to /dev/full: ENOSPC: no space left on device, write']);
    expect(agent.health().errorLog).toMatchObject({ status: 'failing', lost: 3 });
    expect((await fetch(agent.metricsAddress!.port, '/metrics')).body).toContain('rampart_spoa_log_write_failures_total{log="error"} 3');
  });

  it('creates the error-log file with the given mode (0600 by default)', async () => {
    const file = path.join(dir, 'error.log');
    const { client } = await start({ rules: RULES(''), errorLogFile: file });
    await client.notify([checkRequest({ query: 'a=attack' })]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'latin1')).toMatch(/\[id "1001"\]/);
  });

  it('writes at most --error-log-rate lines per rule per second, counts the rest and sums them up', async () => {
    const lines: string[] = [];
    const { agent, client, records } = await start({ rules: RULES(''), errorLog: (l) => lines.push(l), errorLogRate: 1 });
    const started = Date.now();
    for (let i = 0; i < 30; i++) await client.notify([checkRequest({ query: `a=attack${i}` })]);
    const seconds = Math.ceil((Date.now() - started) / 1000) + 1;
    const written = lines.filter((l) => l.includes('[id "1001"]')).length;
    expect(written).toBeGreaterThanOrEqual(1);
    expect(written).toBeLessThanOrEqual(seconds);
    const metrics = (await fetch(agent.metricsAddress!.port, '/metrics')).body;
    expect(metrics).toContain(`rampart_spoa_log_lines_dropped_total{log="error",rule_id="1001"} ${30 - written}`);
    await agent.close();
    // The drops are summed up in the error log itself (and the JSON log), so that a reader sees the gap.
    expect(lines.some((l) => l === `rampart: rule 1001: ${30 - written} error-log lines dropped in the last 10 s (more than 1 per second; --error-log-rate)`)).toBe(true);
    expect(records().some((r) => r.ruleId === '1001' && r.log === 'interruptions' && typeof r.dropped === 'number')).toBe(true);
  });

  it('RuleLineLimiter counts per rule and per second', () => {
    let now = 10_000;
    const l = new RuleLineLimiter(2, () => now);
    expect([l.allow('1'), l.allow('1'), l.allow('1'), l.allow('2')]).toEqual([true, true, false, true]);
    now += 1000;
    expect(l.allow('1')).toBe(true);
    expect(l.takeDropped()).toEqual([{ ruleId: '1', dropped: 1 }]);
    expect(l.takeDropped()).toEqual([]);
    expect(new RuleLineLimiter(0).allow('x')).toBe(true);
    expect(ruleIdOfLine('ModSecurity: Warning. x [id "942100"] [msg "y"]')).toBe('942100');
  });
});

describe('metrics on prom-client', () => {
  it('serves the agent counters with process, event-loop and GC metrics', async () => {
    const { agent, client } = await start({ rules: RULES(''), errorLog: () => undefined });
    await client.notify([checkRequest({ query: 'a=attack' })]);
    const m = await fetch(agent.metricsAddress!.port, '/metrics');
    expect(m.status).toBe(200);
    expect(m.body).toContain('rampart_spoa_interruptions_total{rule_id="1001",status="403"} 1');
    expect(m.body).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(m.body).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(m.body).toContain('# TYPE nodejs_gc_duration_seconds histogram');
  });
});

describe('persistent collections', () => {
  it('a data.mdb overwritten while serving degrades to "collections unavailable": logged, counted, in /healthz, requests still answered', async () => {
    const data = path.join(dir, 'data');
    const rules = RULES(`SecDataDir ${data}\nSecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR},setvar:ip.hits=+1"\n`);
    const { agent, client, records } = await start({ rules, errorLog: () => undefined });
    expect(varsOf(await client.notify([checkRequest({ query: 'a=1' })]))).toMatchObject({ code: 0 });
    writeFileSync(path.join(data, 'rampart-collections', 'data.mdb'), Buffer.alloc(16384, 0x5a));
    expect(varsOf(await client.notify([checkRequest({ query: 'a=2' })]))).toMatchObject({ code: 0 });
    expect(varsOf(await client.notify([checkRequest({ query: 'a=attack' })]))).toMatchObject({ code: 403 });
    expect(agent.health()).toMatchObject({ status: 'degraded', collections: { status: 'unavailable' } });
    expect(records().some((r) => r.code === 'collections-unavailable' && /changed under the agent/.test(String(r.msg)))).toBe(true);
    expect((await fetch(agent.metricsAddress!.port, '/metrics')).body).toMatch(/rampart_spoa_collection_errors_total\{code="collections-unavailable"\} 1/);
  }, 30_000);
});
