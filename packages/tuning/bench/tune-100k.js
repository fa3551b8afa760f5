#!/usr/bin/env node
'use strict';
// `pnpm --filter @rampart/tuning bench`: rampart tune on a generated 100,000-transaction audit log.
//
// 1. 2,000 requests of the generated site (bench/scenario.js: a PL2 site whose benign traffic trips CRS, with
//    attacks from three clients) run through CRS 4 at paranoia level 2 with SecAuditEngine On (every transaction
//    logged, Native v3 layout, parts ABCFHZ).
// 2. Their records are copied, with new unique ids, boundaries and benign client addresses, into a log of
//    100,000 transactions (and a gzip copy of it).
// 3. `rampart tune --progress` runs on each, three times, in its own process; the wall time of each run is
//    printed. The exclusions of the last run are loaded before CRS and the 2,000 requests replayed: every
//    benign one must pass and every attack stay blocked.
//
// Environment: RAMPART_TUNE_BENCH_TRANSACTIONS (default 100000), RAMPART_TUNE_BENCH_RUNS (default 3).
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { spawnSync } = require('node:child_process');
const { createWaf } = require('@rampart/engine');
const { locateCrs } = require('@rampart/rules-crs4');
const { buildDirectives } = require('@rampart/waf');
const { scenario } = require('./scenario');

const ROOT = path.resolve(__dirname, '..');
const WORK = path.join(ROOT, '.rampart', 'bench');
const CLI = path.resolve(ROOT, '..', 'cli', 'bin', 'rampart.js');
const TOTAL = Number(process.env.RAMPART_TUNE_BENCH_TRANSACTIONS ?? 100000);
const RUNS = Number(process.env.RAMPART_TUNE_BENCH_RUNS ?? 3);
const BASE = 2000;

function run(waf, r) {
  const tx = waf.newTransaction();
  tx.processConnection(r.connection.clientIp, r.connection.clientPort, r.connection.serverIp, r.connection.serverPort);
  tx.processUri(r.target, r.method, r.protocol);
  for (const [n, v] of r.headers) tx.addRequestHeader(n, v);
  let it = tx.processRequestHeaders();
  if (!it) {
    if (r.body.length > 0) tx.appendRequestBody(r.body);
    it = tx.processRequestBody();
  }
  tx.processLogging();
  return it;
}

function crsWaf(crs, extra) {
  const text = buildDirectives({ crs: { paranoia: 2 }, mode: 'block', ...(extra.before ? { before: extra.before } : {}) }, crs);
  return createWaf({ directives: `${text}\n${extra.audit ?? ''}\n`, baseDir: crs.dir, onWarning: () => undefined });
}

/** The base log: BASE requests through CRS, every transaction logged. */
function baseLog(crs, traffic) {
  const file = path.join(WORK, `base-${BASE}.log`);
  if (fs.existsSync(file)) return file;
  const audit = ['SecAuditEngine On', 'SecAuditLogParts ABCFHZ', 'SecAuditLogType Serial', 'SecAuditLogFormat Native', `SecAuditLog ${file}.tmp`].join('\n');
  fs.rmSync(`${file}.tmp`, { force: true });
  const waf = crsWaf(crs, { audit });
  for (const s of traffic) run(waf, s.request);
  waf.close();
  fs.renameSync(`${file}.tmp`, file);
  return file;
}

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const boundary = (n) => Array.from({ length: 8 }, (_, i) => ALNUM[Math.floor(n / 62 ** i) % 62]).join('');

/** TOTAL records made from the base log's: new ids and boundaries, benign clients spread over more addresses. */
function bigLog(base) {
  const file = path.join(WORK, `audit-${TOTAL}.log`);
  if (fs.existsSync(file) && fs.existsSync(`${file}.gz`)) return file;
  const text = fs.readFileSync(base, 'latin1');
  const records = [];
  const start = /^---([0-9A-Za-z]{8})---A--\n\[[^\]]*\] (\S+) /gm;
  for (let m = start.exec(text); m; m = start.exec(text)) {
    const end = text.indexOf(`\n---${m[1]}---Z--\n`, m.index) + `\n---${m[1]}---Z--\n\n`.length;
    records.push({ text: text.slice(m.index, end), boundary: m[1], id: m[2] });
  }
  const out = fs.openSync(`${file}.tmp`, 'w');
  for (let i = 0; i < TOTAL; i++) {
    const r = records[i % records.length];
    const copy = Math.floor(i / records.length);
    const id = `bench-${i.toString(36)}-${r.id.slice(0, 8)}`;
    let t = r.text.split(r.boundary).join(boundary(i + 1000003)).split(r.id).join(id);
    // Benign clients (10.1.x.y) of copy k become 10.(1+k%60).x.y: more clients, as a longer log has.
    if (copy > 0) t = t.replace(/ 10\.1\.(\d+)\.(\d+) /, (_, a, b) => ` 10.${1 + (copy % 60)}.${a}.${b} `);
    fs.writeSync(out, t, null, 'latin1');
  }
  fs.closeSync(out);
  fs.renameSync(`${file}.tmp`, file);
  fs.writeFileSync(`${file}.gz`, zlib.gzipSync(fs.readFileSync(file)));
  return file;
}

function tune(log, outFile) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, 'tune', '--progress', log, '-o', outFile], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`rampart tune failed (${r.status}): ${r.stderr}`);
  return { seconds, stderr: r.stderr };
}

function main() {
  fs.mkdirSync(WORK, { recursive: true });
  const crs = locateCrs({ cwd: ROOT });
  const traffic = [...scenario(BASE, 42)];
  const t0 = Date.now();
  const base = baseLog(crs, traffic);
  const log = bigLog(base);
  const mb = (f) => (fs.statSync(f).size / 1024 / 1024).toFixed(1);
  console.log(`log: ${TOTAL.toLocaleString('en-US')} transactions, ${mb(log)} MB (${mb(`${log}.gz`)} MB gzip), made in ${((Date.now() - t0) / 1000).toFixed(1)} s (cached in ${path.relative(process.cwd(), WORK)})`);
  const outFile = path.join(WORK, 'exclusions.conf');
  for (const [name, file] of [['plain', log], ['gzip', `${log}.gz`]]) {
    const times = [];
    let last;
    for (let i = 0; i < RUNS; i++) {
      last = tune(file, outFile);
      times.push(last.seconds);
    }
    const summary = last.stderr.split(/\r|\n/).filter((l) => l.startsWith('rampart tune:') || l.startsWith('  blocked:') || l.startsWith('  CRS model:'));
    console.log(`rampart tune (${name}): ${times.map((t) => `${t.toFixed(1)} s`).join(', ')} (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)}); progress bar drawn: ${/\[=+/.test(last.stderr) ? 'yes' : 'no'}`);
    for (const l of summary) console.log(`  ${l.trim()}`);
  }
  const waf = crsWaf(crs, { before: fs.readFileSync(outFile, 'utf8') });
  let benignBlocked = 0;
  let attacksPassed = 0;
  for (const s of traffic) {
    const it = run(waf, s.request);
    if (s.kind === 'benign' && it) benignBlocked++;
    if (s.kind === 'attack' && !it) attacksPassed++;
  }
  const attacks = traffic.filter((s) => s.kind === 'attack').length;
  console.log(`the exclusions, loaded before CRS: ${benignBlocked} of ${BASE - attacks} benign requests blocked, ${attacksPassed} of ${attacks} attacks let through`);
  process.exitCode = benignBlocked === 0 && attacksPassed === 0 ? 0 : 1;
}

main();
