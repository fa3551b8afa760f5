#!/usr/bin/env node
'use strict';
/**
 * One cold-process run of Rampart for the side-by-side benchmark (crs-requests.js): loads CONFIG with
 * createWaf, then repeats each transaction of TRANSACTIONS.json (tools/modsec-harness's description format)
 * for at least SECONDS of CPU time (0: none, the load only), and prints one JSON object shaped as
 * `modsec-harness --bench` prints it. With MEMO_FILE, the load reads that compile memo first (its reading is
 * part of the load time), as `rampart spoa --cache-dir` does, and writes it afterwards when it built anything.
 *
 *   node rampart-run.js SECONDS CONFIG TRANSACTIONS.json [MEMO_FILE]
 */
const startWall = performance.now();
const startCpu = process.cpuUsage();
const fs = require('node:fs');
const { createWaf, readCompileMemo, writeCompileMemo } = require('../dist/index.js');

const cpuNs = (since) => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) * 1000;
};
const rssKb = () => Math.round(process.memoryUsage().rss / 1024);

function bytes(part) {
  if (part?.body !== undefined) return Buffer.from(part.body, 'utf8').toString('latin1');
  if (part?.body_base64 !== undefined) return Buffer.from(part.body_base64, 'base64').toString('latin1');
  return '';
}

/** As tools/modsec-harness's execute(): every phase, stopping at an interruption, then logging. */
function execute(waf, p) {
  const t0 = process.hrtime.bigint();
  const tx = waf.newTransaction({ id: p.id });
  tx.processConnection('127.0.0.1', 50000, '127.0.0.1', 80);
  tx.processUri(p.uri, p.method, p.version);
  for (const [k, v] of p.reqHeaders) tx.addRequestHeader(k, v);
  let it = tx.processRequestHeaders();
  if (!it) {
    if (p.reqBody.length > 0) tx.appendRequestBody(p.reqBody);
    it = tx.processRequestBody();
  }
  if (!it && p.res) {
    for (const [k, v] of p.res.headers ?? []) tx.addResponseHeader(k, v);
    it = tx.processResponseHeaders(p.res.status ?? 200, p.res.protocol ?? 'HTTP/1.1');
    if (!it) {
      if (p.resBody.length > 0) tx.appendResponseBody(p.resBody);
      it = tx.processResponseBody();
    }
  }
  tx.processLogging();
  const elapsed = Number(process.hrtime.bigint() - t0);
  return { status: it?.status ?? p.res?.status ?? 200, logged: tx.matchedRules.filter((m) => m.logged).length, elapsed };
}

function main() {
  const [seconds, config, transactions, memoFile] = process.argv.slice(2);
  const budgetNs = Number(seconds) * 1e9;
  const described = JSON.parse(fs.readFileSync(transactions, 'utf8'));
  const requiredWall = performance.now() - startWall;
  const requiredCpu = cpuNs(startCpu);

  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  const memo = memoFile ? readCompileMemo(memoFile) : undefined;
  const waf = createWaf({ files: [config], onWarning: () => undefined, ...(memo ? { compileMemo: memo.memo } : {}) });
  const out = {
    engine: `Rampart (node ${process.version})`,
    load_wall_ns: Math.round((performance.now() - wall0) * 1e6),
    load_cpu_ns: cpuNs(cpu0),
    startup_wall_ns: Math.round(requiredWall * 1e6),
    startup_cpu_ns: requiredCpu,
    rss_after_load_kb: rssKb(),
    ...(memo ? { memo: memo.problem ?? `used (${memo.memo.size} entries)` } : {}),
    transactions: [],
  };
  if (memo && memo.memo.built > 0) writeCompileMemo(memoFile, memo.memo);
  for (const [i, d] of (budgetNs > 0 ? described : []).entries()) {
    const req = d.request ?? {};
    const p = {
      id: d.id ?? `tx-${i + 1}`,
      uri: req.uri ?? '/',
      method: req.method ?? 'GET',
      version: req.version ?? '1.1',
      reqHeaders: req.headers ?? [],
      reqBody: bytes(req),
      res: d.response,
      resBody: bytes(d.response),
    };
    // Warm-up (the JIT compiles the hot paths), also the verdict shown; the harness warms up the same way.
    const first = execute(waf, p);
    const warm = process.cpuUsage();
    while (cpuNs(warm) < budgetNs / 5) execute(waf, p);
    const walls = [];
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    while (walls.length < 3 || cpuNs(c0) < budgetNs) walls.push(execute(waf, p).elapsed);
    const cpu = cpuNs(c0);
    const wall = (performance.now() - w0) * 1e6;
    walls.sort((a, b) => a - b);
    const n = walls.length;
    out.transactions.push({
      id: p.id,
      status: first.status,
      logged: first.logged,
      runs: n,
      cpu_ns_per_run: Math.round(cpu / n),
      wall_ns_per_run: Math.round(wall / n),
      wall_p50_ns: walls[Math.floor(n / 2)],
      wall_p99_ns: walls[Math.min(n - 1, Math.floor((n * 99) / 100))],
    });
  }
  out.max_rss_kb = process.resourceUsage().maxRSS;
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main();
