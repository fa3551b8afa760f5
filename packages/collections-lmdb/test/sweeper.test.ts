import { LmdbCollectionStore, Sweeper, type Sweepable } from '../src';
import { T0, removeDir, tempDataDir } from './helpers';

describe('Sweeper', () => {
  it('stops a tick once its time budget is spent, and resumes on the next tick', () => {
    // A fake monotonic clock: each batch "takes" 3 ms, so a 20 ms budget allows exactly 7 batches per tick
    // (the budget is checked after each batch). No wall-clock timing is asserted.
    let now = 0;
    let batches = 0;
    const endless: Sweepable = {
      isClosed: false,
      sweepBatch: () => {
        batches++;
        now += 3;
        return { deleted: 3, more: true };
      },
    };
    const sweeper = new Sweeper(endless, () => T0, 60_000, 20, () => undefined, () => now);
    try {
      const deleted = sweeper.tick();
      expect(batches).toBe(7);
      expect(deleted).toBe(21);
      sweeper.tick();
      expect(batches).toBe(14);
    } finally {
      sweeper.stop();
    }
  });

  it('runs batches until nothing is due', () => {
    const remaining = [5, 5, 2];
    const store: Sweepable = {
      isClosed: false,
      sweepBatch: () => {
        const n = remaining.shift() ?? 0;
        return { deleted: n, more: remaining.length > 0 };
      },
    };
    const sweeper = new Sweeper(store, () => T0, 60_000, 1000, () => undefined);
    expect(sweeper.tick()).toBe(12);
    expect(sweeper.tick()).toBe(0);
    sweeper.stop();
  });

  it('reports a failing batch instead of throwing from the timer', () => {
    const errors: unknown[] = [];
    const broken: Sweepable = {
      isClosed: false,
      sweepBatch: () => {
        throw new Error('disk gone');
      },
    };
    const sweeper = new Sweeper(broken, () => T0, 60_000, 5, (e) => errors.push(e));
    expect(sweeper.tick()).toBe(0);
    expect(errors).toEqual([new Error('disk gone')]);
    sweeper.stop();
  });
});

describe('the store background sweeper', () => {
  it('deletes stale records on its timer with the injected clock', async () => {
    const dir = tempDataDir();
    let now = T0;
    const store = LmdbCollectionStore.open(dir, { sweepIntervalMs: 20, sweepBatchSize: 10, clock: () => now });
    try {
      for (let i = 0; i < 35; i++) store.apply('IP', `stale${i}`, [{ op: 'add', name: 'n', delta: 1 }], T0, 30);
      store.apply('IP', 'alive', [{ op: 'add', name: 'n', delta: 1 }], T0 + 100, 30);
      await new Promise((r) => setTimeout(r, 100));
      expect(store.count()).toBe(36); // nothing is stale yet at T0
      now = T0 + 30;
      const deadline = Date.now() + 5000;
      while (store.count() > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(store.count()).toBe(1);
      expect(store.read('IP', 'alive', now)).toBeDefined();
    } finally {
      await store.close();
      removeDir(dir);
    }
  });
});
