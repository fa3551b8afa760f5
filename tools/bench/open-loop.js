#!/usr/bin/env node
'use strict';
/**
 * An open-loop load generator: sends one scenario at a fixed rate (whatever the latency), over up to
 * CONNECTIONS keep-alive connections, for SECONDS; prints one JSON line with the rate achieved, the latency
 * percentiles seen by the client (ms) and the responses that were not 2xx. Used where a closed loop (wrk)
 * cannot hold a rate below the maximum.
 *
 *   node open-loop.js PORT SCENARIO RATE SECONDS [CONNECTIONS]
 */
const http = require('node:http');
const { scenarios } = require('./scenarios.js');

function main() {
  const [port, name, rate, seconds, connections = '8'] = process.argv.slice(2);
  const s = scenarios().find((x) => x.name === name);
  if (!s) throw new Error(`no scenario ${name}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number(connections) });
  const headers = Object.fromEntries(s.headers);
  const latencies = [];
  let sent = 0;
  let done = 0;
  let notOk = 0;
  const start = performance.now();
  const end = start + Number(seconds) * 1000;
  const send = () => {
    const t0 = performance.now();
    sent++;
    const req = http.request({ host: '127.0.0.1', port: Number(port), method: s.method, path: s.uri, headers, agent }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode < 200 || res.statusCode > 299) notOk++;
        latencies.push(performance.now() - t0);
        done++;
      });
    });
    req.on('error', () => {
      notOk++;
      done++;
    });
    req.end(s.body);
  };
  const tick = () => {
    const now = performance.now();
    const due = Math.min(now, end) - start;
    while (sent < (due * Number(rate)) / 1000) send();
    if (now < end) setTimeout(tick, 1);
    else finish();
  };
  const finish = () => {
    if (done < sent && performance.now() < end + 5000) {
      setTimeout(finish, 10);
      return;
    }
    latencies.sort((a, b) => a - b);
    const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
    process.stdout.write(`${JSON.stringify({ rps: done / Number(seconds), sent, done, notOk, p50: q(0.5), p99: q(0.99) })}\n`);
    agent.destroy();
  };
  tick();
}

main();
