// Heap bytes allocated per detectSqli / detectXss call on typical short benign request values (and a
// few attacks), against the compiled package. Run `node --expose-gc bench/alloc.js` after building;
// add `--profile` to list the functions that allocate most (V8's sampling heap profiler).
'use strict';

const inspector = require('node:inspector');
const { detectSqli, detectXss } = require('../dist/index.js');

const inputs = [
  'Widget',
  '12.50',
  'john@example.com',
  '2024-01-01T10:00:00Z',
  'Lorem ipsum dolor sit amet',
  'en-US,en;q=0.5',
  'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  "O'Reilly",
  '{"a":"b"}',
  "1' or '1'='1",
  '<img src=x onerror=alert(1)>',
];

const BATCH = 2000;

/**
 * Bytes per call: the young generation is measured around batches of calls; a batch during which a
 * garbage collection ran shows a drop of `heapUsed` and is discarded. The median batch is reported.
 */
function bytesPerCall(fn, input) {
  for (let i = 0; i < 5000; i++) fn(input);
  const samples = [];
  for (let round = 0; round < 40 && samples.length < 15; round++) {
    if (global.gc) global.gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < BATCH; i++) fn(input);
    const after = process.memoryUsage().heapUsed;
    if (after >= before) samples.push((after - before) / BATCH);
  }
  samples.sort((a, b) => a - b);
  return samples.length === 0 ? NaN : samples[Math.floor(samples.length / 2)];
}

function post(session, method, params) {
  return new Promise((resolve, reject) => {
    session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** Self bytes per function over many calls of every input, from the sampling heap profiler. */
async function profile(fn, calls) {
  const session = new inspector.Session();
  session.connect();
  await post(session, 'HeapProfiler.startSampling', {
    samplingInterval: 256,
    // Without these the profile shows only what is still alive at the end, not what was allocated.
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  for (let i = 0; i < calls; i++) for (const input of inputs) fn(input);
  const { profile: p } = await post(session, 'HeapProfiler.stopSampling');
  session.disconnect();
  const byFn = new Map();
  const walk = (node) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-1)[0]}:${lineNumber + 1}`;
    const self = node.selfSize;
    if (self > 0) byFn.set(key, (byFn.get(key) ?? 0) + self);
    for (const child of node.children) walk(child);
  };
  walk(p.head);
  let total = 0;
  for (const bytes of byFn.values()) total += bytes;
  return { total, top: [...byFn.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12) };
}

async function main() {
  if (!global.gc) console.log('(run with --expose-gc for steadier figures)');
  const rows = inputs.map((input) => ({
    input: input.length > 32 ? `${input.slice(0, 29)}...` : input,
    'detectSqli B/call': Math.round(bytesPerCall(detectSqli, input)),
    'detectXss B/call': Math.round(bytesPerCall(detectXss, input)),
  }));
  console.log(`node ${process.version}, heap bytes allocated per call (median of batches of ${BATCH})`);
  console.table(rows);
  if (process.argv.includes('--profile')) {
    for (const [name, fn] of [
      ['detectSqli', detectSqli],
      ['detectXss', detectXss],
    ]) {
      const calls = 20000;
      const { total, top } = await profile(fn, calls);
      const perCall = (bytes) => (bytes / (calls * inputs.length)).toFixed(1);
      console.log(`${name}: ${perCall(total)} bytes per call sampled over ${calls} x ${inputs.length} inputs; top sites:`);
      for (const [key, bytes] of top) console.log(`  ${perCall(bytes).padStart(8)}  ${key}`);
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
