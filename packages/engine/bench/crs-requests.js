#!/usr/bin/env node
// Benchmarks the engine with CRS 4 at paranoia level 1, configured as operators configure ModSecurity:
// modsecurity.conf-recommended (SecRuleEngine On), then crs-setup.conf.example and rules/*.conf.
// Prints CRS load+compile time and the time per request for every scenario of ../shared/bench/requests.json.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { spawnSync } = require('node:child_process');

// The young generation `rampart spoa` gives its workers (packages/spoa/src/worker-pool.ts). With V8's default,
// growing one, some runs promote each large transaction's records and fall into frequent mark-compacts, and the
// figures swing between runs. RAMPART_BENCH_DEFAULT_HEAP=1 measures with V8's default instead.
const HEAP_FLAGS = ['--min-semi-space-size=32', '--max-semi-space-size=32'];
if (!process.env.RAMPART_BENCH_DEFAULT_HEAP && !HEAP_FLAGS.every((f) => process.execArgv.includes(f))) {
  const run = spawnSync(process.execPath, [...process.execArgv, ...HEAP_FLAGS, __filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
const { createWaf } = require('../dist/index.js');

const shared = path.resolve(__dirname, '../../../../shared');
const crs = path.join(shared, 'crs4');
const benchDir = path.join(shared, 'bench');

function recommendedConfig() {
  const text = fs.readFileSync(path.join(shared, 'modsecurity/modsecurity.conf-recommended'), 'latin1');
  return text.replace(/^SecRuleEngine\s+DetectionOnly/m, 'SecRuleEngine On');
}

function loadWaf() {
  const directives = [
    recommendedConfig(),
    `Include ${path.join(crs, 'crs-setup.conf.example')}`,
    `Include ${path.join(crs, 'rules/*.conf')}`,
  ].join('\n');
  return createWaf({ directives, baseDir: path.join(shared, 'modsecurity'), onWarning: () => undefined });
}

function runRequest(waf, scenario, headers, body) {
  const tx = waf.newTransaction();
  tx.processConnection('127.0.0.1', 50000, '127.0.0.1', 80);
  tx.processUri(scenario.uri, scenario.method, 'HTTP/1.1');
  for (const [k, v] of headers) tx.addRequestHeader(k, v);
  let it = tx.processRequestHeaders();
  if (!it && body) tx.appendRequestBody(body);
  if (!it) it = tx.processRequestBody();
  if (!it) {
    tx.addResponseHeader('Content-Type', 'text/html');
    tx.addResponseHeader('Content-Length', '0');
    it = tx.processResponseHeaders(200, 'HTTP/1.1');
  }
  if (!it) it = tx.processResponseBody();
  tx.processLogging();
  return { it, tx };
}

const t0 = performance.now();
const waf = loadWaf();
const loadMs = performance.now() - t0;
const t1 = performance.now();
loadWaf();
const warmLoadMs = performance.now() - t1;
console.log(`CRS 4.28.0 PL1 load+compile: ${loadMs.toFixed(0)} ms (cold), ${warmLoadMs.toFixed(0)} ms (second load); ${waf.ruleCount} rules`);
console.log(`node ${process.version}, V8 flags: ${process.execArgv.filter((a) => a.includes('semi-space')).join(' ') || 'default heap'}`);

const spec = JSON.parse(fs.readFileSync(path.join(benchDir, 'requests.json'), 'utf8'));
const reference = { get: 2.3, 'form-2k': 6, 'json-10k-570-values': 125, 'json-10k-12-values': 11 };
for (const scenario of spec.scenarios) {
  const body = scenario.bodyFile ? fs.readFileSync(path.join(benchDir, scenario.bodyFile), 'latin1') : undefined;
  const headers = Object.entries(spec.headers);
  if (scenario.contentType) headers.push(['Content-Type', scenario.contentType]);
  if (body !== undefined) headers.push(['Content-Length', String(body.length)]);
  const first = runRequest(waf, scenario, headers, body);
  const matched = first.tx.matchedRules.filter((r) => r.logged).map((r) => r.id);
  // Warm up, then measure for ~2 s.
  for (let i = 0; i < 50; i++) runRequest(waf, scenario, headers, body);
  let n = 0;
  const times = [];
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  while (performance.now() - start < 2000) {
    const t = performance.now();
    runRequest(waf, scenario, headers, body);
    times.push(performance.now() - t);
    n++;
  }
  times.sort((a, b) => a - b);
  const pct = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2);
  const wall = (performance.now() - start) / n;
  const cpu = process.cpuUsage(cpuStart);
  // CPU time per request is what one core spends; wall time also counts other processes on a shared machine.
  const perRequest = (cpu.user + cpu.system) / 1000 / n;
  const ref = reference[scenario.name];
  console.log(
    `${scenario.name.padEnd(22)} ${perRequest.toFixed(3).padStart(8)} ms CPU/request (${wall.toFixed(3)} ms wall)  ${(1000 / perRequest).toFixed(0).padStart(6)} req/s per core` +
      (ref ? `  (ModSecurity 3.0.9: ~${ref} ms, ${(ref / perRequest).toFixed(1)}x)` : '') +
      `  latency p50 ${pct(0.5)} / p99 ${pct(0.99)} ms` +
      `  interrupted: ${first.it ? first.it.ruleId : 'no'}; logged rules: ${matched.join(',') || 'none'}`,
  );
}
