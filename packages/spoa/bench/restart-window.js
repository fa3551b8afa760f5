'use strict';
/**
 * How many requests pass HAProxy *unchecked* (they reach the backend without a verdict from the agent) when the
 * agent starts, restarts, reloads or dies under load: `node bench/restart-window.js` (in packages/spoa, after
 * `pnpm build`).
 *
 * One HAProxy with two frontends sharing one agent: `open` has the operators' configuration without the
 * fail-closed rule, `closed` adds `http-request deny deny_status 503 if { var(txn.modsec.error) -m int gt 0 }`.
 * Both forward `X-Verdict: %[var(txn.modsec.code)]`, so the backend counts the requests that reached it without a
 * verdict. Clean GETs are sent at RATE per second to each frontend (a new connection each, open loop) for
 * SECONDS; the event happens after 1 s. A supervisor restarts the agent 100 ms after it exits, as systemd's
 * `Restart=always` (RestartSec=100ms) does.
 *
 * Events: none (steady state: what the host's load alone lets through), start (HAProxy already serving, the agent
 * started under load), restart (SIGTERM, then a new process:
 * `systemctl restart`), usr2 (kill -USR2: the spoa-modsecurity guide's ExecReload), hup (kill -HUP), kill9.
 *
 * Environment: HAPROXY (binary, default haproxy on PATH; e.g. ../../../shared/haproxy/3.3.0/haproxy), RATE
 * (per frontend, default 100), SECONDS (default 6), TIMEOUT (SPOE timeout processing, default 100ms; the agent
 * gets --deadline the same), WORKERS (agent -n, default 1), EVENTS (comma list, default all), AGENT_ARGS (extra
 * agent arguments).
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const SHARED = path.resolve(__dirname, '../../../../shared');
const CRS_DIR = path.join(SHARED, 'crs4');
const CLI = path.resolve(__dirname, '../../cli/bin/rampart.js');
const HAPROXY = process.env.HAPROXY ?? 'haproxy';
const RATE = Number(process.env.RATE ?? 100);
const SECONDS = Number(process.env.SECONDS ?? 6);
const TIMEOUT = process.env.TIMEOUT ?? '100ms';
const WORKERS = process.env.WORKERS ?? '1';
const EVENTS = (process.env.EVENTS ?? 'start,restart,usr2,hup,kill9').split(',');
const AGENT_ARGS = (process.env.AGENT_ARGS ?? '').split(' ').filter(Boolean);
const RESTART_SEC_MS = 100;
const { freePort, portOpen, waitFor } = require('../../../tools/bench/processes.js');

function haproxyMajorMinor() {
  const v = spawnSync(HAPROXY, ['-v'], { encoding: 'utf8' });
  if (v.status !== 0) throw new Error(`${HAPROXY} -v failed`);
  const m = /version (\d+)\.(\d+)/.exec(v.stdout);
  return { text: v.stdout.split('\n')[0], major: Number(m[1]), minor: Number(m[2]) };
}

/** modsecurity.conf-recommended with SecRuleEngine On + CRS, as the setup guide makes it. */
function writeRules(dir) {
  const recommended = fs.readFileSync(path.join(SHARED, 'modsecurity/modsecurity.conf-recommended'), 'latin1');
  fs.copyFileSync(path.join(SHARED, 'modsecurity/unicode.mapping'), path.join(dir, 'unicode.mapping'));
  fs.copyFileSync(path.join(CRS_DIR, 'crs-setup.conf.example'), path.join(dir, 'crs-setup.conf'));
  const conf = recommended
    .replace(/^SecRuleEngine DetectionOnly$/m, 'SecRuleEngine On')
    .replace(/^SecDataDir .*$/m, `SecDataDir ${dir}`)
    .replace(/^SecAuditLog .*$/m, `SecAuditLog ${dir}/audit.log`);
  const file = path.join(dir, 'modsecurity.conf');
  fs.writeFileSync(file, `${conf}\nInclude ${dir}/crs-setup.conf\nInclude ${CRS_DIR}/rules/*.conf\n`, 'latin1');
  return file;
}

function writeHaproxyConfig(dir, ports, version) {
  const mux = version.major > 3 || (version.major === 3 && version.minor >= 1);
  const spoe = path.join(dir, 'spoe.conf');
  fs.writeFileSync(
    spoe,
    `[modsecurity]
spoe-agent modsecurity-agent
    messages check-request
    option var-prefix modsec
    option set-on-error error
${mux ? '' : '    timeout hello 100ms\n    timeout idle 30s\n'}    timeout processing ${TIMEOUT}
    use-backend spoe-modsecurity
spoe-message check-request
    args unique-id src src_port dst dst_port method path query req.ver req.hdrs_bin req.body_size req.body
    event on-frontend-http-request
`,
  );
  const fe = (name, port, failClosed) => `
frontend ${name}
    bind 127.0.0.1:${port}
    unique-id-format %{+X}o\\ %ci:%cp_%fi:%fp_%Ts_%rt:%pid
    option http-buffer-request
    filter spoe engine modsecurity config ${spoe}
${failClosed ? '    http-request deny deny_status 503 if { var(txn.modsec.error) -m int gt 0 }\n' : ''}    http-request deny if { var(txn.modsec.code) -m int gt 0 }
    http-request set-header X-Verdict %[var(txn.modsec.code)]
    http-request set-header X-Front ${name}
    default_backend be
`;
  const cfg = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(
    cfg,
    `global
    maxconn 4000
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
${fe('open', ports.open, false)}${fe('closed', ports.closed, true)}
backend be
    server b1 127.0.0.1:${ports.backend}
backend spoe-modsecurity
    mode ${mux ? 'spop' : 'tcp'}
    server agent1 127.0.0.1:${ports.agent}
`,
  );
  const check = spawnSync(HAPROXY, ['-c', '-q', '-f', cfg], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy -c: ${check.stderr}${check.stdout}`);
  return cfg;
}

/** Runs the agent; restarts it RESTART_SEC_MS after it exits while `keep` is true (systemd Restart=always). */
class Supervisor {
  constructor(args) {
    this.args = args;
    this.keep = true;
    this.starts = 0;
    this.exits = [];
    this.child = undefined;
    this.out = '';
  }

  start() {
    this.starts++;
    const child = spawn(process.execPath, [CLI, 'spoa', ...this.args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.out = '';
    child.stdout.on('data', (d) => (this.out += d));
    child.stderr.resume();
    child.once('exit', (code, signal) => {
      this.exits.push(signal ?? code);
      if (this.child === child) this.child = undefined;
      if (this.keep) setTimeout(() => this.keep && !this.child && this.start(), RESTART_SEC_MS);
    });
    this.child = child;
  }

  ready() {
    return this.out.includes('"msg":"ready:');
  }

  async stop() {
    this.keep = false;
    const c = this.child;
    if (!c) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  }
}

/** Open-loop load: one clean GET to each frontend every 1000/RATE ms, each on a new connection. */
async function load(ports, seconds, onTick) {
  const counts = { open: newCount(), closed: newCount() };
  const pending = [];
  const interval = 1000 / RATE;
  const start = performance.now();
  let i = 0;
  while (performance.now() - start < seconds * 1000) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    onTick(performance.now() - start);
    for (const front of ['open', 'closed']) {
      const c = counts[front];
      c.sent++;
      pending.push(
        new Promise((resolve) => {
          const req = http.request({ host: '127.0.0.1', port: ports[front], path: `/item?id=${i}`, agent: false }, (res) => {
            res.resume();
            res.on('end', () => {
              c.status[res.statusCode] = (c.status[res.statusCode] ?? 0) + 1;
              resolve();
            });
          });
          req.setTimeout(15_000, () => req.destroy(new Error('timeout')));
          req.once('error', () => {
            c.status.error = (c.status.error ?? 0) + 1;
            resolve();
          });
          req.end();
        }),
      );
    }
    i++;
  }
  await Promise.all(pending);
  return counts;
}

function newCount() {
  return { sent: 0, status: {}, unchecked: 0, checked: 0 };
}

async function runEvent(event, ctx) {
  const agentArgs = ['-f', ctx.rules, '-p', String(ctx.ports.agent), '-n', WORKERS, '--deadline', String(Number.parseInt(TIMEOUT, 10)), ...AGENT_ARGS];
  const sup = new Supervisor(agentArgs);
  ctx.backendSeen.open = { unchecked: 0, checked: 0 };
  ctx.backendSeen.closed = { unchecked: 0, checked: 0 };
  if (event !== 'start') {
    sup.start();
    await waitFor(() => sup.ready(), 60_000, 'the agent to load the rules');
    // Let HAProxy connect and settle before the measured run.
    await load(ctx.ports, 0.5, () => undefined);
    ctx.backendSeen.open = { unchecked: 0, checked: 0 };
    ctx.backendSeen.closed = { unchecked: 0, checked: 0 };
  }
  let fired = false;
  let firedAt = 0;
  let readyAgainAt;
  const startsBefore = sup.starts;
  const watch = setInterval(() => {
    if (fired && readyAgainAt === undefined && sup.starts > startsBefore && sup.ready()) readyAgainAt = performance.now();
  }, 10);
  const counts = await load(ctx.ports, SECONDS, (t) => {
    if (fired || t < 1000) return;
    fired = true;
    firedAt = performance.now();
    switch (event) {
      case 'start':
        sup.start();
        break;
      case 'restart': {
        const c = sup.child;
        sup.keep = false;
        c.once('exit', () => {
          sup.keep = true;
          sup.start();
        });
        c.kill('SIGTERM');
        break;
      }
      case 'usr2':
        sup.child.kill('SIGUSR2');
        break;
      case 'hup':
        sup.child.kill('SIGHUP');
        break;
      case 'kill9':
        sup.child.kill('SIGKILL');
        break;
      case 'none':
        break;
    }
  });
  clearInterval(watch);
  const restarted = sup.starts - startsBefore - (event === 'start' ? 1 : 0);
  const exits = [...sup.exits];
  await sup.stop();
  for (const f of ['open', 'closed']) Object.assign(counts[f], ctx.backendSeen[f]);
  return { counts, restarted, exits, readyMs: readyAgainAt !== undefined ? Math.round(readyAgainAt - firedAt) : undefined };
}

async function main() {
  const version = haproxyMajorMinor();
  if (!fs.existsSync(path.resolve(__dirname, '../../cli/dist/cli.js'))) throw new Error('build first (pnpm build)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spoa-window-'));
  const children = [];
  process.on('exit', () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const ports = {};
  for (const k of ['backend', 'open', 'closed', 'agent']) ports[k] = await freePort();
  const backendSeen = { open: { unchecked: 0, checked: 0 }, closed: { unchecked: 0, checked: 0 } };
  const backend = http.createServer((req, res) => {
    const seen = backendSeen[req.headers['x-front']];
    if (seen) {
      if (req.headers['x-verdict'] === undefined || req.headers['x-verdict'] === '') seen.unchecked++;
      else seen.checked++;
    }
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise((r) => backend.listen(ports.backend, '127.0.0.1', r));
  const rules = writeRules(dir);
  const haproxy = spawn(HAPROXY, ['-db', '-f', writeHaproxyConfig(dir, ports, version)], { stdio: 'ignore' });
  children.push(haproxy);
  await waitFor(() => portOpen(ports.open), 10_000, 'haproxy');
  console.log(`# ${version.text}; ${RATE} req/s to each frontend for ${SECONDS} s, event at 1 s; timeout processing ${TIMEOUT}; agent -n ${WORKERS} --deadline ${Number.parseInt(TIMEOUT, 10)} ${AGENT_ARGS.join(' ')}; ${os.cpus().length} CPUs`);
  console.log('| event | agent restarts (exit) | ready again after ms | unchecked, no fail-closed rule | unchecked, fail-closed rule | 503 (fail-closed) | sent per frontend |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const event of EVENTS) {
    const r = await runEvent(event, { ports, rules, backendSeen });
    const { open, closed } = r.counts;
    console.log(`| ${event} | ${r.restarted} (${r.exits.join(', ') || '-'}) | ${r.readyMs ?? '-'} | ${open.unchecked} | ${closed.unchecked} | ${closed.status[503] ?? 0} | ${open.sent} |`);
  }
  backend.close();
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
