'use strict';
/**
 * node bench/collections.js (in packages/spoa, after pnpm build): the rate-limit scenario (initcol:ip, a counter
 * per client IP, a limit) through `rampart spoa -n 1` (one inspection worker), driven over SPOP by C
 * connections that each send the next NOTIFY as soon as the previous one is answered, with the collections
 * (a) in LMDB under SecDataDir, (b) in Redis on loopback, (c) in Redis behind a proxy that delays every answer
 * by 1 ms. (d) repeats (c) with one connection: a worker that blocked while it waits for Redis would serve
 * 8 connections no faster than 1.
 *
 * Prints requests/s and latency p50/p99 per configuration (median and range over the rounds). Needs
 * redis-server on PATH (scripts/bootstrap.sh installs it). Loopback only; every phase is time-bounded.
 * Environment: BENCH_SECONDS (5), BENCH_CONCURRENCY (8), BENCH_ROUNDS (3), BENCH_REDIS_DELAY_MS (1),
 * BENCH_IPS (distinct client IPs, 1000).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { FrameReader, FrameType, decodeActions, decodeFrameHeader, encodeKvFrame, encodeNotify, encodeVarint, spopValue } = require('@rampart/spop');

const CLI = path.resolve(__dirname, '../../cli/bin/rampart.js');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DELAY_MS = Number(process.env.BENCH_REDIS_DELAY_MS ?? 1);
const IPS = Number(process.env.BENCH_IPS ?? 1000);

/** The scenario: every request opens its IP's record, counts itself, and is checked against a limit it never reaches. */
const { freePort } = require('../../../tools/bench/processes.js');

const RULES = `SecRuleEngine On
SecAction "id:100,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecRule &IP:requests "@eq 0" "id:101,phase:1,pass,nolog,setvar:ip.requests=0,expirevar:ip.requests=3600"
SecAction "id:102,phase:1,pass,nolog,setvar:ip.requests=+1"
SecRule IP:requests "@gt 100000000" "id:103,phase:1,deny,status:429,log"
`;

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function median(xs) {
  return quantile([...xs].sort((a, b) => a - b), 0.5);
}

/** One inline command, for readiness checks and the latency probe. */
function command(port, text) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    let out = '';
    s.once('error', reject);
    s.on('data', (d) => {
      out += d.toString('latin1');
      if (out.endsWith('\r\n')) {
        s.end();
        resolve(out);
      }
    });
    s.write(`${text}\r\n`);
  });
}

async function startRedis(dir) {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', ''], { stdio: 'ignore' });
  child.once('error', (e) => {
    throw new Error(`cannot run redis-server (scripts/bootstrap.sh installs it): ${e.message}`);
  });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await command(port, 'PING')).startsWith('+PONG')) return { port, child };
    } catch {
      await sleep(50);
    }
  }
  throw new Error('redis-server did not start');
}

/**
 * A TCP proxy that holds every chunk from the server for `ms` before passing it on, in order: each round trip
 * through it takes `ms` longer, as with a Redis one network hop away.
 */
async function startDelayProxy(targetPort, ms) {
  const server = net.createServer((client) => {
    client.setNoDelay(true);
    const upstream = net.connect({ port: targetPort, host: '127.0.0.1' });
    upstream.setNoDelay(true);
    const held = [];
    let timer;
    const release = () => {
      timer = undefined;
      const now = performance.now();
      while (held.length > 0 && held[0].at <= now) client.write(held.shift().chunk);
      if (held.length > 0) timer = setTimeout(release, Math.max(0, held[0].at - now));
    };
    upstream.on('data', (chunk) => {
      held.push({ at: performance.now() + ms, chunk });
      if (timer === undefined) timer = setTimeout(release, ms);
    });
    client.on('data', (chunk) => upstream.write(chunk));
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { port: server.address().port, close: () => new Promise((r) => server.close(r)) };
}

/** Median PING round trip in ms, over 200 sequential PINGs on one connection. */
async function pingMs(port) {
  const s = net.connect({ port, host: '127.0.0.1' });
  s.setNoDelay(true);
  await new Promise((r, j) => {
    s.once('connect', r);
    s.once('error', j);
  });
  const times = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await new Promise((r) => {
      s.once('data', r);
      s.write('PING\r\n');
    });
    times.push(performance.now() - t);
  }
  s.destroy();
  return median(times);
}

async function startAgent(args) {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'spoa', '-p', String(port), '-n', '1', '--deadline', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', () => undefined);
  const deadline = Date.now() + 60_000;
  while (!out.includes('"msg":"ready:')) {
    if (child.exitCode !== null) throw new Error(`agent exited: ${out}`);
    if (Date.now() > deadline) throw new Error(`agent not ready: ${out}`);
    await sleep(50);
  }
  return {
    port,
    log: () => out,
    stop: () =>
      new Promise((r) => {
        child.once('exit', r);
        child.kill('SIGTERM');
      }),
  };
}

function checkRequest(ip, uniqueId) {
  const str = (s) => {
    const b = Buffer.from(s, 'latin1');
    return Buffer.concat([encodeVarint(b.length), b]);
  };
  const hdrs = Buffer.concat([str('host'), str('shop.example'), str('user-agent'), str('bench'), Buffer.from([0, 0])]);
  return {
    name: 'check-request',
    args: [
      spopValue.string(uniqueId),
      spopValue.ipv4(ip),
      spopValue.int64(40000),
      spopValue.ipv4('127.0.0.1'),
      spopValue.int64(8080),
      spopValue.string('GET'),
      spopValue.string('/api/items'),
      spopValue.null(),
      spopValue.string('1.1'),
      spopValue.binary(hdrs),
      spopValue.int64(0),
      spopValue.binary(Buffer.alloc(0)),
    ].map((value) => ({ name: '', value })),
  };
}

/** One SPOP connection that sends NOTIFYs one after the other until `until`; resolves with latencies (ms) and problems. */
async function connection(port, index, until, counters) {
  const socket = net.connect({ port, host: '127.0.0.1' });
  socket.setNoDelay(true);
  await new Promise((r, j) => {
    socket.once('connect', r);
    socket.once('error', j);
  });
  const reader = new FrameReader(1 << 20);
  let waiting;
  socket.on('data', (chunk) => {
    reader.push(chunk);
    for (let b = reader.next(); b !== undefined; b = reader.next()) waiting?.(decodeFrameHeader(b));
  });
  const next = () => new Promise((r) => (waiting = r));
  socket.write(
    encodeKvFrame(FrameType.HaproxyHello, [
      { name: 'supported-versions', value: spopValue.string('2.0') },
      { name: 'max-frame-size', value: spopValue.uint32(16380) },
      { name: 'capabilities', value: spopValue.string('pipelining') },
    ]),
  );
  await next();
  const latencies = [];
  let stream = 1;
  while (performance.now() < until) {
    const n = counters.sent++;
    const ip = `10.${(n % IPS) >> 16 & 255}.${((n % IPS) >> 8) & 255}.${(n % IPS) & 255}`;
    const t = performance.now();
    socket.write(encodeNotify(stream++, 1, [checkRequest(ip, `c${index}-${n}`)]));
    const frame = await next();
    latencies.push(performance.now() - t);
    if (frame.type !== FrameType.Ack) {
      counters.problems++;
      continue;
    }
    for (const a of decodeActions(frame.payload)) {
      if (a.name === 'error') counters.errors++;
      if (a.name === 'code' && a.value.value !== 0) counters.denied++;
    }
  }
  socket.destroy();
  return latencies;
}

async function load(port, connections, seconds) {
  const counters = { sent: 0, errors: 0, denied: 0, problems: 0 };
  const started = performance.now();
  const until = started + seconds * 1000;
  const all = await Promise.all(Array.from({ length: connections }, (_, i) => connection(port, i, until, counters)));
  const elapsed = (performance.now() - started) / 1000;
  const latencies = all.flat().sort((a, b) => a - b);
  return { rps: latencies.length / elapsed, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), ...counters };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-collections-'));
  const redis = await startRedis(dir);
  const proxy = await startDelayProxy(redis.port, DELAY_MS);
  const direct = await pingMs(redis.port);
  const delayed = await pingMs(proxy.port);
  console.log(`Redis PING round trip: ${direct.toFixed(3)} ms on loopback, ${delayed.toFixed(3)} ms through the delaying proxy (+${(delayed - direct).toFixed(3)} ms)`);
  const lmdbConf = path.join(dir, 'lmdb.conf');
  fs.writeFileSync(lmdbConf, `SecDataDir ${path.join(dir, 'lmdb')}\n${RULES}`);
  const redisConf = path.join(dir, 'redis.conf');
  fs.writeFileSync(redisConf, RULES);
  const configs = [
    { label: 'LMDB (SecDataDir)', args: ['-f', lmdbConf], connections: CONCURRENCY },
    { label: 'Redis on loopback', args: ['-f', redisConf, '--collections', `redis://127.0.0.1:${redis.port}/0`], connections: CONCURRENCY },
    { label: `Redis +${DELAY_MS} ms`, args: ['-f', redisConf, '--collections', `redis://127.0.0.1:${proxy.port}/0?timeout_ms=1000`], connections: CONCURRENCY },
    { label: `Redis +${DELAY_MS} ms, 1 connection`, args: ['-f', redisConf, '--collections', `redis://127.0.0.1:${proxy.port}/0?timeout_ms=1000`], connections: 1 },
  ];
  const results = configs.map(() => []);
  try {
    // Rounds interleave the configurations: the machine is shared, and its load moves during a run.
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, c] of configs.entries()) {
        const agent = await startAgent(c.args);
        try {
          await load(agent.port, c.connections, 1); // warm-up: JIT, connections, Lua script loaded
          const r = await load(agent.port, c.connections, SECONDS);
          if (r.errors + r.problems + r.denied > 0) throw new Error(`${c.label}: ${r.errors} errors, ${r.problems} unexpected frames, ${r.denied} denied`);
          results[i].push(r);
          console.log(`  round ${round + 1}: ${c.label}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`);
        } finally {
          await agent.stop();
        }
      }
    }
  } finally {
    await proxy.close();
    redis.child.kill('SIGTERM');
    await new Promise((r) => redis.child.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const lmdbRps = median(results[0].map((r) => r.rps));
  console.log(`\nrate-limit scenario, rampart spoa -n 1, ${SECONDS} s per run, median [min-max] of ${ROUNDS} rounds`);
  console.log('| collections | connections | requests/s | latency p50 | latency p99 | vs LMDB |');
  console.log('|---|---|---|---|---|---|');
  configs.forEach((c, i) => {
    const rs = results[i];
    const range = (f, d) => `${median(rs.map(f)).toFixed(d)} [${Math.min(...rs.map(f)).toFixed(d)}-${Math.max(...rs.map(f)).toFixed(d)}]`;
    console.log(`| ${c.label} | ${c.connections} | ${range((r) => r.rps, 0)} | ${range((r) => r.p50, 2)} ms | ${range((r) => r.p99, 2)} ms | ${((median(rs.map((r) => r.rps)) / lmdbRps) * 100).toFixed(0)}% |`);
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
