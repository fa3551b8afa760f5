'use strict';
/**
 * wrk as the load generator of the end-to-end benchmarks: a Lua script per scenario (method, target, headers,
 * body) that reports its figures as one JSON line, and a runner that parses it.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

function available() {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** A Lua string literal holding `bytes` exactly (decimal escapes for everything but plain printable ASCII). */
function luaString(bytes) {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(String(bytes), 'latin1');
  let out = '"';
  for (const c of b) out += c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c ? String.fromCharCode(c) : `\\${String(c).padStart(3, '0')}`;
  return `${out}"`;
}

/**
 * The script for one scenario: every connection sends it back to back. `done` prints requests, duration,
 * socket errors, non-2xx/3xx responses (wrk counts status > 399) and latency percentiles (µs) as JSON.
 */
function wrkScript(scenario) {
  const lines = [`wrk.method = ${luaString(scenario.method)}`, `wrk.path = ${luaString(scenario.uri)}`, 'wrk.headers = {}'];
  for (const [name, value] of scenario.headers) lines.push(`wrk.headers[${luaString(name)}] = ${luaString(value)}`);
  if (scenario.body) lines.push(`wrk.body = ${luaString(scenario.body)}`);
  lines.push(
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format(\'{"requests":%d,"duration_us":%d,"socket_errors":%d,"status_errors":%d,"p50_us":%d,"p99_us":%d}\\n\',',
    '    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status, latency:percentile(50), latency:percentile(99)))',
    'end',
  );
  return `${lines.join('\n')}\n`;
}

/**
 * Runs wrk for `seconds` with `connections` against http://127.0.0.1:port, pinned with taskset to `cpus`
 * when given; resolves { rps, p50, p99 (ms), requests, errors }.
 */
function runWrk({ port, scriptFile, seconds, connections = 1, cpus }) {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', scriptFile, `http://127.0.0.1:${port}`];
  const [cmd, argv] = cpus ? ['taskset', ['-c', cpus, 'wrk', ...args]] : ['wrk', args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{"requests"'));
      if (code !== 0 || !line) {
        reject(new Error(`wrk exited with ${code}: ${err}${out}`));
        return;
      }
      const r = JSON.parse(line);
      resolve({ rps: r.requests / (r.duration_us / 1e6), p50: r.p50_us / 1000, p99: r.p99_us / 1000, requests: r.requests, errors: r.socket_errors + r.status_errors, statusErrors: r.status_errors });
    });
  });
}

/** Writes each scenario's script into `dir`; returns a map name -> file. */
function writeWrkScripts(dir, scenarios) {
  const files = new Map();
  for (const s of scenarios) {
    const file = path.join(dir, `wrk-${s.name}.lua`);
    fs.writeFileSync(file, wrkScript(s));
    files.set(s.name, file);
  }
  return files;
}

module.exports = { available, wrkScript, runWrk, writeWrkScripts, luaString };
