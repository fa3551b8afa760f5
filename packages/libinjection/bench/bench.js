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

function time(fn, input) {
  // Warm up so that the JIT has compiled the hot paths, then run for about 300 ms.
  for (let i = 0; i < 2000; i++) fn(input);
  let iterations = 2000;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn(input);
    const ns = Number(process.hrtime.bigint() - start);
    if (ns > 3e8) return ns / iterations;
    iterations *= 2;
  }
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
console.log(`node ${process.version}`);
console.table(rows);
