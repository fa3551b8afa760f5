#!/usr/bin/env node
// Per-transaction cost of persistent collections: initcol:ip + 3 setvars + persist at the end of the
// transaction, through the engine, on the LMDB store (both durabilities) and on the in-memory store, minus a
// baseline transaction without collections. Also the raw store calls and sweeping. Needs `pnpm build`.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { createWaf, MemoryCollectionStore } = require('@rampart/engine');
const { LmdbCollectionStore } = require('../dist/index.js');


const COLLECTION_RULES = `SecRuleEngine On
SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecAction "id:2,phase:1,pass,nolog,setvar:ip.requests=+1,setvar:ip.last_method=%{REQUEST_METHOD},setvar:ip.score=-1"`;
const BASELINE_RULES = `SecRuleEngine On
SecAction "id:1,phase:1,pass,nolog"
SecAction "id:2,phase:1,pass,nolog,setvar:tx.requests=+1,setvar:tx.last_method=%{REQUEST_METHOD},setvar:tx.score=-1"`;

function transaction(waf, ip) {
  const tx = waf.newTransaction();
  tx.processConnection(ip, 40000, '192.0.2.200', 80);
  tx.processUri('/index.html?a=1', 'GET', 'HTTP/1.1');
  tx.addRequestHeader('Host', 'example.com');
  tx.processRequestHeaders();
  tx.processLogging();
}

const ipOf = (i, distinct) => {
  const k = i % distinct;
  return `10.${k >> 16}.${(k >> 8) & 255}.${k & 255}`;
};

/** Microseconds per transaction over one run of n. */
function run(waf, n, distinctIps) {
  const start = performance.now();
  for (let i = 0; i < n; i++) transaction(waf, ipOf(i, distinctIps));
  return ((performance.now() - start) * 1000) / n;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-'));
}

async function main() {
  const dirs = [];
  const stores = [];
  const lmdb = (durability) => {
    const dir = tempDir();
    dirs.push(dir);
    const store = LmdbCollectionStore.open(dir, { durability, sweepIntervalMs: 0 });
    stores.push(store);
    return store;
  };
  // The machine is shared: configurations run round-robin, 7 rounds, and the median round is reported.
  const configs = [
    { label: 'baseline: same rules on TX, no collection', waf: createWaf({ directives: BASELINE_RULES }), n: 5000, ips: 1 },
    { label: 'in-memory store, one IP', waf: createWaf({ directives: COLLECTION_RULES, collectionStore: new MemoryCollectionStore() }), n: 5000, ips: 1 },
    { label: 'LMDB commit durability, one IP', waf: createWaf({ directives: COLLECTION_RULES, collectionStore: lmdb('commit') }), n: 5000, ips: 1 },
    { label: 'LMDB commit durability, 10,000 IPs', waf: createWaf({ directives: COLLECTION_RULES, collectionStore: lmdb('commit') }), n: 5000, ips: 10000 },
    { label: 'LMDB flush durability (fsync per tx), one IP', waf: createWaf({ directives: COLLECTION_RULES, collectionStore: lmdb('flush') }), n: 100, ips: 1 },
  ];
  for (const c of configs) run(c.waf, Math.min(c.n, 1000), c.ips); // warm-up
  const samples = configs.map(() => []);
  for (let round = 0; round < 7; round++) configs.forEach((c, i) => samples[i].push(run(c.waf, c.n, c.ips)));
  for (const s of stores) await s.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  const rows = configs.map((c, i) => [c.label, median(samples[i])]);
  const baseline = rows[0][1];

  console.log('Per transaction: initcol:ip + 3 setvars + persist (phase 1 + phase 5, bodiless GET)');
  for (const [label, us] of rows) {
    const extra = label.startsWith('baseline') ? '' : `  (collections: +${(us - baseline).toFixed(1)} µs)`;
    console.log(`  ${label.padEnd(48)} ${us.toFixed(1).padStart(8)} µs${extra}`);
  }

  // Raw store calls and sweeping.
  const dir = tempDir();
  const store = LmdbCollectionStore.open(dir, { sweepIntervalMs: 0 });
  const now = 1767225600;
  const ops = [{ op: 'add', name: 'requests', delta: 1 }, { op: 'set', name: 'm', value: 'GET' }, { op: 'add', name: 'score', delta: -1 }];
  const n = 20000;
  let start = performance.now();
  for (let i = 0; i < n; i++) store.apply('IP', `k${i % 10000}`, ops, now, 60);
  const applyUs = ((performance.now() - start) * 1000) / n;
  start = performance.now();
  for (let i = 0; i < n; i++) store.read('IP', `k${i % 10000}`, now);
  const readUs = ((performance.now() - start) * 1000) / n;
  const batchMs = [];
  let deleted = 0;
  start = performance.now();
  for (;;) {
    const t = performance.now();
    const batch = store.sweepBatch(now + 60);
    batchMs.push(performance.now() - t);
    deleted += batch.deleted;
    if (!batch.more) break;
  }
  batchMs.sort((a, b) => a - b);
  const sweepMs = performance.now() - start;
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log('Store calls (LMDB, commit durability)');
  console.log(`  read                                             ${readUs.toFixed(1).padStart(8)} µs`);
  console.log(`  apply (3 ops, one write transaction)             ${applyUs.toFixed(1).padStart(8)} µs`);
  const pct = (p) => batchMs[Math.min(batchMs.length - 1, Math.floor(batchMs.length * p))].toFixed(2);
  console.log(`  sweep of ${deleted} stale records: ${sweepMs.toFixed(1)} ms in ${batchMs.length} batches of 50;` +
    ` per batch median ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${pct(1)} ms`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
