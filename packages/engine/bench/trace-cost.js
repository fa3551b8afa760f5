#!/usr/bin/env node
'use strict';
/**
 * What the evaluation trace costs (src/trace/): the bench transactions of ../shared/bench through CRS 4.28.0 PL1
 * (tools/bench/scenarios.js), CPU time per transaction, with
 *
 *   no SecDebugLog         the production case: the evaluator asks traceOf() once per rule, nothing else
 *   SecDebugLogLevel 3     a debug log below the trace's levels: the same, plus reading the level
 *   SecDebugLogLevel 4     rules, results and actions traced to the debug log (/dev/null)
 *   SecDebugLogLevel 9     every value and transformation traced to the debug log (/dev/null)
 *   TraceRecorder          a sink that keeps every event (rampart explain)
 *
 * and, with BASE_DIST=<an engine dist/ built without the trace>, that engine without SecDebugLog, so that the
 * first row can be compared with the engine before the trace existed. Each variant runs in a cold process per
 * round, in an order that rotates; figures are ranges over the rounds. Figures only, no assertion.
 *
 * Environment: BENCH_ROUNDS (default 3), BENCH_SECONDS (CPU seconds per scenario and process, default 1),
 * BENCH_ONLY (modes to run: none, level3, level4, level9, recorder), BENCH_DIST (the engine measured, default ../dist).
 *   node bench/trace-cost.js
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const cpuNs = (since) => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) * 1000;
};

function bytes(part) {
  if (part?.body !== undefined) return Buffer.from(part.body, 'utf8').toString('latin1');
  if (part?.body_base64 !== undefined) return Buffer.from(part.body_base64, 'base64').toString('latin1');
  return '';
}

/** One cold process: loads the engine at DIST, runs every transaction for SECONDS of CPU, prints JSON. */
function child([dist, config, transactions, seconds, mode]) {
  const engine = require(path.resolve(dist, 'index.js'));
  const level = { level3: 3, level4: 4, level9: 9 }[mode];
  const directives = level !== undefined ? `SecDebugLog /dev/null\nSecDebugLogLevel ${level}\n` : '';
  const waf = engine.createWaf({ files: [config], directives, onWarning: () => undefined });
  const budget = Number(seconds) * 1e9;
  const out = {};
  for (const [i, d] of JSON.parse(fs.readFileSync(transactions, 'utf8')).entries()) {
    const req = d.request ?? {};
    const res = d.response;
    const run = () => {
      const trace = mode === 'recorder' ? new engine.TraceRecorder() : undefined;
      const tx = waf.newTransaction({ id: `t${i}`, ...(trace ? { trace } : {}) });
      tx.processConnection('127.0.0.1', 50000, '127.0.0.1', 80);
      tx.processUri(req.uri ?? '/', req.method ?? 'GET', req.version ?? '1.1');
      for (const [k, v] of req.headers ?? []) tx.addRequestHeader(k, v);
      let it = tx.processRequestHeaders();
      const body = bytes(req);
      if (!it) {
        if (body.length > 0) tx.appendRequestBody(body);
        it = tx.processRequestBody();
      }
      if (!it && res) {
        for (const [k, v] of res.headers ?? []) tx.addResponseHeader(k, v);
        it = tx.processResponseHeaders(res.status ?? 200, res.protocol ?? 'HTTP/1.1');
        const rb = bytes(res);
        if (!it) {
          if (rb.length > 0) tx.appendResponseBody(rb);
          tx.processResponseBody();
        }
      }
      tx.processLogging();
    };
    const warm = process.cpuUsage();
    while (cpuNs(warm) < budget / 5) run();
    let n = 0;
    const c0 = process.cpuUsage();
    while (n < 3 || cpuNs(c0) < budget) {
      run();
      n++;
    }
    out[d.id ?? `tx-${i + 1}`] = cpuNs(c0) / n;
  }
  waf.close();
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function main() {
  const { writeBenchFiles } = require('../../../tools/bench/scenarios.js');
  const { range, median, table } = require('../../../tools/bench/stats.js');
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const seconds = process.env.BENCH_SECONDS ?? '1';
  const dist = process.env.BENCH_DIST ?? path.join(__dirname, '..', 'dist');
  const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : undefined;
  const all = [
    ...(process.env.BASE_DIST ? [{ name: 'engine before the trace, no SecDebugLog', dist: process.env.BASE_DIST, mode: 'none' }] : []),
    { name: 'no SecDebugLog', dist, mode: 'none' },
    { name: 'SecDebugLogLevel 3', dist, mode: 'level3' },
    { name: 'SecDebugLogLevel 4 (/dev/null)', dist, mode: 'level4' },
    { name: 'SecDebugLogLevel 9 (/dev/null)', dist, mode: 'level9' },
    { name: 'TraceRecorder (every event kept)', dist, mode: 'recorder' },
  ];
  // BENCH_ONLY=none,level3: only those modes (the engine before the trace runs with `none`).
  const variants = only ? all.filter((v) => only.includes(v.mode)) : all;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-trace-bench-'));
  try {
    const files = writeBenchFiles(dir);
    const results = variants.map(() => []);
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < variants.length; k++) {
        const v = (k + r) % variants.length;
        const p = spawnSync(process.execPath, [__filename, '--child', variants[v].dist, files.config, files.transactions, seconds, variants[v].mode], { encoding: 'utf8', maxBuffer: 1 << 20 });
        if (p.status !== 0) throw new Error(`${variants[v].name}: ${p.stderr}`);
        results[v].push(JSON.parse(p.stdout.trim().split('\n').pop()));
      }
    }
    const ids = Object.keys(results[0][0]);
    const base = results[process.env.BASE_DIST ? 1 : 0];
    console.log(`# CPU µs per transaction, CRS 4.28.0 PL1, ${rounds} rounds (range over rounds); ratio to "no SecDebugLog" within each round; load average ${os.loadavg()[0].toFixed(1)}`);
    const rows = [['variant', ...ids.flatMap((id) => [id, 'ratio'])]];
    variants.forEach((v, i) => {
      rows.push([
        v.name,
        ...ids.flatMap((id) => {
          const us = results[i].map((x) => x[id] / 1000);
          const ratios = results[i].map((x, round) => x[id] / base[round][id]);
          return [`${median(us).toFixed(0)} (${range(us, 0)})`, range(ratios, 3)];
        }),
      ]);
    });
    table(rows, rows[0].map((_, i) => i).filter((i) => i > 0));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') child(process.argv.slice(3));
else main();
