import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { LmdbCollectionStore } from '../src';
import { removeDir, tempDataDir } from './helpers';

// Several OS processes on one SecDataDir, as the agent's workers (and restarts) would use it.

const fixture = (name: string): string => path.join(__dirname, 'fixtures', name);

function spawn(script: string, args: string[]): ChildProcess {
  return fork(fixture(script), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function nextMessage<T>(child: ChildProcess, accept: (m: unknown) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown): void => {
      if (!accept(m)) return;
      cleanup();
      resolve(m as T);
    };
    const onExit = (code: number | null, signal: string | null): void => {
      cleanup();
      reject(new Error(`child exited (${code ?? signal}) before answering`));
    };
    const cleanup = (): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Checks the records write-burst.js left under `prefix`; returns how many applies they hold. */
function expectConsistent(store: LmdbCollectionStore, prefix: string, now: number): number {
  let highest = -1;
  let total = 0;
  for (let k = 0; k < 8; k++) {
    const r = store.read('IP', `${prefix}${k}`, now)!;
    const seq = Number(r.values.seq!.value);
    // n and seq were written in one transaction: they agree in every record.
    expect(Number(r.values.n!.value)).toBe(Math.floor((seq - k) / 8) + 1);
    expect(r.values.blob!.value).toBe(String(seq).repeat(50 + (seq % 500)));
    total += Number(r.values.n!.value);
    highest = Math.max(highest, seq);
  }
  // No apply lost, none applied twice: the counters add up to the number of applies.
  expect(total).toBe(highest + 1);
  return total;
}

let dir: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = tempDataDir();
});

afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await exited(c);
  }
  removeDir(dir);
});

it('4 processes x 10,000 increments of one counter give exactly 40,000', async () => {
  const workers = [0, 1, 2, 3].map(() => spawn('increment-worker.js', [dir, '10000']));
  children.push(...workers);
  await Promise.all(workers.map((w) => nextMessage(w, (m) => m === 'ready')));
  const results = workers.map((w) => nextMessage<{ done: number; ms: number }>(w, (m) => typeof m === 'object'));
  for (const w of workers) w.send('go');
  const done = await Promise.all(results);
  expect(done.map((d) => d.done)).toEqual([10000, 10000, 10000, 10000]);
  await Promise.all(workers.map(exited));

  const store = LmdbCollectionStore.open(dir, { sweepIntervalMs: 0 });
  try {
    const record = store.read('IP', '203.0.113.9', Math.floor(Date.now() / 1000))!;
    expect(record.values.hits!.value).toBe('40000');
    expect(record.updateCounter).toBe(40000);
  } finally {
    await store.close();
  }
}, 60000);

it('a kill -9 during a write burst leaves a readable, consistent database that accepts writes', async () => {
  let lastReported = 0;
  for (let round = 0; round < 3; round++) {
    const writer = spawn('write-burst.js', [dir]);
    children.push(writer);
    const { start } = await nextMessage<{ start: number }>(writer, (m) => typeof m === 'object');
    // Every apply reported before the kill returned, so it was committed.
    expect(start).toBeGreaterThanOrEqual(lastReported);
    const target = start + 1000 + round * 700;
    lastReported = await nextMessage<number>(writer, (m) => typeof m === 'number' && m >= target);
    writer.kill('SIGKILL');
    await exited(writer);
    expect(writer.signalCode).toBe('SIGKILL');
  }

  const store = LmdbCollectionStore.open(dir, { sweepIntervalMs: 0 });
  try {
    const now = Math.floor(Date.now() / 1000);
    const applied = expectConsistent(store, 'key', now);
    expect(applied).toBeGreaterThanOrEqual(lastReported);
    const before = Number(store.read('IP', 'key0', now)!.values.n!.value);
    store.apply('IP', 'key0', [{ op: 'add', name: 'n', delta: 1 }], now, 3600);
    expect(Number(store.read('IP', 'key0', now)!.values.n!.value)).toBe(before + 1);
  } finally {
    await store.close();
  }
}, 60000);

it('worker threads of one process share the environment without losing increments', async () => {
  const start = Date.now() + 1500;
  const threads = [0, 1, 2].map(
    () => new Worker(fixture('increment-thread.js'), { workerData: { dataDir: dir, count: 3000, start } }),
  );
  const counts = await Promise.all(
    threads.map((t) => new Promise<number>((resolve, reject) => {
      t.once('message', resolve);
      t.once('error', reject);
    })),
  );
  expect(counts).toEqual([3000, 3000, 3000]);
  await Promise.all(threads.map((t) => t.terminate()));
  const store = LmdbCollectionStore.open(dir, { sweepIntervalMs: 0 });
  try {
    expect(store.read('GLOBAL', 'global', 1767225600)!.values.hits!.value).toBe('9000');
  } finally {
    await store.close();
  }
}, 60000);

it('a writer killed with -9 does not stall the other writers', async () => {
  const survivor = spawn('write-burst.js', [dir, 'b']);
  const victim = spawn('write-burst.js', [dir, 'a']);
  children.push(survivor, victim);
  await nextMessage(survivor, (m) => typeof m === 'object');
  await nextMessage(victim, (m) => typeof m === 'object');
  const victimDone = await nextMessage<number>(victim, (m) => typeof m === 'number' && m >= 1500);
  victim.kill('SIGKILL');
  await exited(victim);
  // The victim may have died holding LMDB's write lock: the survivor must get it and carry on.
  const atKill = await nextMessage<number>(survivor, (m) => typeof m === 'number');
  const later = await nextMessage<number>(survivor, (m) => typeof m === 'number' && m >= atKill + 2000);
  expect(later).toBeGreaterThanOrEqual(atKill + 2000);
  survivor.kill('SIGKILL');
  await exited(survivor);

  const store = LmdbCollectionStore.open(dir, { sweepIntervalMs: 0 });
  try {
    const now = Math.floor(Date.now() / 1000);
    expect(expectConsistent(store, 'a', now)).toBeGreaterThanOrEqual(victimDone);
    expect(expectConsistent(store, 'b', now)).toBeGreaterThanOrEqual(later);
  } finally {
    await store.close();
  }
}, 60000);
