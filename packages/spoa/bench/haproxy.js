'use strict';
/**
 * pnpm bench (in packages/spoa): requests/s and latency p50/p99 through a real HAProxy on loopback, for the
 * ../shared/bench scenarios, with (a) no SPOE, (b) SPOE to a do-nothing agent, (c) `rampart spoa` with CRS 4
 * PL1 — plus the agent's own processing time (p50/p99 from its metrics) and how many requests the agent
 * failed to answer within `timeout processing` (HAProxy lets those through unchecked).
 *
 * Environment: BENCH_SECONDS (default 5), BENCH_CONCURRENCY (1), BENCH_WORKERS (agent -n, default 1),
 * BENCH_SCENARIOS (comma list, default all), BENCH_TIMEOUT (SPOE timeout processing, default 15ms).
 * Needs the built packages (pnpm build) and haproxy on PATH. Loopback only; every run is time-bounded.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const SHARED = path.resolve(__dirname, '../../../../shared');
const BENCH = path.join(SHARED, 'bench');
const CLI = path.resolve(__dirname, '../../cli/bin/rampart.js');
const SPOP = path.resolve(__dirname, '../../spop');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
// 1 connection by default, as the ModSecurity reference in ../shared/bench was measured.
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 1);
const WORKERS = process.env.BENCH_WORKERS ?? '1';
const TIMEOUT = process.env.BENCH_TIMEOUT ?? '15ms';
/** The agent's --deadline: HAProxy's timeout processing unless BENCH_DEADLINE says otherwise. */
const DEADLINE = process.env.BENCH_DEADLINE ?? String(Number.parseInt(TIMEOUT, 10) * (TIMEOUT.endsWith('ms') ? 1 : 1000));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(check, ms, what) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function portOpen(port) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' }, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

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

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** C keep-alive connections, each sending the scenario's request back to back for SECONDS. */
async function load(port, scenario, headers) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies = [];
  const statuses = new Map();
  let spoeErrors = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const one = () =>
    new Promise((resolve) => {
      const t0 = performance.now();
      const req = http.request({ host: '127.0.0.1', port, method: scenario.method, path: scenario.uri, agent, headers: scenario.headers }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - t0);
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          if (res.headers['x-spoe-error'] !== undefined && res.headers['x-spoe-error'] !== '') spoeErrors++;
          resolve();
        });
      });
      req.once('error', () => {
        statuses.set('error', (statuses.get('error') ?? 0) + 1);
        resolve();
      });
      req.end(scenario.body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) await one();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / elapsed, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), n: latencies.length, statuses: Object.fromEntries(statuses), spoeErrors };
}

function scenarios() {
  const spec = JSON.parse(fs.readFileSync(path.join(BENCH, 'requests.json'), 'utf8'));
  const only = process.env.BENCH_SCENARIOS ? new Set(process.env.BENCH_SCENARIOS.split(',')) : undefined;
  return spec.scenarios
    .filter((s) => !only || only.has(s.name))
    .map((s) => {
      const body = s.bodyFile ? fs.readFileSync(path.join(BENCH, s.bodyFile)) : undefined;
      const headers = { ...spec.headers };
      if (s.contentType) headers['Content-Type'] = s.contentType;
      if (body) headers['Content-Length'] = String(body.length);
      return { name: s.name, method: s.method, uri: s.uri, headers, body };
    });
}

const NOOP_AGENT = `
const { createSpopServer } = require(${JSON.stringify(SPOP)});
const s = createSpopServer({ onMessages: () => [] });
s.listen(Number(process.argv[1])).then(() => process.stdout.write('listening\\n'));
process.on('SIGTERM', () => s.close().then(() => process.exit(0)));
`;

function haproxyConfig(dir, o) {
  const spoe = (name, agentBackend) => {
    const file = path.join(dir, `spoe-${name}.conf`);
    fs.writeFileSync(
      file,
      `[${name}]
spoe-agent ${name}-agent
    messages check-request
    option var-prefix modsec
    option set-on-error error
    timeout hello 100ms
    timeout idle 30s
    timeout processing ${TIMEOUT}
    use-backend ${agentBackend}
spoe-message check-request
    args unique-id src src_port dst dst_port method path query req.ver req.hdrs_bin req.body_size req.body
    event on-frontend-http-request
`,
    );
    return file;
  };
  const fe = (name, port, spoeFile) => `
frontend ${name}
    bind 127.0.0.1:${port}
    option http-buffer-request
    unique-id-format %{+X}o\\ %ci:%cp_%fi:%fp_%Ts_%rt:%pid
${spoeFile ? `    filter spoe engine ${path.basename(spoeFile, '.conf').slice(5)} config ${spoeFile}
    http-request deny if { var(txn.modsec.code) -m int gt 0 }
    http-after-response set-header X-Spoe-Error %[var(txn.modsec.error)]
` : ''}    default_backend be
`;
  const cfg = `global
    maxconn 2000
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
${fe('fe_plain', o.plain)}${fe('fe_noop', o.noop, spoe('noop', 'spoe-noop'))}${fe('fe_waf', o.waf, spoe('waf', 'spoe-waf'))}
backend be
    http-reuse always
    server b1 127.0.0.1:${o.backend}
backend spoe-noop
    mode tcp
    server a1 127.0.0.1:${o.noopAgent}
backend spoe-waf
    mode tcp
    server a1 127.0.0.1:${o.wafAgent}
`;
  const file = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(file, cfg);
  const check = spawnSync('haproxy', ['-c', '-q', '-f', file], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy -c: ${check.stderr}${check.stdout}`);
  return file;
}

async function main() {
  if (spawnSync('haproxy', ['-v'], { stdio: 'ignore' }).status !== 0) {
    process.stderr.write('bench: haproxy not found on PATH (apt-get install -y haproxy)\n');
    process.exit(2);
  }
  if (!fs.existsSync(path.resolve(__dirname, '../../cli/dist/cli.js'))) {
    process.stderr.write('bench: build first (pnpm build)\n');
    process.exit(2);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spoa-bench-'));
  const children = [];
  const cleanup = () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', cleanup);
  try {
    const ports = {};
    for (const k of ['backend', 'plain', 'noop', 'waf', 'noopAgent', 'wafAgent', 'metrics']) ports[k] = await freePort();
    const backend = spawn(process.execPath, ['-e', `require('http').createServer((q,s)=>{q.resume();q.on('end',()=>{s.writeHead(200,{'content-type':'text/plain','content-length':'2'});s.end('ok')})}).listen(${ports.backend},'127.0.0.1')`], { stdio: 'ignore' });
    const noop = spawn(process.execPath, ['-e', NOOP_AGENT, String(ports.noopAgent)], { stdio: 'ignore' });
    let agentOut = '';
    const agent = spawn(process.execPath, [CLI, 'spoa', '-p', String(ports.wafAgent), '-n', WORKERS, '--deadline', DEADLINE, '--metrics-addr', `127.0.0.1:${ports.metrics}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    agent.stdout.on('data', (d) => (agentOut += d));
    agent.stderr.resume();
    children.push(backend, noop, agent);
    const haproxy = spawn('haproxy', ['-db', '-f', haproxyConfig(dir, ports)], { stdio: 'ignore' });
    children.push(haproxy);
    await waitFor(() => agentOut.includes('"msg":"ready:'), 30_000, 'the agent to load CRS');
    await waitFor(async () => (await portOpen(ports.plain)) && (await portOpen(ports.backend)) && (await portOpen(ports.noopAgent)), 10_000, 'haproxy and the backend');
    const cpus = os.cpus().length;
    console.log(`# rampart spoa bench: HAProxy ${spawnSync('haproxy', ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0].split(' ')[2]}, ${cpus} CPUs, ${CONCURRENCY} keep-alive connections, ${SECONDS} s per run, agent -n ${WORKERS} --deadline ${DEADLINE}, timeout processing ${TIMEOUT}`);
    console.log('| scenario | target | req/s | p50 ms | p99 ms | statuses | SPOE errors (passed unchecked) | agent processing p50 / p99 ms (inspected NOTIFYs) | shed by agent (error 1006) |');
    console.log('|---|---|---:|---:|---:|---|---:|---|---:|');
    for (const s of scenarios()) {
      for (const [target, port] of [['(a) no SPOE', ports.plain], ['(b) SPOE, do-nothing agent', ports.noop], ['(c) rampart spoa, CRS PL1', ports.waf]]) {
        // Warm-up (JIT, agent connections), then the measured run.
        await load(port, s);
        const isWaf = port === ports.waf;
        if (isWaf) await httpText(ports.metrics, 'POST', '/reset-processing');
        const before = isWaf ? await httpText(ports.metrics, 'GET', '/metrics') : '';
        const r = await load(port, s);
        let agentQ = '';
        let shed = '-';
        if (isWaf) {
          const m = await httpText(ports.metrics, 'GET', '/metrics');
          const q = (k) => Number((new RegExp(`rampart_spoa_inspection_recent_seconds\\{quantile="${k}"\\} (\\S+)`).exec(m) || [])[1]) * 1000;
          agentQ = `${q('0.5').toFixed(2)} / ${q('0.99').toFixed(2)}`;
          const shedCount = (text) => Number((/rampart_spoa_errors_total\{kind="1006"\} (\d+)/.exec(text) || [])[1] ?? 0);
          shed = String(shedCount(m) - shedCount(before));
        }
        console.log(`| ${s.name} | ${target} | ${Math.round(r.rps)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${JSON.stringify(r.statuses)} | ${port === ports.plain ? '-' : r.spoeErrors} | ${agentQ || '-'} | ${shed} |`);
      }
    }
  } finally {
    cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
