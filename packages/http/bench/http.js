// `pnpm bench` for @rampart/http: requests per second of a trivial Express and Fastify app ("GET /hello" -> "hello")
// without and with the WAF (CRS 4 at PL1, blocking, every response inspected), measured with autocannon from another
// process, and the server's CPU time per request (which a busy machine disturbs far less than requests/s). Each
// configuration runs RUNS times; the table shows the range. Figures, never assertions.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const autocannon = require('autocannon');

const RUNS = Number(process.env.RAMPART_BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.RAMPART_BENCH_SECONDS ?? 5);
const CONNECTIONS = 20;
// The flags the engine README recommends to embedders (a fixed young generation).
const NODE_FLAGS = ['--min-semi-space-size=32', '--max-semi-space-size=32'];

function start(framework, variant) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, path.join(__dirname, 'server.js'), framework, variant], {
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /listening (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`server ${framework}/${variant} exited with ${code}`)));
  });
}

function cpuOf(child) {
  return new Promise((resolve) => {
    child.once('message', (usage) => resolve((usage.user + usage.system) / 1000));
    child.send('cpu');
  });
}

function load(port, seconds) {
  return new Promise((resolve, reject) => {
    autocannon({ url: `http://127.0.0.1:${port}/hello?name=ada`, connections: CONNECTIONS, duration: seconds }, (err, result) => {
      if (err) reject(err);
      else resolve(result);
    });
  });
}

const range = (values, digits = 0) => {
  const lo = Math.min(...values).toFixed(digits);
  const hi = Math.max(...values).toFixed(digits);
  return lo === hi ? lo : `${lo}–${hi}`;
};

async function main() {
  const rows = [];
  for (const framework of ['express', 'fastify']) {
    for (const variant of ['plain', 'waf']) {
      const { child, port } = await start(framework, variant);
      try {
        await load(port, 1); // warm-up: JIT, connections
        const runs = [];
        for (let i = 0; i < RUNS; i++) {
          const cpuBefore = await cpuOf(child);
          const r = await load(port, SECONDS);
          const cpuMs = (await cpuOf(child)) - cpuBefore;
          if (r.non2xx > 0 || r.errors > 0) throw new Error(`${framework}/${variant}: ${r.non2xx} non-2xx, ${r.errors} errors`);
          runs.push({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, cpuUs: (cpuMs * 1000) / Math.max(1, r.requests.total) });
        }
        rows.push({ framework, variant, runs });
        console.log(`${framework} ${variant}: ${runs.map((x) => Math.round(x.rps)).join(', ')} req/s; ${runs.map((x) => Math.round(x.cpuUs)).join(', ')} us CPU/request`);
      } finally {
        child.kill();
      }
    }
  }
  console.log(`\n${CONNECTIONS} connections, ${RUNS} runs of ${SECONDS} s each, server: node ${NODE_FLAGS.join(' ')}`);
  console.log('| app | requests/s | server CPU per request (us) | latency p50 / p99 (ms) |');
  console.log('|---|---:|---:|---:|');
  for (const row of rows) {
    const name = `${row.framework === 'express' ? 'Express 5' : 'Fastify 5'}${row.variant === 'waf' ? ' + Rampart (CRS 4 PL1)' : ''}`;
    console.log(`| ${name} | ${range(row.runs.map((r) => r.rps))} | ${range(row.runs.map((r) => r.cpuUs))} | ${range(row.runs.map((r) => r.p50))} / ${range(row.runs.map((r) => r.p99))} |`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
