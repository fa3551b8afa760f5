#!/usr/bin/env node
// Throughput of the built package (dist/): NOTIFY decode (recorded fixtures), ACK encode, and a loopback
// round trip (one connection, pipelined NOTIFYs, synchronous handler) — the SPOP floor an agent adds.
// Usage: pnpm bench (after pnpm build)   [SECONDS=1]
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const spop = require('../dist');

const SECONDS = Number(process.env.SECONDS ?? 1);
const fixtureDir = path.resolve(__dirname, '../../../../shared/spop-fixtures');

function fixture(name) {
  const text = fs.readFileSync(path.join(fixtureDir, `${name}.hex`), 'latin1');
  return Buffer.from(text.split('\n').filter((l) => !l.startsWith('#')).join('').replace(/\s+/g, ''), 'hex');
}

function timeIt(label, fn) {
  for (let i = 0; i < 1000; i++) fn();
  let n = 0;
  const t0 = process.hrtime.bigint();
  const end = t0 + BigInt(SECONDS * 1e9);
  let now = t0;
  while (now < end) {
    for (let i = 0; i < 1000; i++) fn();
    n += 1000;
    now = process.hrtime.bigint();
  }
  const perSec = n / (Number(now - t0) / 1e9);
  console.log(`${label.padEnd(44)} ${Math.round(perSec).toLocaleString('en-US').padStart(12)} ops/s`);
}

const small = fixture('10-notify-get-root');
const large = fixture('17-notify-post-20k-truncated');
timeIt('decode NOTIFY GET / (192 B) + hdrs_bin', () => {
  const f = spop.decodeFrame(small);
  const m = spop.decodeMessages(f.payload);
  spop.decodeHdrsBin(m[0].args[9].value.value);
});
timeIt('decode NOTIFY POST 15 KB body', () => spop.decodeMessages(spop.decodeFrame(large).payload));
const action = [{ type: 'set-var', scope: 'txn', name: 'code', value: spop.spopValue.uint32(403) }];
timeIt('encode ACK set-var txn.code', () => spop.encodeAck(3, 1, action, 16380));
timeIt('stream reader: 30 frames in one chunk', (() => {
  const names = fs.readdirSync(fixtureDir).filter((f) => f.endsWith('.hex')).map((f) => f.slice(0, -4));
  const all = Buffer.concat(names.map(fixture));
  return () => {
    const r = new spop.FrameReader(1 << 20);
    r.push(all);
    while (r.next() !== undefined);
  };
})());

async function roundTrip() {
  const server = spop.createSpopServer({ onMessages: () => action });
  const { port } = await server.listen(0);
  const sock = net.connect({ port, host: '127.0.0.1' });
  await new Promise((r) => sock.once('connect', r));
  const reader = new spop.FrameReader(1 << 20);
  let acks = 0;
  let onAck = () => undefined;
  sock.on('data', (chunk) => {
    reader.push(chunk);
    for (let b = reader.next(); b !== undefined; b = reader.next()) {
      if (b[0] === spop.FrameType.Ack) acks++;
      onAck();
    }
  });
  sock.write(spop.encodeKvFrame(spop.FrameType.HaproxyHello, [
    { name: 'supported-versions', value: spop.spopValue.string('2.0') },
    { name: 'max-frame-size', value: spop.spopValue.uint32(16380) },
    { name: 'capabilities', value: spop.spopValue.string('pipelining') },
  ]));
  const messages = spop.decodeMessages(spop.decodeFrame(small).payload);
  // Keep 32 NOTIFYs in flight, like a busy HAProxy connection.
  const window = 32;
  let sent = 0;
  let sid = 1;
  const t0 = process.hrtime.bigint();
  const end = t0 + BigInt(SECONDS * 1e9);
  await new Promise((resolve) => {
    onAck = () => {
      if (process.hrtime.bigint() >= end) {
        if (acks === sent) resolve();
        return;
      }
      while (sent - acks < window) {
        sock.write(spop.encodeNotify(sid, 1, messages));
        sid += 2;
        sent++;
      }
    };
  });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${'loopback NOTIFY->ACK, 32 in flight'.padEnd(44)} ${Math.round(acks / secs).toLocaleString('en-US').padStart(12)} NOTIFY/s`);
  sock.destroy();
  await server.close();
}

roundTrip().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
