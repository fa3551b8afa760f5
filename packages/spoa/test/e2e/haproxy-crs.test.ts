/**
 * End to end with a real HAProxy — Debian 12's 2.6.12 and the 3.3.0 of the setup guide (SPOP multiplexer), each
 * in turn — in front of a local backend, and `rampart spoa -f
 * modsecurity.conf` (the recommended ModSecurity config + CRS 4) as a child process, all on 127.0.0.1
 * ephemeral ports. Skipped, with a printed warning, when haproxy is not installed (CI installs it).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { spawnRampartSpoa, type AgentProcess } from '../helpers/cli-process';
import { HAPROXIES, startHaproxy, writeHaproxyConfig, type HaproxyBinary, type RunningHaproxy } from '../helpers/haproxy';
import { writeModsecurityConf } from '../helpers/modsecurity-conf';
import { freePort, http, until, type Reply } from '../helpers/net';

const describeIfHaproxy = HAPROXIES.length > 0 ? describe.each(HAPROXIES.map((b) => [b.version, b] as const)) : describe.skip.each([['none', undefined]]);
if (HAPROXIES.length === 0) {
  // eslint-disable-next-line no-console
  console.warn('haproxy not found on PATH: real-HAProxy e2e tests of @rampart/spoa SKIPPED (apt-get install -y haproxy)');
}

const SQL_ERROR_PAGE = '<html><body>You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near \'\'\' at line 1</body></html>';

describeIfHaproxy('rampart spoa behind HAProxy %s with CRS 4 (modsecurity.conf-recommended)', (_version: string, binary: HaproxyBinary | undefined) => {
  let dir: string;
  let backend: HttpServer;
  let haproxy: RunningHaproxy | undefined;
  let agent: AgentProcess | undefined;
  let front: number;
  let agentPort: number;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'spoa-e2e-'));
    mkdirSync(path.join(dir, 'data'));
    backend = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/leak') {
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end(SQL_ERROR_PAGE);
        } else {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('ok');
        }
      });
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    const backendPort = (backend.address() as AddressInfo).port;
    [front, agentPort] = [await freePort(), await freePort()];
    const conf = writeModsecurityConf(dir);
    agent = spawnRampartSpoa(['-f', conf, '-p', String(agentPort), '-n', '1', '--response-check'], dir);
    const cfg = writeHaproxyConfig({ binary: binary!, dir, frontPort: front, backendPort, agentPort, responseCheck: true });
    haproxy = await startHaproxy(cfg, front, binary!);
    // Generous: CRS compiles in ~1 s on a quiet machine, but CI machines are shared.
    await agent.waitFor((r) => typeof r.msg === 'string' && r.msg.startsWith('ready:'), 150_000, 'the rules to load');
  }, 180_000);

  afterAll(async () => {
    await agent?.stop('SIGKILL');
    await haproxy?.stop();
    await new Promise((r) => backend?.close(r));
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const get = (p: string, headers?: Record<string, string>): Promise<Reply> => http(front, 'GET', p, headers ? { headers } : {});

  it('logs "ready" with the rule count', () => {
    const ready = agent!.records().find((r) => typeof r.msg === 'string' && r.msg.startsWith('ready:'));
    expect(ready?.rules).toBeGreaterThan(500);
  });

  it('passes a clean request with code 0', async () => {
    const r = await get('/index.html?page=2&sort=asc');
    expect(r.status).toBe(200);
    expect(r.body).toBe('ok');
    expect(r.headers['x-modsec-code']).toBe('0');
    expect(r.headers['x-modsec-error']).toBe('');
  });

  it('denies GET /?cmd=/bin/pkexec with 403 and logs the CRS rule id', async () => {
    const r = await get('/?cmd=/bin/pkexec');
    expect(r.status).toBe(403);
    expect(r.headers['x-modsec-code']).toBe('403');
    expect(r.headers['x-modsec-ruleid']).toBe('949110');
    expect(String(r.headers['x-modsec-rule-ids']).split(',')).toContain('932160');
    expect(Number(r.headers['x-modsec-score'])).toBeGreaterThanOrEqual(5);
    const denied = await agent!.waitFor((x) => x.message === 'check-request' && x.code === 403 && Array.isArray(x.ruleIds) && (x.ruleIds as number[]).includes(932160), 5000, 'the JSON log of the denial');
    expect(denied.ruleId).toBe(949110);
    // The ModSecurity error-log line, with the CRS rule that matched.
    expect(agent!.stderr()).toMatch(/ModSecurity: Warning\. .*\[id "932160"\].*\[uri "\/"\]/);
    expect(agent!.stderr()).toMatch(/ModSecurity: Access denied with code 403 \(phase 2\)\. .*\[id "949110"\]/);
  });

  it('writes the attack to the audit log (SecAuditEngine RelevantOnly from modsecurity.conf-recommended)', async () => {
    const r = await get('/?file=/etc/passwd&audit=1');
    expect(r.status).toBe(403);
    // The record is written when the transaction ends; give the agent a moment after the ACK.
    let text = '';
    for (let i = 0; i < 50 && !/audit=1[\s\S]*-Z--/.test(text); i++) {
      await new Promise((res) => setTimeout(res, 100));
      try {
        text = readFileSync(path.join(dir, 'audit.log'), 'latin1');
      } catch {
        text = '';
      }
    }
    // libmodsecurity v3's layout, which is what `tail` of the guide's /var/log/modsec_audit.log shows.
    const marker = text.lastIndexOf('---A--\n', text.indexOf('audit=1'));
    const record = text.slice(text.lastIndexOf('\n', marker) + 1);
    expect(record).toMatch(/^---[0-9A-Za-z]{8}---A--\n\[[^\]]+\] \S+ 127\.0\.0\.1 \d+ /);
    expect(record).toContain('GET /?file=/etc/passwd&audit=1 HTTP/1.1');
    expect(record).toMatch(/\nModSecurity: Warning\. .*\[id "930120"\].*\[msg "OS File Access Attempt"\]/);
    expect(record).toMatch(/\nModSecurity: Access denied with code 403 \(phase 2\)\. .*\[id "949110"\]/);
    expect(text).toMatch(/\n---[0-9A-Za-z]{8}---Z--\n\n$/);
  });

  it('catches an attack in a POST body', async () => {
    const r = await http(front, 'POST', '/login', {
      body: "user=admin&pass=1' UNION SELECT username, password FROM users--",
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(r.status).toBe(403);
    expect(String(r.headers['x-modsec-rule-ids'])).toMatch(/\b942\d{3}\b/);
    const clean = await http(front, 'POST', '/login', { body: 'user=admin&pass=correct-horse', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(clean.status).toBe(200);
  });

  it('catches an attack in a header', async () => {
    const r = await get('/', { 'user-agent': 'Mozilla/5.0 sqlmap/1.7.2#stable (https://sqlmap.org)' });
    expect(r.status).toBe(403);
    expect(String(r.headers['x-modsec-rule-ids']).split(',')).toContain('913100');
  });

  it('catches a response-body leak through the response message (phases 3-4 on the same transaction)', async () => {
    const r = await get('/leak');
    expect(r.status).toBe(403);
    expect(r.body).not.toContain('SQL syntax');
    expect(String(r.headers['x-modsec-rule-ids'])).toMatch(/\b951\d{3}\b/);
    const log = await agent!.waitFor((x) => x.message === 'check-response' && x.code === 403, 5000, 'the response denial');
    expect(log.ruleId).toBe(959100);
  });

  it('flags a body HAProxy truncated (req.body shorter than req.body_size)', async () => {
    const big = `a=${'x'.repeat(30_000)}`;
    const r = await http(front, 'POST', '/upload', { body: big, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.headers['x-modsec-truncated']).toBe('1');
  });

  it.each(['SIGHUP', 'SIGUSR2'] as const)('keeps answering every request while %s reloads the rules (no restart, nothing unchecked)', async (signal) => {
    const reloadsBefore = agent!.records().filter((x) => typeof x.msg === 'string' && x.msg.startsWith('reloaded:')).length;
    const results: number[] = [];
    let stop = false;
    const load = async (k: number): Promise<void> => {
      for (let i = 0; !stop && i < 2000; i++) {
        const attack = (i + k) % 4 === 0;
        const r = await get(attack ? `/?cmd=/bin/pkexec&i=${i}` : `/item?id=${i}`);
        results.push(r.status === (attack ? 403 : 200) ? 0 : r.status);
      }
    };
    const workers = [0, 1, 2, 3].map(load);
    await new Promise((r) => setTimeout(r, 200));
    agent!.child.kill(signal);
    await until(() => agent!.records().filter((x) => typeof x.msg === 'string' && x.msg.startsWith('reloaded:')).length > reloadsBefore, 60_000, 'the reload');
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await Promise.all(workers);
    const reloads = agent!.records().filter((x) => typeof x.msg === 'string' && x.msg.startsWith('reloaded:')).length;
    expect(reloads).toBe(reloadsBefore + 1);
    expect(agent!.child.exitCode).toBeNull();
    expect(results.length).toBeGreaterThan(50);
    expect(results.filter((s) => s !== 0)).toEqual([]);
  }, 90_000);

  it('keeps the old rules when a SIGHUP reload fails, and logs every error with its location', async () => {
    const conf = path.join(dir, 'modsecurity.conf');
    const good = readFileSync(conf, 'latin1');
    writeFileSync(conf, `${good}\nSecRule ARGZ "@rx x" "id:1,phase:1,deny"\nSecRule ARGS "@nope x" "id:2,phase:1,deny"\n`, 'latin1');
    try {
      agent!.child.kill('SIGHUP');
      const failed = await agent!.waitFor((x) => typeof x.msg === 'string' && x.msg.includes('reload failed, keeping the old rules') && /ARGZ/.test(x.msg), 60_000, 'the failed reload');
      expect(failed.file).toBe(conf);
      expect(failed.line).toBeGreaterThan(0);
      await agent!.waitFor((x) => typeof x.msg === 'string' && x.msg.includes('reload failed') && /nope/.test(x.msg), 1000, 'the second error');
      expect((await get('/?cmd=/bin/pkexec')).status).toBe(403);
      expect((await get('/fine')).status).toBe(200);
    } finally {
      writeFileSync(conf, good, 'latin1');
    }
  }, 90_000);

  it('fails closed with 503 when the agent is down (SIGTERM drains, then exits 0)', async () => {
    expect(await agent!.stop('SIGTERM')).toBe(0);
    expect(agent!.records().some((x) => x.msg === 'stopped')).toBe(true);
    const r = await get('/index.html');
    expect(r.status).toBe(503);
    expect(Number(r.headers['x-modsec-error'])).toBeGreaterThan(0);
  }, 20_000);
});
