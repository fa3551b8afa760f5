import { fork, spawn as spawnProcess, spawnSync, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { MemoryCollectionStore, type RampartError, type RecordOp } from '@rampart/engine';
import { RedisCollectionStore, SyncRedisConnection } from '../../src';
import { T0, request, wafWith } from '../helpers';

// The store runs against a Redis-protocol server in another process: always fixtures/fake-redis.js (strings
// with expiry and Redis's WATCH / MULTI / EXEC semantics), and a real redis-server too when one is installed.
// The calls block this thread, so the server cannot live in it.

const fixture = (name: string): string => path.join(__dirname, '..', 'fixtures', name);
const children: ChildProcess[] = [];

function spawn(script: string, args: string[]): ChildProcess {
  const child = fork(fixture(script), args, { env: { ...process.env, NODE_ENV: 'production' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  return child;
}

async function startServer(port = 0, mode?: '--silent'): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn('fake-redis.js', mode ? [String(port), mode] : [String(port)]);
  const ready = await new Promise<{ port: number }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { port: number }));
    child.once('exit', (code) => reject(new Error(`fake redis exited with ${code}`)));
  });
  return { child, port: ready.port };
}

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function startRedisServer(): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawnProcess('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  children.push(child);
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (up) return { child, port };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('redis-server did not start');
}

const servers: Array<[string, () => Promise<{ child: ChildProcess; port: number }>]> = [['fake-redis', () => startServer()]];
if (hasRedisServer) servers.push(['redis-server', startRedisServer]);

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

afterEach(async () => {
  for (const c of children.splice(0)) await stopChild(c);
});

const add = (name: string, delta: number): RecordOp => ({ op: 'add', name, delta });
const set = (name: string, value: string): RecordOp => ({ op: 'set', name, value });

describe.each(servers)('against %s', (_name, start) => {
  let store: RedisCollectionStore;
  let errors: RampartError[];
  let port: number;

  beforeEach(async () => {
    ({ port } = await start());
    errors = [];
    store = RedisCollectionStore.connect({ port, timeoutMs: 2000, onError: (e) => errors.push(e) });
  });

  afterEach(async () => {
    await store.close();
  });

  it('agrees with the in-memory store on every op', () => {
    const memory = new MemoryCollectionStore();
    const steps: Array<[RecordOp[], number]> = [
      [[set('a', 'x\u00e9\u0000'), add('b', 5), set('c', '9')], T0],
      [[{ op: 'expire', name: 'a', at: T0 + 20 }, add('b', -2), { op: 'delete', name: 'c' }], T0 + 5],
      [[{ op: 'deprecate', name: 'b', amount: 1, everySeconds: 2 }], T0 + 11],
      [[add('b', 1), set('d', 'late')], T0 + 25],
    ];
    for (const [ops, now] of steps) {
      memory.apply('SESSION', 's', ops, now, 100);
      store.apply('SESSION', 's', ops, now, 100);
      expect(store.read('SESSION', 's', now)).toEqual(memory.read('SESSION', 's', now));
    }
    expect(store.read('SESSION', 'other', T0)).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it('lets the server expire whole records after SecCollectionTimeout', async () => {
    store.apply('IP', 'a', [add('n', 1)], T0, 1);
    store.apply('IP', 'forever', [add('n', 1)], T0, 0);
    expect(store.read('IP', 'a', T0)).toBeDefined();
    await new Promise((r) => setTimeout(r, 1200));
    // Read with the transaction clock still at T0: only the server's expiry can have removed it.
    expect(store.read('IP', 'a', T0)).toBeUndefined();
    expect(store.read('IP', 'forever', T0)).toBeDefined();
  });

  it('runs the rate-limit rules through the engine', () => {
    const waf = wafWith(store, `SecAction "id:100,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecRule &IP:requests "@eq 0" "id:101,phase:1,pass,nolog,setvar:ip.requests=0,expirevar:ip.requests=60"
SecAction "id:102,phase:1,pass,nolog,setvar:ip.requests=+1"
SecRule IP:requests "@gt 10" "id:103,phase:1,deny,status:429"`);
    const statuses = [];
    for (let i = 0; i < 12; i++) statuses.push(request(waf, { at: T0 + i }).interruption?.status ?? 200);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 429, 429]);
    expect(request(waf, { at: T0 + 60 }).interruption).toBeUndefined();
  });

  it('drops updates past maxRecordBytes', async () => {
    await store.close();
    store = RedisCollectionStore.connect({ port, timeoutMs: 2000, maxRecordBytes: 300, onError: (e) => errors.push(e) });
    store.apply('IP', 'a', [set('v', 'small')], T0, 60);
    store.apply('IP', 'a', [set('v', 'y'.repeat(400))], T0, 60);
    expect(store.read('IP', 'a', T0)!.values.v!.value).toBe('small');
    expect(errors.map((e) => e.code)).toEqual(['collections-record-too-large']);
    // The connection is still usable afterwards.
    store.apply('IP', 'a', [add('n', 1)], T0, 60);
    expect(store.read('IP', 'a', T0)!.values.n!.value).toBe('1');
  });
});

it.each(servers)('3 processes x 400 contended increments on %s give exactly 1,200', async (_name, start) => {
  const { port } = await start();
  const workers = [0, 1, 2].map(() => spawn('redis-increment.js', [String(port), '400']));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  const done = workers.map((w) => new Promise<{ done: number }>((resolve) => w.once('message', (m) => resolve(m as { done: number }))));
  for (const w of workers) w.send('go');
  expect((await Promise.all(done)).map((d) => d.done)).toEqual([400, 400, 400]);
  const store = RedisCollectionStore.connect({ port, timeoutMs: 2000 });
  try {
    const r = store.read('GLOBAL', 'global', Math.floor(Date.now() / 1000))!;
    expect(r.values.hits!.value).toBe('1200');
    expect(r.updateCounter).toBe(1200);
  } finally {
    await store.close();
  }
}, 60000);

describe('failures', () => {
  it('refuses to start when nothing answers', async () => {
    const { child, port } = await startServer();
    await stopChild(child);
    expect(() => RedisCollectionStore.connect({ port, timeoutMs: 500 })).toThrow(expect.objectContaining({ code: 'collections-redis-unreachable' }));
  });

  it('fails open within the timeout when the server stops answering', async () => {
    const { port } = await startServer(0, '--silent');
    expect(() => RedisCollectionStore.connect({ port, timeoutMs: 100 })).toThrow(/within 100 ms/);
  });

  it('after a timeout, fails fast instead of blocking every request on a dead server', async () => {
    const { port } = await startServer();
    const errors: RampartError[] = [];
    const store = RedisCollectionStore.connect({ port, timeoutMs: 300, reconnectDelayMs: 60_000, onError: (e) => errors.push(e) });
    const control = new SyncRedisConnection({ host: '127.0.0.1', port, timeoutMs: 1000 });
    try {
      store.apply('IP', 'a', [add('n', 1)], T0, 60);
      expect(control.call([['RAMPART.SILENCE']])).toEqual(['OK']);
      let started = performance.now();
      expect(store.read('IP', 'a', T0)).toBeUndefined();
      const firstMs = performance.now() - started;
      expect(firstMs).toBeGreaterThanOrEqual(290);
      expect(firstMs).toBeLessThan(5000);
      started = performance.now();
      for (let i = 0; i < 20; i++) {
        expect(store.read('IP', 'a', T0)).toBeUndefined();
        store.apply('IP', 'a', [add('n', 1)], T0, 60);
      }
      // Blocking would take 20 x 2 x 300 ms; a loaded machine still answers these well under 2 s.
      expect(performance.now() - started).toBeLessThan(2000);
      expect(errors.map((e) => e.code)).toEqual(['collections-storage']);
      expect(errors[0]!.message).toMatch(/within 300 ms/);
    } finally {
      await control.close();
      await store.close();
    }
  });

  it('fails open while the server is down and recovers when it is back', async () => {
    const first = await startServer();
    const errors: RampartError[] = [];
    const store = RedisCollectionStore.connect({ port: first.port, timeoutMs: 1000, reconnectDelayMs: 100, onError: (e) => errors.push(e) });
    try {
      store.apply('IP', 'a', [add('n', 1)], T0, 60);
      await stopChild(first.child);
      const started = performance.now();
      expect(store.read('IP', 'a', T0)).toBeUndefined();
      store.apply('IP', 'a', [add('n', 1)], T0, 60);
      expect(performance.now() - started).toBeLessThan(8000);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((e) => e.code === 'collections-storage')).toBe(true);
      // A new server on the same port (empty: this fake keeps nothing on disk).
      await startServer(first.port);
      await new Promise((r) => setTimeout(r, 150));
      store.apply('IP', 'a', [add('n', 1)], T0, 60);
      expect(store.read('IP', 'a', T0)!.values.n!.value).toBe('1');
    } finally {
      await store.close();
    }
  });
});
