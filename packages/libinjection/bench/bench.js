// Times detectSqli / detectXss per call on short (20 B) and long (1 KB) inputs, benign and
// malicious, against the compiled package (run `pnpm bench`, which builds first).
'use strict';

const { detectSqli, detectXss } = require('../dist/index.js');

function pad(s, n) {
  let out = s;
  while (out.length < n) out += s;
  return out.slice(0, n);
}

const benignText =
  'The quick brown fox jumps over the lazy dog; customers can reach us at support@example.com ' +
  'or call 555-0100 between 9am and 5pm. Order #12345 shipped on 2024-05-01, total $19.99. ';
const inputs = {
  'short benign': 'search=blue+shoes 42',
  'short sqli': "1' or '1'='1' -- x y",
  'short xss': '<svg/onload=alert(1)',
  'long benign': pad(benignText, 1024),
  'long sqli': pad("x ", 1006) + "' union select 1--",
  'long xss': pad('lorem ipsum <b>dolor</b> sit amet ', 996) + '<img src=x onerror=alert(1)>',
};

// CPU time of this process (user + system), not wall time: the benchmark often shares a small
// machine, and time spent waiting for a core is not the detector's cost.
function cpuNs() {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

function time(fn, input) {
  // Warm up so that the JIT has compiled the hot paths, then run for about 300 ms of CPU, 3 times,
  // and keep the best run.
  for (let i = 0; i < 2000; i++) fn(input);
  let iterations = 2000;
  let best = Infinity;
  for (let run = 0; run < 3; ) {
    const start = cpuNs();
    for (let i = 0; i < iterations; i++) fn(input);
    const ns = cpuNs() - start;
    if (ns < 3e8) {
      iterations *= 2;
      continue;
    }
    best = Math.min(best, ns / iterations);
    run++;
  }
  return best;
}

const rows = [];
for (const [name, input] of Object.entries(inputs)) {
  const sqli = detectSqli(input);
  rows.push({
    input: name,
    bytes: input.length,
    'detectSqli us/call': (time(detectSqli, input) / 1000).toFixed(2),
    sqli: sqli.isSqli ? sqli.fingerprint : '-',
    'detectXss us/call': (time(detectXss, input) / 1000).toFixed(2),
    xss: detectXss(input) ? 'yes' : '-',
  });
}
console.log(`node ${process.version}, CPU time per call (best of 3 runs)`);
console.table(rows);
