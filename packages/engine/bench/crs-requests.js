#!/usr/bin/env node
'use strict';
/**
 * pnpm bench (in packages/engine): Rampart and libmodsecurity v3 side by side, in-process, in one run.
 *
 * Both engines load the same file — modsecurity.conf-recommended with SecRuleEngine On, then CRS 4.28.0 at
 * paranoia level 1 — and run the same four transactions of ../shared/bench (tools/bench/scenarios.js):
 * libmodsecurity through its C API (tools/modsec-harness --bench), Rampart through createWaf
 * (bench/rampart-run.js). Each round starts one cold process per engine, alternating, and each process reports
 * its rules load + compile time, its RSS, and the CPU time per transaction over at least BENCH_SECONDS of CPU
 * per scenario. Ratios are taken within a round, then shown as ranges over the rounds. Rampart runs twice per
 * round: as a library embedding it does by default (no compile memo: every load builds everything), and with a
 * compile memo file written by an earlier process, as `rampart spoa --cache-dir` starts.
 *
 * Environment: BENCH_ROUNDS (default 3), BENCH_SECONDS (CPU seconds per scenario and process, default 2),
 * BENCH_NODE_FLAGS (extra V8 flags for Rampart's process, e.g. "--max-semi-space-size=32").
 * Without libmodsecurity (apt-get install libmodsecurity-dev libyajl-dev gcc) it says so and measures Rampart alone.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { writeBenchFiles } = require('../../../tools/bench/scenarios.js');
const { range, median, table } = require('../../../tools/bench/stats.js');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
const REPO = path.resolve(__dirname, '../../..');

function buildHarness() {
  const r = spawnSync('bash', [path.join(REPO, 'tools/modsec-harness/build.sh')], { encoding: 'utf8' });
  if (r.status !== 0) return { reason: (r.stderr || r.stdout || `build.sh exited with ${r.status}`).trim() };
  return { bin: r.stdout.trim() };
}

function runJson(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const ms = (ns) => ns / 1e6;
const mb = (kb) => kb / 1024;

function main() {
  if (!fs.existsSync(path.join(__dirname, '../dist/index.js'))) {
    process.stderr.write('bench: build first (pnpm build)\n');
    process.exit(2);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-'));
  try {
    const files = writeBenchFiles(dir);
    const harness = buildHarness();
    if (!harness.bin) console.log(`# libmodsecurity is not measured: ${harness.reason}\n# (apt-get install -y libmodsecurity-dev libyajl-dev gcc; scripts/bootstrap.sh installs them)`);
    const runs = { modsec: [], rampart: [], memo: [] };
    const memoFile = path.join(dir, 'compile-memo.bin');
    const rampart = (memo) => runJson(process.execPath, [...NODE_FLAGS, path.join(__dirname, 'rampart-run.js'), String(SECONDS), files.config, files.transactions, ...(memo ? [memoFile] : [])]);
    // The memo file the "with a memo" runs start from (a first start writes it).
    runJson(process.execPath, [path.join(__dirname, 'rampart-run.js'), '0', files.config, files.transactions, memoFile]);
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which engine goes first, so that neither always runs on a warmer (or busier) machine.
      const order = round % 2 === 0 ? ['modsec', 'rampart', 'memo'] : ['memo', 'rampart', 'modsec'];
      for (const engine of order) {
        if (engine === 'modsec' && harness.bin) runs.modsec.push(runJson(harness.bin, ['--bench', String(SECONDS), files.config, files.transactions]));
        if (engine === 'rampart') runs.rampart.push(rampart(false));
        if (engine === 'memo') runs.memo.push(rampart(true));
      }
    }
    report(runs);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function report({ modsec, rampart, memo }) {
  const both = modsec.length > 0;
  const [load] = os.loadavg();
  console.log(
    `# In-process, CRS 4.28.0 PL1 (modsecurity.conf-recommended, SecRuleEngine On): ${both ? `${modsec[0].engine} vs ` : ''}${rampart[0].engine}` +
      `${NODE_FLAGS.length ? ` ${NODE_FLAGS.join(' ')}` : ''}; ${rampart.length} alternating rounds of cold processes, >= ${SECONDS} s CPU per scenario; ` +
      `${os.cpus().length} CPUs, load average ${load.toFixed(1)}`,
  );
  const rows = [['scenario', ...(both ? ['libmodsecurity CPU ms/request'] : []), 'Rampart CPU ms/request', ...(both ? ['ratio (per round)', 'median ratio'] : []), 'Rampart wall p50 / p99 ms', 'verdicts']];
  for (const [i, t] of rampart[0].transactions.entries()) {
    const r = rampart.map((run) => ms(run.transactions[i].cpu_ns_per_run));
    const m = modsec.map((run) => ms(run.transactions[i].cpu_ns_per_run));
    const ratios = m.map((v, k) => v / r[k]);
    const verdicts = `Rampart ${t.status}${t.logged ? ` (${t.logged} logged)` : ''}${both ? `, libmodsecurity ${modsec[0].transactions[i].status}${modsec[0].transactions[i].logged ? ` (${modsec[0].transactions[i].logged} logged)` : ''}` : ''}`;
    const p50 = rampart.map((run) => ms(run.transactions[i].wall_p50_ns));
    const p99 = rampart.map((run) => ms(run.transactions[i].wall_p99_ns));
    rows.push([t.id, ...(both ? [range(m, 2)] : []), range(r, 3), ...(both ? [`${range(ratios, 1)}×`, `${median(ratios).toFixed(1)}×`] : []), `${range(p50, 3)} / ${range(p99, 2)}`, verdicts]);
  }
  const loadRow = (label, key, from = rampart) => {
    const r = from.map((run) => ms(run[key]));
    const m = modsec.map((run) => ms(run[key]));
    const ratios = r.map((v, k) => v / m[k]);
    return [label, ...(both ? [range(m, 0)] : []), range(r, 0), ...(both ? [`${range(ratios, 2)}× the time`, `${median(ratios).toFixed(2)}×`] : []), '', ''];
  };
  rows.push(loadRow('rules load + compile, CPU ms (cold process, no memo)', 'load_cpu_ns'));
  rows.push(loadRow('rules load + compile, wall ms (cold process, no memo)', 'load_wall_ns'));
  rows.push(loadRow('rules load + compile, CPU ms (cold process, memo file)', 'load_cpu_ns', memo));
  rows.push(loadRow('rules load + compile, wall ms (cold process, memo file)', 'load_wall_ns', memo));
  rows.push(['Node start + require of the engine, wall / CPU ms (before the load)', ...(both ? ['-'] : []), `${range(rampart.map((x) => ms(x.startup_wall_ns)), 0)} / ${range(rampart.map((x) => ms(x.startup_cpu_ns)), 0)}`, ...(both ? ['', ''] : []), '', '']);
  const memRow = (label, key, from = rampart) => {
    const r = from.map((run) => mb(run[key]));
    const m = modsec.map((run) => mb(run[key]));
    return [label, ...(both ? [range(m, 1)] : []), range(r, 1), ...(both ? [`${range(r.map((v, k) => v / m[k]), 2)}× the memory`, ''] : []), '', ''];
  };
  rows.push(memRow('RSS after the load, MB (no memo)', 'rss_after_load_kb'));
  rows.push(memRow('RSS after the load, MB (memo file)', 'rss_after_load_kb', memo));
  rows.push(memRow('peak RSS of the process, MB (no memo)', 'max_rss_kb'));
  rows.push(memRow('peak RSS of the process, MB (memo file)', 'max_rss_kb', memo));
  table(rows, [1, 2, 3, 4]);
}

main();
