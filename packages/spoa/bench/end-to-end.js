#!/usr/bin/env node
'use strict';
/**
 * pnpm bench (in packages/spoa): the agent end to end, side by side with nginx + ModSecurity, in one run.
 *
 * The four ../shared/bench requests, sent by wrk (1 connection, its Lua script per scenario), through:
 *   nginx alone | nginx + libmodsecurity 3.0.9 (ModSecurity-nginx) | HAProxy alone | HAProxy + a do-nothing SPOE
 *   agent | HAProxy + `rampart spoa -n 1`,
 * all loading the same configuration (modsecurity.conf-recommended with SecRuleEngine On + CRS 4.28.0 PL1), to
 * the same Node backend. The server side (nginx, HAProxy and the agents) is pinned to CPU 0, wrk and the backend
 * to CPU 1. Rounds alternate the order of the targets. Then:
 *   - the agent's own processing time (its metrics) at 80% of its maximum rate, sent open-loop;
 *   - two cores: 4 connections through HAProxy to `-n 1`, `-n 2` and `-n 4` agents, nothing pinned, timeout
 *     processing 1s (so that nothing passes unchecked);
 *   - start time (spawn to ready) and resident memory of the agents (-n 1, 2, 4) and of nginx's worker.
 *
 * Environment: BENCH_SECONDS (per run, default 5), BENCH_ROUNDS (default 3), BENCH_SCENARIOS (comma list),
 * BENCH_TIMEOUT (SPOE timeout processing, default 15ms), HAPROXY (binary, default haproxy on PATH),
 * BENCH_PARTS (comma list of pinned,p99,cores,memory; default all).
 * Needs `pnpm build`, haproxy and wrk; nginx + libnginx-mod-http-modsecurity for the ModSecurity side
 * (apt-get install -y haproxy wrk nginx libnginx-mod-http-modsecurity) — what is missing is said and skipped.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { scenarios: allScenarios, writeBenchFiles } = require('../../../tools/bench/scenarios.js');
const { range, median, table } = require('../../../tools/bench/stats.js');
const { available: wrkAvailable, runWrk, writeWrkScripts } = require('../../../tools/bench/wrk.js');
const { freePort, portOpen, waitFor, installed, Processes, memoryMb, childPids } = require('../../../tools/bench/processes.js');

const CLI = path.resolve(__dirname, '../../cli/bin/rampart.js');
const SPOP = path.resolve(__dirname, '../../spop');
const OPEN_LOOP = path.resolve(__dirname, '../../../tools/bench/open-loop.js');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TIMEOUT = process.env.BENCH_TIMEOUT ?? '15ms';
const DEADLINE = String(Number.parseInt(TIMEOUT, 10) * (TIMEOUT.endsWith('ms') ? 1 : 1000));
const HAPROXY = process.env.HAPROXY ?? 'haproxy';
const PARTS = new Set((process.env.BENCH_PARTS ?? 'pinned,p99,cores,memory').split(','));
const SERVER_CPU = '0';
const CLIENT_CPU = '1';

const NOOP_AGENT = `
const { createSpopServer } = require(${JSON.stringify(SPOP)});
const s = createSpopServer({ onMessages: () => [] });
s.listen(Number(process.argv[1])).then(() => process.stdout.write('listening\\n'));
process.on('SIGTERM', () => s.close().then(() => process.exit(0)));
`;

const BACKEND = `require('http').createServer((q, s) => { q.resume(); q.on('end', () => { s.writeHead(200, { 'content-type': 'text/html', 'content-length': '2' }); s.end('ok'); }); }).listen(Number(process.argv[1]), '127.0.0.1');`;

function httpText(port, method, p) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: p }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    });
    req.once('error', reject);
    req.end();
  });
}

/** The agent's processing quantiles (ms) over the NOTIFYs it inspected, and its shed count, from its metrics. */
async function agentFigures(metricsPort) {
  const m = await httpText(metricsPort, 'GET', '/metrics');
  const q = (k) => Number((new RegExp(`rampart_spoa_inspection_recent_seconds\\{quantile="${k}"\\} (\\S+)`).exec(m) || [])[1]) * 1000;
  const shed = Number((/rampart_spoa_errors_total\{kind="1006"\} (\d+)/.exec(m) || [])[1] ?? 0);
  return { p50: q('0.5'), p99: q('0.99'), shed };
}

function spoeConfig(dir, name, timeout) {
  const file = path.join(dir, `spoe-${name}.conf`);
  fs.writeFileSync(
    file,
    `[${name}]
spoe-agent ${name}-agent
    messages check-request
    option var-prefix modsec
    option set-on-error error
    timeout hello 2s
    timeout idle 30s
    timeout processing ${timeout}
    use-backend spoe-${name}
spoe-message check-request
    args unique-id src src_port dst dst_port method path query req.ver req.hdrs_bin req.body_size req.body
    event on-frontend-http-request
`,
  );
  return file;
}

/**
 * HAProxy with one frontend per target (`agents`: name -> agent port, or null for no SPOE). A request the agent
 * did not answer in time passes unchecked, as in the operators' configuration, but its response status is
 * turned into 500 so that wrk counts it.
 */
function haproxyConfig(dir, file, backendPort, frontends, timeout) {
  let cfg = `global
    maxconn 2000
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
backend be
    http-reuse always
    server b1 127.0.0.1:${backendPort}
`;
  for (const f of frontends) {
    cfg += `frontend fe_${f.name}
    bind 127.0.0.1:${f.port}
    option http-buffer-request
    unique-id-format %{+X}o\\ %ci:%cp_%fi:%fp_%Ts_%rt:%pid
    default_backend be
`;
    if (f.agentPort !== undefined) {
      cfg += `    filter spoe engine ${f.name} config ${spoeConfig(dir, f.name, timeout)}
    http-request deny if { var(txn.modsec.code) -m int gt 0 }
    http-after-response set-status 500 if { var(txn.modsec.error) -m int gt 0 }
backend spoe-${f.name}
    mode tcp
    server a1 127.0.0.1:${f.agentPort}
`;
    }
  }
  const out = path.join(dir, file);
  fs.writeFileSync(out, cfg);
  const check = spawnSync(HAPROXY, ['-c', '-q', '-f', out], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy -c: ${check.stderr}${check.stdout}`);
  return out;
}

/** nginx with one worker: a server with ModSecurity on the bench configuration, and one without. */
function nginxConfig(dir, benchConf, ports) {
  const conf = path.join(dir, 'nginx.conf');
  fs.writeFileSync(
    conf,
    `load_module /usr/lib/nginx/modules/ndk_http_module.so;
load_module /usr/lib/nginx/modules/ngx_http_modsecurity_module.so;
user root;
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path ${dir}/nginx-body;
    proxy_temp_path ${dir}/nginx-proxy;
    client_body_buffer_size 64k;
    upstream backend { server 127.0.0.1:${ports.backend}; keepalive 8; }
    server {
        listen 127.0.0.1:${ports.nginxModsec};
        modsecurity on;
        modsecurity_rules_file ${benchConf};
        location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
    }
    server {
        listen 127.0.0.1:${ports.nginxPlain};
        location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
    }
}
`,
  );
  return conf;
}

function nginxAvailable() {
  if (!installed('nginx', ['-v'])) return 'nginx is not installed';
  if (!fs.existsSync('/usr/lib/nginx/modules/ngx_http_modsecurity_module.so')) return 'libnginx-mod-http-modsecurity is not installed';
  return undefined;
}

async function startAgent(procs, name, { port, metricsPort, workers, cpus, config, deadline }) {
  const t0 = performance.now();
  const child = procs.start(name, process.execPath, [CLI, 'spoa', '-f', config, '-p', String(port), '-n', String(workers), '--deadline', deadline, '--metrics-addr', `127.0.0.1:${metricsPort}`, '--error-log', '/dev/null'], { cpus, stdout: 'pipe' });
  await waitFor(() => child.output.includes('"msg":"ready:') || child.exitCode !== null, 300_000, `${name} to load`);
  if (child.exitCode !== null) throw new Error(`${name} exited: ${child.output}`);
  child.startMs = performance.now() - t0;
  child.idleMemory = memoryMb(child.pid);
  return child;
}

const fmt = (r) => `${Math.round(r)}`;

async function main() {
  const missing = [];
  if (!installed(HAPROXY)) missing.push(`${HAPROXY} (apt-get install -y haproxy)`);
  if (!wrkAvailable()) missing.push('wrk (apt-get install -y wrk)');
  if (!fs.existsSync(path.resolve(__dirname, '../../cli/dist/cli.js'))) missing.push('the built packages (pnpm build)');
  if (missing.length > 0) {
    console.log(`# end-to-end benchmark skipped: needs ${missing.join(', ')}`);
    return;
  }
  const nginxMissing = nginxAvailable();
  if (nginxMissing) console.log(`# nginx + ModSecurity is not measured: ${nginxMissing} (apt-get install -y nginx libnginx-mod-http-modsecurity)`);
  const only = process.env.BENCH_SCENARIOS ? new Set(process.env.BENCH_SCENARIOS.split(',')) : undefined;
  const scenarios = allScenarios().filter((s) => !only || only.has(s.name));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-e2e-'));
  const procs = new Processes();
  try {
    const { config } = writeBenchFiles(dir);
    const scripts = writeWrkScripts(dir, scenarios);
    const ports = {};
    for (const k of ['backend', 'plain', 'noop', 'waf', 'noopAgent', 'wafAgent', 'metrics', 'nginxModsec', 'nginxPlain']) ports[k] = await freePort();
    procs.start('backend', process.execPath, ['-e', BACKEND, String(ports.backend)], { cpus: CLIENT_CPU });
    const noop = procs.start('noop agent', process.execPath, ['-e', NOOP_AGENT, String(ports.noopAgent)], { cpus: SERVER_CPU, stdout: 'pipe' });
    const agent = await startAgent(procs, 'rampart spoa -n 1', { port: ports.wafAgent, metricsPort: ports.metrics, workers: 1, cpus: SERVER_CPU, config, deadline: DEADLINE });
    procs.start('haproxy', HAPROXY, ['-db', '-f', haproxyConfig(dir, 'haproxy-pinned.cfg', ports.backend, [{ name: 'plain', port: ports.plain }, { name: 'noop', port: ports.noop, agentPort: ports.noopAgent }, { name: 'waf', port: ports.waf, agentPort: ports.wafAgent }], TIMEOUT)], { cpus: SERVER_CPU });
    let nginx;
    if (!nginxMissing) {
      for (const d of ['nginx-body', 'nginx-proxy']) fs.mkdirSync(path.join(dir, d));
      nginx = procs.start('nginx', 'nginx', ['-c', nginxConfig(dir, config, ports), '-p', dir], { cpus: SERVER_CPU, stdout: 'pipe' });
    }
    await waitFor(async () => (await portOpen(ports.plain)) && (await portOpen(ports.backend)) && noop.output.includes('listening'), 20_000, 'haproxy, the backend and the no-op agent');
    if (nginx) await waitFor(async () => (await portOpen(ports.nginxModsec)) || nginx.exitCode !== null, 120_000, 'nginx to load ModSecurity');
    if (nginx && nginx.exitCode !== null) throw new Error(`nginx exited: ${nginx.output}${fs.readFileSync(path.join(dir, 'nginx-error.log'), 'utf8')}`);

    const haproxyVersion = spawnSync(HAPROXY, ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0].split(' ')[2];
    const nginxVersion = nginx ? spawnSync('nginx', ['-v'], { encoding: 'utf8' }).stderr.trim().replace('nginx version: ', '') : '';
    console.log(
      `# End to end: HAProxy ${haproxyVersion}${nginx ? `, ${nginxVersion} + libnginx-mod-http-modsecurity (libmodsecurity 3.0.9)` : ''}, node ${process.version}; ` +
        `CRS 4.28.0 PL1 (modsecurity.conf-recommended, SecRuleEngine On) on both; ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)} at the start`,
    );

    const targets = [
      ...(nginx ? [{ key: 'nginx', label: 'nginx alone', port: ports.nginxPlain }, { key: 'modsec', label: 'nginx + ModSecurity', port: ports.nginxModsec }] : []),
      { key: 'haproxy', label: 'HAProxy alone', port: ports.plain },
      { key: 'noop', label: 'HAProxy + no-op agent', port: ports.noop },
      { key: 'rampart', label: 'HAProxy + rampart spoa -n 1', port: ports.waf },
    ];
    const pinned = new Map();
    if (PARTS.has('pinned')) {
      // Warm-up: JIT, connections, and libmodsecurity's and the agent's first transactions.
      for (const s of scenarios) for (const t of targets) await runWrk({ port: t.port, scriptFile: scripts.get(s.name), seconds: Math.min(2, SECONDS), cpus: CLIENT_CPU });
      for (let round = 0; round < ROUNDS; round++) {
        for (const s of scenarios) {
          const order = round % 2 === 0 ? targets : [...targets].reverse();
          for (const t of order) {
            if (t.key === 'rampart') await httpText(ports.metrics, 'POST', '/reset-processing');
            const r = await runWrk({ port: t.port, scriptFile: scripts.get(s.name), seconds: SECONDS, cpus: CLIENT_CPU });
            if (t.key === 'rampart') r.agent = await agentFigures(ports.metrics);
            const k = `${s.name}/${t.key}`;
            pinned.set(k, [...(pinned.get(k) ?? []), r]);
          }
        }
      }
      console.log(`\n## 1 connection, server side on CPU ${SERVER_CPU}, wrk and the backend on CPU ${CLIENT_CPU}: requests/s (${ROUNDS} rounds of ${SECONDS} s; latency p50/p99 ms)\n`);
      const head = ['scenario', ...targets.map((t) => t.label), ...(nginx ? ['rampart / ModSecurity'] : []), 'agent processing p50 / p99 ms', 'unchecked or errors (rampart)'];
      const rows = [head];
      for (const s of scenarios) {
        const row = [s.name];
        for (const t of targets) {
          const rs = pinned.get(`${s.name}/${t.key}`);
          row.push(`${range(rs.map((r) => r.rps), 0)} (${median(rs.map((r) => r.p50)).toFixed(2)}/${median(rs.map((r) => r.p99)).toFixed(2)})`);
        }
        const waf = pinned.get(`${s.name}/rampart`);
        if (nginx) {
          const ms = pinned.get(`${s.name}/modsec`);
          const ratios = waf.map((r, i) => r.rps / ms[i].rps);
          row.push(`${range(ratios, 1)}×`);
        }
        row.push(`${range(waf.map((r) => r.agent.p50), 2)} / ${range(waf.map((r) => r.agent.p99), 2)}`);
        row.push(`${waf.reduce((a, r) => a + r.errors, 0)} of ${waf.reduce((a, r) => a + r.requests, 0)}`);
        rows.push(row);
      }
      table(rows, targets.map((_, i) => i + 1));
    }

    if (PARTS.has('p99') && pinned.size > 0) {
      console.log(`\n## The agent at 80% of its maximum rate (open loop over 8 connections, same pinning, timeout processing ${TIMEOUT}; ${SECONDS} s)\n`);
      const rows = [['scenario', 'rate sent req/s', 'agent processing p50 / p99 ms', 'client p50 / p99 ms', 'unchecked (not 2xx)', 'shed by the agent']];
      for (const s of scenarios) {
        const max = median(pinned.get(`${s.name}/rampart`).map((r) => r.rps));
        const rate = Math.max(1, Math.round(max * 0.8));
        await httpText(ports.metrics, 'POST', '/reset-processing');
        const before = await agentFigures(ports.metrics);
        const run = spawnSync('taskset', ['-c', CLIENT_CPU, process.execPath, OPEN_LOOP, String(ports.waf), s.name, String(rate), String(SECONDS)], { encoding: 'utf8' });
        if (run.status !== 0) throw new Error(`open-loop: ${run.stderr}`);
        const r = JSON.parse(run.stdout.trim());
        const a = await agentFigures(ports.metrics);
        rows.push([s.name, `${rate} (sent ${Math.round(r.sent / SECONDS)})`, `${a.p50.toFixed(2)} / ${a.p99.toFixed(2)}`, `${r.p50.toFixed(2)} / ${r.p99.toFixed(2)}`, `${r.notOk} of ${r.done}`, String(a.shed - before.shed)]);
      }
      table(rows, [1]);
    }

    const agents = [agent];
    if (PARTS.has('cores') || PARTS.has('memory')) {
      // Two cores: nothing pinned, 4 connections, agents with 1, 2 and 4 workers behind one more HAProxy. Its
      // timeout processing is 1 s (the agents' --deadline too), so that throughput counts inspected requests only.
      const counts = [1, 2, 4];
      const fe = [];
      for (const n of counts) {
        const p = { port: await freePort(), agentPort: await freePort(), metrics: await freePort() };
        const a = await startAgent(procs, `rampart spoa -n ${n}`, { port: p.agentPort, metricsPort: p.metrics, workers: n, config, deadline: '1000' });
        a.workers = n;
        agents.push(a);
        fe.push({ name: `n${n}`, port: p.port, agentPort: p.agentPort, n, metrics: p.metrics });
      }
      procs.start('haproxy (2 cores)', HAPROXY, ['-db', '-f', haproxyConfig(dir, 'haproxy-cores.cfg', ports.backend, fe, '1s')]);
      await waitFor(() => portOpen(fe[0].port), 20_000, 'the second haproxy');
      if (PARTS.has('cores')) {
        const results = new Map();
        for (const s of scenarios) for (const f of fe) await runWrk({ port: f.port, scriptFile: scripts.get(s.name), seconds: Math.min(2, SECONDS), connections: 4 });
        for (let round = 0; round < ROUNDS; round++) {
          for (const s of scenarios) {
            for (const f of round % 2 === 0 ? fe : [...fe].reverse()) {
              const r = await runWrk({ port: f.port, scriptFile: scripts.get(s.name), seconds: SECONDS, connections: 4 });
              results.set(`${s.name}/${f.n}`, [...(results.get(`${s.name}/${f.n}`) ?? []), r]);
            }
          }
        }
        console.log(`\n## Two cores, 4 connections, nothing pinned (HAProxy, agent, wrk and backend share both), timeout processing 1s: requests/s (${ROUNDS} rounds of ${SECONDS} s; latency p50/p99 ms)\n`);
        const rows = [['scenario', ...counts.map((n) => `-n ${n}`), '-n 2 / -n 1', '-n 4 / -n 1', 'unchecked or errors']];
        for (const s of scenarios) {
          const by = counts.map((n) => results.get(`${s.name}/${n}`));
          rows.push([
            s.name,
            ...by.map((rs) => `${range(rs.map((r) => r.rps), 0)} (${median(rs.map((r) => r.p50)).toFixed(2)}/${median(rs.map((r) => r.p99)).toFixed(2)})`),
            `${range(by[1].map((r, i) => r.rps / by[0][i].rps), 2)}×`,
            `${range(by[2].map((r, i) => r.rps / by[0][i].rps), 2)}×`,
            String(by.flat().reduce((a, r) => a + r.errors, 0)),
          ]);
        }
        table(rows, [1, 2, 3, 4, 5]);
      }
    }

    if (PARTS.has('memory')) {
      console.log('\n## Start and memory\n');
      const rows = [['process', 'start to ready, s', 'RSS idle after the load, MB', 'RSS now, MB', 'peak RSS, MB']];
      for (const a of agents) {
        const now = memoryMb(a.pid);
        rows.push([a.benchName + (a === agent ? ' (pinned, after the runs above)' : ''), (a.startMs / 1000).toFixed(2), a.idleMemory.rss.toFixed(1), now ? now.rss.toFixed(1) : '-', now ? now.peak.toFixed(1) : '-']);
      }
      if (nginx) {
        for (const w of childPids(nginx.pid)) {
          const m = memoryMb(w);
          if (m) rows.push([`nginx worker (ModSecurity loaded)`, '-', '-', m.rss.toFixed(1), m.peak.toFixed(1)]);
        }
      }
      table(rows, [1, 2, 3, 4]);
    }
  } finally {
    await procs.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

module.exports = { haproxyConfig, BACKEND, CLI };
