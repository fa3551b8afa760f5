/**
 * A damaged LMDB file must never take the agent down: a corrupt data.mdb crashed the process at start (SIGSEGV),
 * and one overwritten while open killed it on the next request (an LMDB assertion in mdb_cursor_init). LMDB
 * crashes cannot be caught in-process, so each case here runs the store in a child process and asserts that the
 * child lived and said what happened.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RampartError } from '@rampart/engine';
import { ENVIRONMENT_DIRECTORY, LmdbCollectionStore } from '../src';
import { removeDir, tempDataDir } from './helpers';

const DIST = path.resolve(__dirname, '../dist/index.js');

let dataDir: string;
let envDir: string;
let dataFile: string;
beforeEach(() => {
  dataDir = tempDataDir();
  envDir = path.join(dataDir, ENVIRONMENT_DIRECTORY);
  dataFile = path.join(envDir, 'data.mdb');
});
afterEach(() => removeDir(dataDir));

/** A small environment with records, closed. */
async function populate(): Promise<void> {
  const store = LmdbCollectionStore.open(dataDir, { sweepIntervalMs: 0, syncIntervalMs: 0 });
  for (let i = 0; i < 50; i++) store.apply('IP', `10.0.0.${i}`, [{ op: 'set', name: 'hits', value: String(i) }], 1000, 3600);
  await store.close();
}

/** Runs `body` (JS, with `store` opened on dataDir by `open(options)`) in a child; returns its exit and output. */
function inChild(body: string, options: object = {}): { status: number | null; signal: string | null; out: string } {
  const code = `
const { LmdbCollectionStore } = require(${JSON.stringify(DIST)});
const errors = [];
const log = (m) => process.stdout.write(m + '\\n');
const open = () => LmdbCollectionStore.open(${JSON.stringify(dataDir)}, { sweepIntervalMs: 0, syncIntervalMs: 0, onError: (e) => { errors.push(e.code); log('ERROR ' + e.code + ': ' + e.message); }, ...${JSON.stringify(options)} });
(async () => { ${body} })().then(() => log('ALIVE'), (e) => { log('THROWN ' + (e.code || '') + ': ' + e.message); });
`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, signal: r.signal, out: r.stdout + r.stderr };
}

function overwriteMeta(file: string): void {
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(8192, 0xa5), 0, 8192, 0);
  fs.closeSync(fd);
}

describe('a corrupt environment at start', () => {
  it('is refused with an error naming the file and what to do (default), without a crash', async () => {
    await populate();
    overwriteMeta(dataFile);
    let err: unknown;
    try {
      LmdbCollectionStore.open(dataDir, { sweepIntervalMs: 0, syncIntervalMs: 0 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RampartError);
    expect((err as RampartError).code).toBe('collections-corrupt');
    expect((err as Error).message).toContain(`collection store ${dataFile} is corrupt (a meta page is not marked as one)`);
    expect((err as Error).message).toMatch(/Move it aside \(mv .*data\.mdb .*\.corrupt\).*--corrupt-collections reset/);
  });

  it('is moved aside and started fresh with onCorrupt: reset, and reported', async () => {
    await populate();
    overwriteMeta(dataFile);
    const errors: RampartError[] = [];
    const store = LmdbCollectionStore.open(dataDir, { sweepIntervalMs: 0, syncIntervalMs: 0, onCorrupt: 'reset', onError: (e) => errors.push(e) });
    try {
      expect(errors.map((e) => e.code)).toEqual(['collections-reset']);
      expect(errors[0]!.message).toMatch(/moved aside to .*data\.mdb\.corrupt-/);
      expect(fs.readdirSync(envDir).some((f) => f.startsWith('data.mdb.corrupt-'))).toBe(true);
      expect(store.read('IP', '10.0.0.1', 1000)).toBeUndefined();
      store.apply('IP', '10.0.0.1', [{ op: 'set', name: 'hits', value: '1' }], 1000, 3600);
      expect(store.read('IP', '10.0.0.1', 1000)?.values.hits?.value).toBe('1');
    } finally {
      await store.close();
    }
  });

  it('finds damage past the meta pages by reading every page in a child process', async () => {
    await populate();
    // Keep the meta pages, wreck every data page: only a walk of the tree can see it.
    const size = fs.statSync(dataFile).size;
    const fd = fs.openSync(dataFile, 'r+');
    fs.writeSync(fd, Buffer.alloc(size - 8192, 0x5a), 0, size - 8192, 8192);
    fs.closeSync(fd);
    // The fault: LMDB itself, given this file, kills the process (no exception to catch).
    const unchecked = inChild(`const s = open(); log('OPENED'); for (let i = 0; i < 50; i++) s.read('IP', '10.0.0.' + i, 1000); log('READ');`, { verify: 'meta' });
    expect(unchecked.signal ?? unchecked.status).not.toBe(0);
    expect(unchecked.out).not.toContain('ALIVE');
    // The default check reads the file in a child first, and the store refuses it.
    const r = inChild(`open(); log('OPENED');`);
    expect(r.signal).toBeNull();
    expect(r.out).toMatch(/THROWN collections-corrupt: collection store .*data\.mdb is corrupt \(reading it (crashed the checking process|failed)/);
    expect(r.out).not.toContain('OPENED');
  }, 60_000);

  it('truncated: refused before LMDB maps it (a read past the end would be SIGBUS)', async () => {
    await populate();
    fs.truncateSync(dataFile, 12_288);
    const r = inChild(`open(); log('OPENED');`);
    expect(r.signal).toBeNull();
    expect(r.out).toMatch(/THROWN collections-corrupt: .*data\.mdb is corrupt \(reading it (crashed the checking process|failed)/);
  }, 60_000);
});

describe('a file damaged while the store is open', () => {
  it.each([
    ['overwritten', `const fd = fs.openSync(file, 'r+'); fs.writeSync(fd, Buffer.alloc(8192, 0xa5), 0, 8192, 0); fs.closeSync(fd);`],
    ['truncated', `fs.truncateSync(file, 4096);`],
  ])('%s: reads and writes degrade to "unavailable", reported and counted, and the process lives', async (_what, damage) => {
    await populate();
    const r = inChild(`
const fs = require('node:fs');
const file = ${JSON.stringify(dataFile)};
const store = open();
log('before ' + store.read('IP', '10.0.0.7', 1000).values.hits.value);
${damage}
log('read ' + String(store.read('IP', '10.0.0.7', 1000)));
store.apply('IP', '10.0.0.7', [{ op: 'set', name: 'hits', value: '99' }], 1000, 3600);
log('count ' + store.count());
log('reason ' + store.unavailableReason);
await store.close();
`);
    expect(r.signal).toBeNull();
    expect(r.out).toContain('before 7');
    expect(r.out).toContain('read undefined');
    expect(r.out).toMatch(/ERROR collections-unavailable: collection store .*data\.mdb changed under the agent/);
    expect(r.out).toMatch(/reason .+/);
    expect(r.out).toContain('ALIVE');
  }, 60_000);
});

describe('file modes', () => {
  it('creates data.mdb and lock.mdb 0600 and the directory 0700 by default, 0640/0750 on request', async () => {
    const store = LmdbCollectionStore.open(dataDir, { sweepIntervalMs: 0, syncIntervalMs: 0 });
    await store.close();
    expect(fs.statSync(dataFile).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(envDir, 'lock.mdb')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(envDir).mode & 0o777).toBe(0o700);
    const other = tempDataDir();
    try {
      const s2 = LmdbCollectionStore.open(other, { sweepIntervalMs: 0, syncIntervalMs: 0, fileMode: 0o640 });
      await s2.close();
      expect(fs.statSync(path.join(other, ENVIRONMENT_DIRECTORY, 'data.mdb')).mode & 0o777).toBe(0o640);
      expect(fs.statSync(path.join(other, ENVIRONMENT_DIRECTORY)).mode & 0o777).toBe(0o750);
    } finally {
      removeDir(other);
    }
  });

  it('tightens world-readable files left by an earlier version, and says so', async () => {
    await populate();
    fs.chmodSync(dataFile, 0o644);
    const errors: RampartError[] = [];
    const store = LmdbCollectionStore.open(dataDir, { sweepIntervalMs: 0, syncIntervalMs: 0, onError: (e) => errors.push(e) });
    await store.close();
    expect(fs.statSync(dataFile).mode & 0o777).toBe(0o600);
    expect(errors.map((e) => e.message)).toEqual([`${dataFile} allowed 0644; tightened to 0600`]);
  });
});
