import { MemoryCollectionStore, type RecordOp, type StoredRecord } from '@rampart/engine';
import { RedisCollectionStore, redisKey } from '../src';
import { rawCommand, startRedisServer, type RedisServer } from './helpers/redis-server';

const NOW = 1_767_225_600;

let server: RedisServer;
const stores: RedisCollectionStore[] = [];

/** A store on `url`; its timeout is generous (the machine may be loaded) unless a test is about timeouts. */
function store(extra: Partial<ConstructorParameters<typeof RedisCollectionStore>[0]> = {}, url = server.url): RedisCollectionStore {
  const s = RedisCollectionStore.fromUrl(url, { timeoutMs: 5000, ...extra });
  stores.push(s);
  return s;
}

async function connected(s: RedisCollectionStore): Promise<RedisCollectionStore> {
  expect(await s.whenConnected(5000)).toBe(true);
  return s;
}

beforeAll(async () => {
  // No fsync per write here (the machine's disk may be busy); the test of a killed server has its own, durable one.
  server = await startRedisServer({ durable: false });
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  await rawCommand(server.port, 'FLUSHALL');
});
afterAll(async () => {
  await server.stop();
});

/** The same ops through the engine's applyOps (in-memory store) and through the Lua script. */
async function both(steps: Array<{ ops: RecordOp[]; now: number; timeout?: number }>, readAt: number): Promise<[StoredRecord | undefined, StoredRecord | undefined]> {
  const memory = new MemoryCollectionStore();
  const redis = await connected(store());
  for (const s of steps) {
    memory.apply('IP', '192.0.2.1', s.ops, s.now, s.timeout ?? 3600);
    await redis.apply('IP', '192.0.2.1', s.ops, s.now, s.timeout ?? 3600);
  }
  return [memory.read('IP', '192.0.2.1', readAt), await redis.read('IP', '192.0.2.1', readAt)];
}

describe('the apply script keeps the engine\'s semantics (compared with applyOps)', () => {
  test.each<[string, Array<{ ops: RecordOp[]; now: number; timeout?: number }>, number]>([
    ['set, add and subtract', [{ ops: [{ op: 'set', name: 'requests', value: '0' }], now: NOW }, { ops: [{ op: 'add', name: 'requests', delta: 1 }], now: NOW + 1 }, { ops: [{ op: 'add', name: 'requests', delta: -3 }], now: NOW + 2 }], NOW + 3],
    ['add to a missing or non-numeric value counts from its leading integer, else 0', [{ ops: [{ op: 'set', name: 'a', value: ' 12abc' }, { op: 'set', name: 'b', value: 'x' }], now: NOW }, { ops: [{ op: 'add', name: 'a', delta: 1 }, { op: 'add', name: 'b', delta: 2 }, { op: 'add', name: 'c', delta: 3 }], now: NOW }], NOW],
    ['names keep their case for display and match case-insensitively', [{ ops: [{ op: 'set', name: 'Score', value: '5' }], now: NOW }, { ops: [{ op: 'add', name: 'SCORE', delta: 2 }], now: NOW + 1 }], NOW + 2],
    ['delete', [{ ops: [{ op: 'set', name: 'a', value: '1' }, { op: 'set', name: 'b', value: '2' }], now: NOW }, { ops: [{ op: 'delete', name: 'A' }], now: NOW + 1 }], NOW + 2],
    ['expirevar hides the variable from its expiry on; a new value keeps the expiry', [{ ops: [{ op: 'set', name: 'blocked', value: '1' }], now: NOW }, { ops: [{ op: 'expire', name: 'blocked', at: NOW + 60 }, { op: 'set', name: 'blocked', value: '2' }], now: NOW + 10 }], NOW + 59],
    ['an expired variable is gone', [{ ops: [{ op: 'set', name: 'blocked', value: '1' }], now: NOW }, { ops: [{ op: 'expire', name: 'blocked', at: NOW + 60 }], now: NOW + 10 }], NOW + 60],
    ['adding to an expired variable starts from 0 without the old expiry', [{ ops: [{ op: 'set', name: 'n', value: '7' }, { op: 'expire', name: 'n', at: NOW + 5 }], now: NOW }, { ops: [{ op: 'add', name: 'n', delta: 1 }], now: NOW + 6 }], NOW + 7],
    ['expirevar on a missing variable does nothing', [{ ops: [{ op: 'expire', name: 'n', at: NOW + 5 }, { op: 'add', name: 'n', delta: 1 }], now: NOW }], NOW + 10],
    ['deprecatevar lowers by N for every whole period since the last update, never below 0', [{ ops: [{ op: 'set', name: 'score', value: '100' }, { op: 'set', name: 'low', value: '10' }], now: NOW }, { ops: [{ op: 'deprecate', name: 'score', amount: 20, everySeconds: 300 }, { op: 'deprecate', name: 'low', amount: 20, everySeconds: 300 }], now: NOW + 650 }], NOW + 651],
    ['deprecatevar within the period changes nothing', [{ ops: [{ op: 'set', name: 'score', value: '100' }], now: NOW }, { ops: [{ op: 'deprecate', name: 'score', amount: 20, everySeconds: 300 }], now: NOW + 299 }], NOW + 300],
    ['a record untouched for its timeout is stale and starts again', [{ ops: [{ op: 'add', name: 'n', delta: 5 }], now: NOW, timeout: 600 }, { ops: [{ op: 'add', name: 'n', delta: 1 }], now: NOW + 600, timeout: 600 }], NOW + 601],
    ['UPDATE_COUNTER, CREATE_TIME and LAST_UPDATE_TIME', [{ ops: [{ op: 'add', name: 'n', delta: 1 }], now: NOW }, { ops: [{ op: 'add', name: 'n', delta: 1 }], now: NOW + 30 }, { ops: [{ op: 'add', name: 'n', delta: 1 }], now: NOW + 40 }], NOW + 50],
    ['latin1 bytes in names and values survive', [{ ops: [{ op: 'set', name: 'caf\u00e9', value: '\u00ff\u0000\u0080' }], now: NOW }], NOW + 1],
  ])('%s', async (_name, steps, readAt) => {
    const [expected, actual] = await both(steps, readAt);
    expect(actual).toEqual(expected);
  });

  test('a read of a stale record sees nothing', async () => {
    const [expected, actual] = await both([{ ops: [{ op: 'set', name: 'a', value: '1' }], now: NOW, timeout: 100 }], NOW + 100);
    expect(expected).toBeUndefined();
    expect(actual).toBeUndefined();
  });
});

describe('RedisCollectionStore against a real redis-server', () => {
  test('increments from several clients at once are all counted (atomic in the server)', async () => {
    const clients = await Promise.all([1, 2, 3, 4].map(() => connected(store())));
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 250; i++) for (const c of clients) writes.push(c.apply('IP', 'shared', [{ op: 'add', name: 'requests', delta: 1 }], NOW, 3600));
    await Promise.all(writes);
    expect((await clients[0]!.read('IP', 'shared', NOW))?.values.requests?.value).toBe('1000');
    expect((await clients[0]!.read('IP', 'shared', NOW))?.updateCounter).toBe(1000);
  });

  test('reads and writes issued together travel in one round trip', async () => {
    const trips: boolean[] = [];
    const s = await connected(store({ onRoundTrip: (_seconds, ok) => trips.push(ok) }));
    await Promise.all([s.read('IP', 'a', NOW), s.read('GLOBAL', 'global', NOW), s.read('SESSION', 'x', NOW)]);
    expect(trips).toEqual([true]);
    await Promise.all([s.apply('IP', 'a', [{ op: 'add', name: 'n', delta: 1 }], NOW, 60), s.apply('GLOBAL', 'global', [{ op: 'add', name: 'n', delta: 1 }], NOW, 60)]);
    expect(trips).toEqual([true, true]);
  });

  test('a record expires in Redis one SecCollectionTimeout after its last update; timeout 0 keeps it', async () => {
    const s = await connected(store());
    await s.apply('IP', 'a', [{ op: 'set', name: 'x', value: '1' }], NOW, 60);
    const ttl = Number((await rawCommand(server.port, `TTL ${redisKey('rampart:', 'IP', 'a')}`)).slice(1));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
    await s.apply('IP', 'b', [{ op: 'set', name: 'x', value: '1' }], NOW, 0);
    expect(await rawCommand(server.port, `TTL ${redisKey('rampart:', 'IP', 'b')}`)).toBe(':-1\r\n');
  });

  test('keys: the prefix and database separate deployments; long keys are stored under their digest', async () => {
    const a = await connected(store({ keyPrefix: 'a:' }));
    const b = await connected(store({ keyPrefix: 'b:' }));
    const other = await connected(store({}, `redis://127.0.0.1:${server.port}/1`));
    await a.apply('IP', 'k', [{ op: 'set', name: 'x', value: 'a' }], NOW, 60);
    expect(await b.read('IP', 'k', NOW)).toBeUndefined();
    expect(await other.read('IP', 'k', NOW)).toBeUndefined();
    expect((await a.read('IP', 'k', NOW))?.values.x?.value).toBe('a');
    const long = 's'.repeat(1000);
    await a.apply('SESSION', long, [{ op: 'set', name: 'x', value: '1' }], NOW, 60);
    expect((await a.read('SESSION', long, NOW))?.values.x?.value).toBe('1');
    expect(redisKey('a:', 'SESSION', long)).toMatch(/^a:SESSION#[0-9a-f]{64}$/);
    expect(await rawCommand(server.port, `EXISTS ${redisKey('a:', 'SESSION', long)}`)).toBe(':1\r\n');
  });

  test('a record holds at most max_variables variables; the changes past it are reported, the others applied', async () => {
    const s = await connected(store({ maxVariables: 2, maxValueBytes: 8 }));
    const ops: RecordOp[] = [
      { op: 'set', name: 'a', value: '1' },
      { op: 'set', name: 'b', value: '2' },
      { op: 'set', name: 'c', value: '3' },
      { op: 'set', name: 'a', value: 'too long a value' },
      { op: 'add', name: 'a', delta: 1 },
    ];
    await expect(s.apply('IP', 'x', ops, NOW, 60)).rejects.toMatchObject({ code: 'collection-limit', message: expect.stringMatching(/^2 of 5 change\(s\) to rampart:IP:x dropped/) });
    const r = await s.read('IP', 'x', NOW);
    expect(Object.fromEntries(Object.entries(r!.values).map(([k, v]) => [k, v.value]))).toEqual({ a: '2', b: '2' });
  });

  test('a key that is not a record is refused, not trusted', async () => {
    const s = await connected(store());
    await rawCommand(server.port, `SET ${redisKey('rampart:', 'IP', 'str')} hello`);
    await expect(s.read('IP', 'str', NOW)).rejects.toMatchObject({ code: 'collections-server-error', message: expect.stringContaining('WRONGTYPE') });
    await rawCommand(server.port, `HSET ${redisKey('rampart:', 'IP', 'hash')} _c x`);
    await expect(s.read('IP', 'hash', NOW)).rejects.toMatchObject({ code: 'collection-bad-record' });
  });

  test('authentication: a password in the URL (or from the environment) works, a wrong one is reported', async () => {
    const secured = await startRedisServer({ durable: false, args: ['--requirepass', 's3cret'] });
    try {
      const good = await connected(store({}, `redis://:s3cret@127.0.0.1:${secured.port}/0`));
      await good.apply('IP', 'a', [{ op: 'set', name: 'x', value: '1' }], NOW, 60);
      const fromEnv = RedisCollectionStore.fromUrl(`redis://127.0.0.1:${secured.port}/0`, {}, 's3cret');
      stores.push(fromEnv);
      expect((await (await connected(fromEnv)).read('IP', 'a', NOW))?.values.x?.value).toBe('1');
      const statuses: string[] = [];
      // A long connect timeout: on a busy machine the first news must be the refused password, not a slow connect.
      const bad = store({ connectTimeoutMs: 20_000, onStatus: (available, detail) => statuses.push(`${available} ${detail}`) }, `redis://:wrong@127.0.0.1:${secured.port}/0`);
      expect(await bad.whenConnected(1000)).toBe(false);
      await expect(bad.read('IP', 'a', NOW)).rejects.toMatchObject({ code: 'collections-unavailable' });
      // The reason reaches onStatus once, when the store first finds the server unusable.
      expect(statuses.filter((t) => t.startsWith('false'))).toHaveLength(1);
      expect(statuses[0]).toMatch(/^false redis:\/\/127\.0\.0\.1:\d+\/0: /);
      expect(statuses[0]).toMatch(/WRONGPASS|invalid username-password/);
    } finally {
      await Promise.all(stores.splice(0).map((s) => s.close()));
      await secured.stop();
    }
  });
});

describe('when the server goes away', () => {
  test('calls fail at once, the breaker opens, and the store recovers with the data when the server is back', async () => {
    const own = await startRedisServer();
    try {
      const statuses: string[] = [];
      const trips: boolean[] = [];
      const s = await connected(store({ breakerFailures: 2, breakerResetMs: 200, onStatus: (a) => statuses.push(a ? 'up' : 'down'), onRoundTrip: (_t, ok) => trips.push(ok) }, own.url));
      await s.apply('IP', 'a', [{ op: 'add', name: 'n', delta: 3 }], NOW, 3600);
      await own.kill();
      await expect(s.read('IP', 'a', NOW)).rejects.toMatchObject({ code: 'collections-unavailable' });
      await expect(s.apply('IP', 'a', [{ op: 'add', name: 'n', delta: 1 }], NOW, 3600)).rejects.toMatchObject({ code: 'collections-unavailable' });
      expect(s.breakerState).toBe('open');
      // While open, nothing is sent: no round trip is even attempted.
      const attempted = trips.length;
      await expect(s.read('IP', 'a', NOW)).rejects.toMatchObject({ code: 'collections-unavailable', message: expect.stringContaining('circuit open') });
      expect(trips.length).toBe(attempted);
      expect(statuses).toEqual(['down']);

      await own.start();
      expect(await s.whenConnected(10_000)).toBe(true);
      expect(statuses).toEqual(['down', 'up']);
      // Append-only file with fsync always: the acknowledged write survived the SIGKILL; the failed one was not applied.
      expect((await s.read('IP', 'a', NOW))?.values.n?.value).toBe('3');
    } finally {
      await Promise.all(stores.splice(0).map((s) => s.close()));
      await own.stop();
    }
  }, 30_000);

  test('a server that stops answering makes calls fail after timeout_ms, not hang', async () => {
    const own = await startRedisServer({ durable: false });
    const pid = own.pid();
    try {
      const s = await connected(store({ timeoutMs: 50 }, own.url));
      await s.read('IP', 'a', NOW);
      process.kill(pid, 'SIGSTOP');
      await expect(s.read('IP', 'a', NOW)).rejects.toMatchObject({ code: 'collections-unavailable', message: expect.stringMatching(/timed out/i) });
      process.kill(pid, 'SIGCONT');
    } finally {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // already running or gone
      }
      await Promise.all(stores.splice(0).map((s) => s.close()));
      await own.stop();
    }
  }, 30_000);
});
