#!/usr/bin/env node
// Times parsing every CRS file (crs-setup.conf.example + rules/*.conf) with the built package (dist/):
//   cold = a fresh Node process: loading the package (lexer and parser construction) plus the first parse;
//   warm = the same parse repeated in one process after warm-up (median and best of N).
// Usage: pnpm bench  (after pnpm build)   [CRS_DIR=/path/to/crs4] [RUNS=30]
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const crsDir = process.env.CRS_DIR ?? path.resolve(__dirname, '../../../../shared/crs4');
if (!fs.existsSync(path.join(__dirname, '../dist/index.js'))) {
  console.error('bench: dist/ is missing; run `pnpm build` in packages/seclang first');
  process.exit(2);
}

function crsFiles() {
  const rules = path.join(crsDir, 'rules');
  return [
    path.join(crsDir, 'crs-setup.conf.example'),
    ...fs.readdirSync(rules).filter((f) => f.endsWith('.conf')).sort().map((f) => path.join(rules, f)),
  ];
}

if (process.argv[2] === '--cold') {
  const t0 = process.hrtime.bigint();
  const { parseFiles } = require('../dist');
  const t1 = process.hrtime.bigint();
  const r = parseFiles(crsFiles());
  const t2 = process.hrtime.bigint();
  process.stdout.write(JSON.stringify({ load: Number(t1 - t0) / 1e6, parse: Number(t2 - t1) / 1e6, directives: r.ast.directives.length, errors: r.diagnostics.length }));
  process.exit(0);
}

const colds = [];
for (let i = 0; i < 5; i++) colds.push(JSON.parse(execFileSync(process.execPath, [__filename, '--cold'], { encoding: 'utf8' })));
const { parse } = require('../dist');
const texts = crsFiles().map((f) => ({ file: f, text: fs.readFileSync(f, 'latin1') }));
const bytes = texts.reduce((n, t) => n + t.text.length, 0);
const runs = Number(process.env.RUNS ?? 30);
const parseAll = () => texts.map((t) => parse(t.text, { file: t.file }));
for (let i = 0; i < 5; i++) parseAll();
const warm = [];
const warmCpu = [];
for (let i = 0; i < runs; i++) {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  parseAll();
  const c = process.cpuUsage(c0);
  warm.push(Number(process.hrtime.bigint() - t0) / 1e6);
  // CPU time is less disturbed than wall time on a shared machine (it includes GC threads' time, though).
  warmCpu.push((c.user + c.system) / 1e3);
}
warm.sort((a, b) => a - b);
warmCpu.sort((a, b) => a - b);
const med = (xs) => xs[Math.floor(xs.length / 2)];
const fmt = (x) => `${x.toFixed(1)} ms`;
console.log(`CRS: ${texts.length} files, ${(bytes / 1024).toFixed(0)} KiB, ${colds[0].directives} top-level directives, ${colds[0].errors} diagnostics`);
console.log(`cold (new process, median of ${colds.length}): load ${fmt(med(colds.map((c) => c.load).sort((a, b) => a - b)))} + first parse ${fmt(med(colds.map((c) => c.parse).sort((a, b) => a - b)))}`);
console.log(`warm (in memory, ${runs} runs): wall median ${fmt(med(warm))}, best ${fmt(warm[0])}; CPU median ${fmt(med(warmCpu))}`);
