import * as fs from 'node:fs';
import * as path from 'node:path';
import { open } from 'lmdb';
import { MemoryCollectionStore, type RampartError, type RecordOp } from '@rampart/engine';
import { ENVIRONMENT_DIRECTORY, LmdbCollectionStore, createCollectionStore, recordKey } from '../src';
import { T0, removeDir, tempDataDir } from './helpers';

let dir: string;
let store: LmdbCollectionStore;
let errors: RampartError[];

beforeEach(() => {
  dir = tempDataDir();
  errors = [];
  store = LmdbCollectionStore.open(dir, { sweepIntervalMs: 0, onError: (e) => errors.push(e) });
});

afterEach(async () => {
  await store.close();
  removeDir(dir);
});

const add = (name: string, delta: number): RecordOp => ({ op: 'add', name, delta });
const set = (name: string, value: string): RecordOp => ({ op: 'set', name, value });

describe('read and apply', () => {
  it('creates a record with its bookkeeping on the first apply', () => {
    expect(store.read('IP', '10.0.0.1', T0)).toBeUndefined();
    store.apply('IP', '10.0.0.1', [set('Score', '5')], T0, 300);
    expect(store.read('IP', '10.0.0.1', T0 + 1)).toEqual({
      createTime: T0,
      lastUpdateTime: T0,
      updateCounter: 1,
      timeout: 300,
      values: { score: { name: 'Score', value: '5' } },
    });
  });

  it('applies ops on the latest stored version and keeps the creation time', () => {
    store.apply('IP', 'a', [add('n', 2)], T0, 300);
    store.apply('IP', 'a', [add('n', 3), add('n', -1)], T0 + 10, 300);
    const r = store.read('IP', 'a', T0 + 10)!;
    expect(r.values.n!.value).toBe('4');
    expect(r.createTime).toBe(T0);
    expect(r.lastUpdateTime).toBe(T0 + 10);
    expect(r.updateCounter).toBe(2);
  });

  it('keeps collections and keys apart', () => {
    store.apply('IP', 'k', [set('v', 'ip')], T0, 300);
    store.apply('GLOBAL', 'k', [set('v', 'global')], T0, 300);
    store.apply('IP', 'k2', [set('v', 'other')], T0, 300);
    expect(store.read('IP', 'k', T0)!.values.v!.value).toBe('ip');
    expect(store.read('GLOBAL', 'k', T0)!.values.v!.value).toBe('global');
    expect(store.read('IP', 'k2', T0)!.values.v!.value).toBe('other');
    expect(store.read('RESOURCE', 'k', T0)).toBeUndefined();
  });

  it('agrees with the in-memory store on every op', () => {
    const memory = new MemoryCollectionStore();
    const steps: Array<[RecordOp[], number]> = [
      [[set('a', 'x'), add('b', 5), set('c', '9')], T0],
      [[{ op: 'expire', name: 'a', at: T0 + 20 }, add('b', -2), { op: 'delete', name: 'c' }], T0 + 5],
      [[{ op: 'deprecate', name: 'b', amount: 1, everySeconds: 2 }], T0 + 11],
      [[add('b', 1), set('d', 'late')], T0 + 25],
    ];
    for (const [ops, now] of steps) {
      memory.apply('SESSION', 's', ops, now, 100);
      store.apply('SESSION', 's', ops, now, 100);
      expect(store.read('SESSION', 's', now)).toEqual(memory.read('SESSION', 's', now));
    }
    // a expired at T0+20; b: 3 after T0+5, deprecated by 3 steps of 1 (6 s / 2) to 0, then +1.
    expect(store.read('SESSION', 's', T0 + 25)!.values).toEqual({ b: { name: 'b', value: '1' }, d: { name: 'd', value: 'late' } });
  });

  it('round-trips latin1 bytes and NUL in keys and values', () => {
    const key = 'k\u0000\u00ff\u0080 x';
    store.apply('USER', key, [set('bin', '\u0000\u00e9\u00ff\r\n')], T0, 300);
    expect(store.read('USER', key, T0)!.values.bin!.value).toBe('\u0000\u00e9\u00ff\r\n');
    expect(store.read('USER', 'k', T0)).toBeUndefined();
  });

  it('stores records with keys longer than LMDB allows under a digest', () => {
    const long = 'x'.repeat(5000);
    const longer = `${long}y`;
    store.apply('SESSION', long, [set('v', '1')], T0, 300);
    store.apply('SESSION', longer, [set('v', '2')], T0, 300);
    expect(store.read('SESSION', long, T0)!.values.v!.value).toBe('1');
    expect(store.read('SESSION', longer, T0)!.values.v!.value).toBe('2');
    expect(recordKey('SESSION', long)).toMatch(/^SESSION\u0001[0-9a-f]{64}$/);
    expect(recordKey('SESSION', 'short')).toBe('SESSION\u0000short');
    expect(errors).toEqual([]);
  });

  it('rejects collection names that would make keys ambiguous', () => {
    expect(() => store.apply('IP\u0000x', 'k', [], T0, 1)).toThrow(/NUL or SOH/);
  });

  it('rejects a clock or timeout that is not a number of seconds', () => {
    expect(() => store.apply('IP', 'k', [], Number.NaN, 1)).toThrow(/finite now/);
    expect(() => store.apply('IP', 'k', [], T0, -1)).toThrow(/timeout >= 0/);
    expect(() => store.apply('IP', 'k', [], T0, Number.POSITIVE_INFINITY)).toThrow(/finite/);
    expect(store.count()).toBe(0);
  });
});

describe('expiry', () => {
  it('drops a whole record once its timeout has passed since the last update', () => {
    store.apply('IP', 'a', [set('v', '1')], T0, 60);
    expect(store.read('IP', 'a', T0 + 59)).toBeDefined();
    store.apply('IP', 'a', [set('v', '2')], T0 + 50, 60);
    expect(store.read('IP', 'a', T0 + 109)!.values.v!.value).toBe('2');
    expect(store.read('IP', 'a', T0 + 110)).toBeUndefined();
    // A write after the record went stale starts a new record.
    store.apply('IP', 'a', [add('n', 1)], T0 + 200, 60);
    expect(store.read('IP', 'a', T0 + 200)).toEqual({
      createTime: T0 + 200,
      lastUpdateTime: T0 + 200,
      updateCounter: 1,
      timeout: 60,
      values: { n: { name: 'n', value: '1' } },
    });
  });

  it('never expires a record with timeout 0', () => {
    store.apply('GLOBAL', 'g', [set('v', '1')], T0, 0);
    expect(store.read('GLOBAL', 'g', T0 + 10 ** 9)!.values.v!.value).toBe('1');
    expect(store.sweep(T0 + 10 ** 9)).toBe(0);
    expect(store.count()).toBe(1);
  });

  it('drops single variables at their expiry time', () => {
    store.apply('IP', 'a', [set('keep', '1'), add('hits', 3), { op: 'expire', name: 'hits', at: T0 + 10 }], T0, 300);
    expect(store.read('IP', 'a', T0 + 9)!.values.hits!.value).toBe('3');
    expect(Object.keys(store.read('IP', 'a', T0 + 10)!.values)).toEqual(['keep']);
    // Incrementing an expired variable starts from 0.
    store.apply('IP', 'a', [add('hits', 1)], T0 + 11, 300);
    expect(store.read('IP', 'a', T0 + 11)!.values.hits).toEqual({ name: 'hits', value: '1' });
  });
});

describe('sweep', () => {
  it('deletes only stale records, in batches', async () => {
    await store.close();
    store = LmdbCollectionStore.open(dir, { sweepIntervalMs: 0, sweepBatchSize: 7 });
    for (let i = 0; i < 50; i++) store.apply('IP', `old${i}`, [add('n', 1)], T0, 10);
    for (let i = 0; i < 5; i++) store.apply('IP', `new${i}`, [add('n', 1)], T0 + 5, 10);
    expect(store.count()).toBe(55);
    const first = store.sweepBatch(T0 + 10);
    expect(first).toEqual({ deleted: 7, more: true });
    expect(store.sweep(T0 + 10)).toBe(43);
    expect(store.count()).toBe(5);
    expect(store.read('IP', 'new0', T0 + 10)).toBeDefined();
    expect(store.sweep(T0 + 15)).toBe(5);
    expect(store.count()).toBe(0);
    expect(store.sweepBatch(T0 + 15)).toEqual({ deleted: 0, more: false });
  });

  it('keeps a record refreshed after its first stale time and sweeps it at the new one', () => {
    store.apply('IP', 'a', [add('n', 1)], T0, 10);
    store.apply('IP', 'a', [add('n', 1)], T0 + 8, 10);
    expect(store.sweep(T0 + 10)).toBe(0);
    expect(store.read('IP', 'a', T0 + 10)!.values.n!.value).toBe('2');
    expect(store.sweep(T0 + 18)).toBe(1);
    expect(store.count()).toBe(0);
  });

  it('follows a timeout that changes between writes', () => {
    store.apply('IP', 'a', [add('n', 1)], T0, 10);
    store.apply('IP', 'a', [add('n', 1)], T0 + 1, 1000);
    expect(store.sweep(T0 + 500)).toBe(0);
    expect(store.sweep(T0 + 1001)).toBe(1);
  });
});

describe('persistence', () => {
  it('keeps records across close and reopen', async () => {
    store.apply('IP', 'a', [set('v', 'kept'), add('n', 7)], T0, 300);
    await store.close();
    store = LmdbCollectionStore.open(dir, { sweepIntervalMs: 0 });
    expect(store.read('IP', 'a', T0 + 1)!.values).toEqual({ v: { name: 'v', value: 'kept' }, n: { name: 'n', value: '7' } });
  });

  it('lives in <SecDataDir>/rampart-collections', () => {
    store.apply('IP', 'a', [set('v', '1')], T0, 300);
    expect(fs.existsSync(path.join(dir, ENVIRONMENT_DIRECTORY, 'data.mdb'))).toBe(true);
  });

  it('works with the flush durability', async () => {
    await store.close();
    store = LmdbCollectionStore.open(dir, { sweepIntervalMs: 0, durability: 'flush' });
    store.apply('IP', 'a', [add('n', 1)], T0, 300);
    store.apply('IP', 'a', [add('n', 1)], T0, 300);
    expect(store.read('IP', 'a', T0)!.values.n!.value).toBe('2');
    await store.flush();
  });

  it('refuses to be used once closed, with a clear error', async () => {
    await store.close();
    expect(() => store.read('IP', 'a', T0)).toThrow(/closed/);
    expect(() => store.apply('IP', 'a', [], T0, 1)).toThrow(/closed/);
    await store.close(); // idempotent
  });
});

describe('damaged or hostile data', () => {
  it('ignores and reports a value that is not a record', async () => {
    await store.close();
    const env = open({ path: path.join(dir, ENVIRONMENT_DIRECTORY), maxDbs: 4, overlappingSync: false });
    const records = env.openDB<unknown, string>({ name: 'records', encoding: 'msgpack' });
    records.putSync('IP\u0000bad', { createTime: 'yesterday', values: 3 });
    await env.close();
    store = LmdbCollectionStore.open(dir, { sweepIntervalMs: 0, onError: (e) => errors.push(e) });
    expect(store.read('IP', 'bad', T0)).toBeUndefined();
    expect(errors.map((e) => e.code)).toEqual(['collections-bad-record']);
    // A write replaces it with a valid record.
    store.apply('IP', 'bad', [add('n', 1)], T0, 300);
    expect(store.read('IP', 'bad', T0)!.values.n!.value).toBe('1');
  });

  it('bounds record size: new variables stop being created, existing counters keep counting', async () => {
    await store.close();
    store = LmdbCollectionStore.open(dir, { sweepIntervalMs: 0, maxRecordBytes: 2000, onError: (e) => errors.push(e) });
    store.apply('IP', 'a', [add('requests', 1)], T0, 300);
    for (let i = 0; i < 100; i++) store.apply('IP', 'a', [add('requests', 1), set(`junk${i}`, 'x'.repeat(100))], T0, 300);
    const r = store.read('IP', 'a', T0)!;
    expect(r.values.requests!.value).toBe('101');
    expect(Object.keys(r.values).length).toBeLessThan(20);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.code === 'collections-record-too-large')).toBe(true);
    expect(errors[0]!.message).toMatch(/new variables not created/);
  });

  it('drops an update that would still be too large', async () => {
    await store.close();
    store = LmdbCollectionStore.open(dir, { sweepIntervalMs: 0, maxRecordBytes: 500, onError: (e) => errors.push(e) });
    store.apply('IP', 'a', [set('v', 'small')], T0, 300);
    store.apply('IP', 'a', [set('v', 'y'.repeat(1000))], T0 + 1, 300);
    expect(store.read('IP', 'a', T0 + 1)!.values.v!.value).toBe('small');
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/update dropped/)]);
  });

  it('bounds the number of records: new ones are refused until sweeping frees room', async () => {
    await store.close();
    store = LmdbCollectionStore.open(dir, { sweepIntervalMs: 0, maxRecords: 5, onError: (e) => errors.push(e) });
    for (let i = 0; i < 5; i++) store.apply('SESSION', `s${i}`, [add('n', 1)], T0, 10);
    store.apply('SESSION', 'one-too-many', [add('n', 1)], T0, 10);
    expect(store.read('SESSION', 'one-too-many', T0)).toBeUndefined();
    expect(errors.map((e) => e.code)).toEqual(['collections-full']);
    // Existing records still update.
    store.apply('SESSION', 's0', [add('n', 1)], T0 + 5, 10);
    expect(store.read('SESSION', 's0', T0 + 5)!.values.n!.value).toBe('2');
    expect(store.sweep(T0 + 10)).toBe(4);
    // The count survives a reopen.
    await store.close();
    store = LmdbCollectionStore.open(dir, { sweepIntervalMs: 0, maxRecords: 5, onError: (e) => errors.push(e) });
    for (let i = 0; i < 4; i++) store.apply('SESSION', `t${i}`, [add('n', 1)], T0 + 10, 10);
    expect(store.count()).toBe(5);
    store.apply('SESSION', 'refused', [add('n', 1)], T0 + 10, 10);
    expect(store.read('SESSION', 'refused', T0 + 10)).toBeUndefined();
    expect(store.count()).toBe(5);
  });

  it('validates its options', () => {
    expect(() => LmdbCollectionStore.open(dir, { sweepBatchSize: 0 })).toThrow(/sweepBatchSize/);
    expect(() => LmdbCollectionStore.open(dir, { durability: 'never' as 'flush' })).toThrow(/durability/);
  });
});

describe('createCollectionStore', () => {
  it('uses memory without SecDataDir and LMDB with it', async () => {
    expect(createCollectionStore()).toBeInstanceOf(MemoryCollectionStore);
    expect(createCollectionStore('')).toBeInstanceOf(MemoryCollectionStore);
    const other = tempDataDir();
    const s = createCollectionStore(other, { sweepIntervalMs: 0 });
    try {
      expect(s).toBeInstanceOf(LmdbCollectionStore);
      s.apply('IP', 'a', [add('n', 1)], T0, 60);
      expect(store.read('IP', 'a', T0)).toBeUndefined();
      expect(s.read('IP', 'a', T0)!.values.n!.value).toBe('1');
    } finally {
      await (s as LmdbCollectionStore).close();
      removeDir(other);
    }
  });
});
