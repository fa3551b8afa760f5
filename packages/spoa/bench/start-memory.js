#!/usr/bin/env node
'use strict';
/**
 * pnpm bench (in packages/spoa): start time and memory of `rampart spoa` with CRS 4.28.0 PL1, for -n 1, 2 and 4,
 * without a cache directory, with an empty one (the first start, which writes the compile memo) and with the
 * memo written by an earlier start. For each: spawn to ready (wall), CPU of the whole process until ready, RSS
 * once ready, and RSS after traffic (the four bench requests through HAProxy with wrk, 4 connections,
 * BENCH_TRAFFIC seconds each; lazily compiled patterns and the heaps grow then).
 *
 * Environment: BENCH_ROUNDS (default 3), BENCH_TRAFFIC (seconds of wrk per scenario, default 2),
 * BENCH_WORKERS (comma list, default 1,2,4), BENCH_MODES (comma list of none,cold,warm; default all),
 * HAPROXY (binary, default haproxy on PATH). Needs `pnpm build`, haproxy and wrk.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { scenarios: allScenarios, writeBenchFiles } = require('../../../tools/bench/scenarios.js');
const { range, table } = require('../../../tools/bench/stats.js');
const { available: wrkAvailable, runWrk, writeWrkScripts } = require('../../../tools/bench/wrk.js');
const { freePort, portOpen, waitFor, installed, Processes, memoryMb } = require('../../../tools/bench/processes.js');
const { haproxyConfig, BACKEND, CLI } = require('./end-to-end.js');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TRAFFIC = Number(process.env.BENCH_TRAFFIC ?? 2);
const WORKERS = (process.env.BENCH_WORKERS ?? '1,2,4').split(',').map(Number);
const MODES = (process.env.BENCH_MODES ?? 'none,cold,warm').split(',');
const HAPROXY = process.env.HAPROXY ?? 'haproxy';
const TICK = os.constants.signals ? Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100) : 100;

/** User + system CPU seconds of a process (all its threads), from /proc. */
function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK;
}

async function main() {
  const missing = [];
  if (!installed(HAPROXY)) missing.push(`${HAPROXY} (apt-get install -y haproxy)`);
  if (!wrkAvailable()) missing.push('wrk (apt-get install -y wrk)');
  if (!fs.existsSync(path.resolve(__dirname, '../../cli/dist/cli.js'))) missing.push('the built packages (pnpm build)');
  if (missing.length > 0) {
    console.log(`# start and memory benchmark skipped: needs ${missing.join(', ')}`);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-start-'));
  const procs = new Processes();
  const results = new Map();
  try {
    const { config } = writeBenchFiles(dir);
    const scenarios = allScenarios();
    const scripts = writeWrkScripts(dir, scenarios);
    const backendPort = await freePort();
    procs.start('backend', process.execPath, ['-e', BACKEND, String(backendPort)]);
    console.log(`# rampart spoa start and memory: CRS 4.28.0 PL1, node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} at the start`);
    for (let round = 0; round < ROUNDS; round++) {
      for (const n of round % 2 === 0 ? WORKERS : [...WORKERS].reverse()) {
        const cacheDir = path.join(dir, `cache-${round}-${n}`);
        for (const mode of MODES) {
          if (mode === 'cold') fs.rmSync(cacheDir, { recursive: true, force: true });
          const agentPort = await freePort();
          const port = await freePort();
          const args = [CLI, 'spoa', '-f', config, '-p', String(agentPort), '-n', String(n), '--deadline', '1000', '--error-log', '/dev/null', ...(mode === 'none' ? [] : ['--cache-dir', cacheDir])];
          const t0 = performance.now();
          const agent = procs.start(`rampart spoa -n ${n} (${mode})`, process.execPath, args, { stdout: 'pipe' });
          await waitFor(() => agent.output.includes('"msg":"ready:') || agent.exitCode !== null, 300_000, `${agent.benchName} to load`);
          if (agent.exitCode !== null) throw new Error(`${agent.benchName} exited: ${agent.output}`);
          const r = { startS: (performance.now() - t0) / 1000, cpuS: cpuSeconds(agent.pid), idle: memoryMb(agent.pid).rss };
          const haproxy = procs.start('haproxy', HAPROXY, ['-db', '-f', haproxyConfig(dir, `haproxy-${n}.cfg`, backendPort, [{ name: 'waf', port, agentPort }], '1s')]);
          await waitFor(() => portOpen(port), 20_000, 'haproxy');
          let errors = 0;
          for (const s of scenarios) errors += (await runWrk({ port, scriptFile: scripts.get(s.name), seconds: TRAFFIC, connections: 4 })).errors;
          const after = memoryMb(agent.pid);
          Object.assign(r, { after: after.rss, peak: after.peak, errors });
          await procs.stop(haproxy);
          await procs.stop(agent);
          const k = `${n}/${mode}`;
          results.set(k, [...(results.get(k) ?? []), r]);
        }
      }
    }
    const labels = { none: 'no cache directory', cold: '--cache-dir, first start (writes the memo)', warm: '--cache-dir, memo written by an earlier start' };
    console.log(`\n## Start and memory (${ROUNDS} rounds; traffic: 4 scenarios × ${TRAFFIC} s, 4 connections; load average now ${os.loadavg()[0].toFixed(1)})\n`);
    const rows = [['agent', 'start to ready, s', 'CPU until ready, s', 'RSS ready, MB', 'RSS after traffic, MB', 'peak RSS, MB', 'errors']];
    for (const mode of MODES) {
      for (const n of WORKERS) {
        const rs = results.get(`${n}/${mode}`) ?? [];
        rows.push([`-n ${n}, ${labels[mode]}`, range(rs.map((r) => r.startS), 2), range(rs.map((r) => r.cpuS), 2), range(rs.map((r) => r.idle), 0), range(rs.map((r) => r.after), 0), range(rs.map((r) => r.peak), 0), String(rs.reduce((a, r) => a + r.errors, 0))]);
      }
    }
    table(rows, [1, 2, 3, 4, 5, 6]);
  } finally {
    await procs.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
