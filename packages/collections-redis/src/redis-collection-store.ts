import { readFileSync } from 'node:fs';
import Redis, { type ChainableCommander } from 'ioredis';
import { RampartError, liveRecord, type CollectionStore, type RecordOp, type StoredRecord } from '@rampart/engine';
import { APPLY_SCRIPT } from './apply-script';
import { CircuitBreaker, type BreakerState } from './circuit-breaker';
import { parseRedisUrl, type RedisConnection, type RedisUrlSettings } from './connection-url';
import { NotARecordError, decodeRecord, encodeOps, redisKey } from './record-codec';

export interface RedisCollectionStoreOptions extends RedisUrlSettings {
  connection: RedisConnection;
  /** Longest variable name written, in bytes. Default 256. */
  maxNameBytes?: number;
  /**
   * Called when the server stops or starts answering: once per change (with the reason), not once per
   * request, so it can go to a log as it is.
   */
  onStatus?: (available: boolean, detail: string) => void;
  /** Every round trip (one pipeline): how long it took and whether the server answered. */
  onRoundTrip?: (seconds: number, ok: boolean) => void;
}

export const DEFAULTS = {
  keyPrefix: 'rampart:',
  timeoutMs: 100,
  connectTimeoutMs: 2000,
  breakerFailures: 3,
  breakerResetMs: 1000,
  maxVariables: 256,
  maxValueBytes: 4096,
  maxNameBytes: 256,
} as const;

/** A command queued for the next pipeline. */
interface Queued {
  add(pipeline: ChainableCommander): void;
  settle(error: Error | null, reply: unknown): void;
}

/** The pipeline with the apply script defined on it (ioredis adds the method at run time). */
type WithApply = ChainableCommander & { rampartApply(key: string, ...args: Array<string | number>): ChainableCommander };

/** ioredis marks the server's error replies (WRONGTYPE, NOSCRIPT ...) with this name; anything else is the connection's. */
function isServerReply(e: Error): boolean {
  return e.name === 'ReplyError';
}

/**
 * Persistent collections (IP, SESSION, USER, GLOBAL, RESOURCE) on Redis or Valkey, shared by every agent of
 * every host, through ioredis without ever blocking a thread: the engine awaits reads when a rule opens a
 * record (initcol) and writes at the end of the transaction.
 *
 * - Every command a transaction issues in one go (the records one rule opens; its writes at the end) travels
 *   in one pipeline: one round trip.
 * - A write is one Lua script per record (apply-script.ts), atomic in the server: increments from all hosts
 *   add up and `expirevar` / `deprecatevar` / SecCollectionTimeout keep ModSecurity's meaning. Records expire
 *   as Redis keys one SecCollectionTimeout after their last update.
 * - Nothing waits for a dead server: commands fail at once while disconnected (no offline queue, no resending
 *   of a write that may already have been applied), after `timeoutMs` when it does not answer, and for
 *   `breakerResetMs` after `breakerFailures` failed round trips in a row (circuit breaker). A failed read or
 *   write rejects its promise; the engine then runs the transaction without that collection and lists the
 *   failure in `tx.collectionErrors`, and the integration decides (the agent: skip or fail closed).
 *
 * @example
 * // SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
 * const store = RedisCollectionStore.fromUrl('redis://redis.internal:6379/0?prefix=shop:');
 * const waf = createWaf({ files: ['/etc/rampart/main.conf'], collectionStore: store });
 * const tx = waf.newTransaction();  // ... then the *Async phase methods
 */
export class RedisCollectionStore implements CollectionStore {
  readonly label: string;
  readonly connectTimeoutMs: number;
  private readonly redis: Redis;
  private readonly breaker: CircuitBreaker;
  private readonly prefix: string;
  private readonly maxVariables: number;
  private readonly limits: { maxNameBytes: number; maxValueBytes: number };
  private queue: Queued[] = [];
  private flushScheduled = false;
  private available: boolean | undefined;
  private closed = false;

  constructor(private readonly options: RedisCollectionStoreOptions) {
    const c = options.connection;
    this.label = `${c.tls ? 'rediss' : 'redis'}://${c.host.includes(':') ? `[${c.host}]` : c.host}:${c.port}/${c.db}`;
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs;
    this.prefix = options.keyPrefix ?? DEFAULTS.keyPrefix;
    this.maxVariables = options.maxVariables ?? DEFAULTS.maxVariables;
    this.limits = { maxNameBytes: options.maxNameBytes ?? DEFAULTS.maxNameBytes, maxValueBytes: options.maxValueBytes ?? DEFAULTS.maxValueBytes };
    this.breaker = new CircuitBreaker(options.breakerFailures ?? DEFAULTS.breakerFailures, options.breakerResetMs ?? DEFAULTS.breakerResetMs);
    this.redis = new Redis({
      host: c.host,
      port: c.port,
      db: c.db,
      ...(c.username !== undefined ? { username: c.username } : {}),
      ...(c.password !== undefined ? { password: c.password } : {}),
      ...(c.tls ? { tls: { servername: c.host, ...(c.caFile !== undefined ? { ca: [readFileSync(c.caFile)] } : {}) } } : {}),
      connectionName: 'rampart',
      // RESP2: every Redis-protocol server since Redis 2.6 speaks it, and nothing here needs RESP3.
      protocol: 2,
      connectTimeout: this.connectTimeoutMs,
      commandTimeout: options.timeoutMs ?? DEFAULTS.timeoutMs,
      // Fail at once while disconnected, and never send a command again after a reconnect: a write whose
      // answer was lost may have been applied, and applying it twice would count a request twice.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      retryStrategy: (attempt) => Math.min(50 * attempt, 1000),
    });
    this.redis.defineCommand('rampartApply', { numberOfKeys: 1, lua: APPLY_SCRIPT });
    this.redis.on('ready', () => {
      this.breaker.success();
      this.setAvailable(true, 'connected');
    });
    this.redis.on('error', (e: Error) => this.setAvailable(false, e.message));
    this.redis.on('close', () => {
      if (!this.closed) this.setAvailable(false, 'connection closed');
    });
  }

  /** A store for `redis://[user:password@]host:port/db?prefix=...` (see parseRedisUrl). */
  static fromUrl(url: string, extra: Omit<RedisCollectionStoreOptions, 'connection'> = {}, passwordFromEnv?: string): RedisCollectionStore {
    const { connection, settings } = parseRedisUrl(url, passwordFromEnv);
    return new RedisCollectionStore({ ...settings, ...extra, connection });
  }

  /** Resolves once connected (true), or false when `ms` passed first or the store is closed. */
  whenConnected(ms: number): Promise<boolean> {
    if (this.redis.status === 'ready') return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        this.redis.off('ready', onReady);
        resolve(ok);
      };
      const onReady = (): void => done(true);
      const timer = setTimeout(() => done(false), ms);
      this.redis.on('ready', onReady);
    });
  }

  /** Asks the server to answer (PING), bypassing the breaker: for start-up checks. */
  async ping(): Promise<void> {
    const answer = await this.redis.ping();
    if (answer !== 'PONG') throw new RampartError('collections-unreachable', `${this.label} answered PING with ${JSON.stringify(answer)}`);
  }

  get breakerState(): BreakerState {
    return this.breaker.state;
  }

  read(collection: string, key: string, now: number): Promise<StoredRecord | undefined> {
    const id = redisKey(this.prefix, collection, key);
    return this.enqueue(
      (p) => p.hgetall(id),
      (reply) => {
        try {
          return liveRecord(decodeRecord(reply as Record<string, string>), now);
        } catch (e) {
          if (e instanceof NotARecordError) throw new RampartError('collection-bad-record', `${id} is not a collection record (${e.message})`);
          throw e;
        }
      },
    );
  }

  apply(collection: string, key: string, ops: readonly RecordOp[], now: number, timeout: number): Promise<void> {
    if (!Number.isInteger(now) || !Number.isInteger(timeout) || timeout < 0) {
      return Promise.reject(new TypeError(`apply needs whole seconds for now and a timeout >= 0, got now=${now}, timeout=${timeout}`));
    }
    const id = redisKey(this.prefix, collection, key);
    const { args, dropped } = encodeOps(ops, this.limits);
    return this.enqueue(
      (p) => (p as WithApply).rampartApply(id, now, timeout, this.maxVariables, ...args),
      (reply) => {
        const total = dropped + Number(reply);
        if (total > 0) {
          throw new RampartError(
            'collection-limit',
            `${total} of ${ops.length} change(s) to ${id} dropped: a record holds at most ${this.maxVariables} variables, names ${this.limits.maxNameBytes} bytes, values ${this.limits.maxValueBytes} bytes`,
          );
        }
      },
    );
  }

  /** Closes the connection after the commands already sent are answered. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  private enqueue<T>(add: (p: ChainableCommander) => void, decode: (reply: unknown) => T): Promise<T> {
    if (this.closed) return Promise.reject(new RampartError('collections-closed', `the collection store ${this.label} is closed`));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        add,
        settle: (error, reply) => {
          if (error) {
            reject(error);
            return;
          }
          try {
            resolve(decode(reply));
          } catch (e) {
            reject(e);
          }
        },
      });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // After the synchronous code that queued this (the rule that opened several records, or the end of a
        // transaction writing all of them): everything queued until then goes in one pipeline.
        process.nextTick(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    if (!this.breaker.allows()) {
      const error = new RampartError('collections-unavailable', `${this.label} is not answering (circuit open; next attempt in ${Math.ceil(this.breaker.retryInMs())} ms)`);
      for (const q of batch) q.settle(error, undefined);
      return;
    }
    const pipeline = this.redis.pipeline();
    for (const q of batch) q.add(pipeline);
    const started = performance.now();
    pipeline.exec().then(
      (results) => {
        let transportError: Error | undefined;
        batch.forEach((q, i) => {
          const [error, reply] = results?.[i] ?? [new Error('no reply'), undefined];
          if (error && !isServerReply(error)) transportError ??= error;
          q.settle(error ? this.wrap(error) : null, reply);
        });
        this.finished(started, transportError);
      },
      (e: unknown) => {
        const error = e instanceof Error ? e : new Error(String(e));
        for (const q of batch) q.settle(this.wrap(error), undefined);
        this.finished(started, error);
      },
    );
  }

  private finished(started: number, transportError: Error | undefined): void {
    this.options.onRoundTrip?.((performance.now() - started) / 1000, transportError === undefined);
    if (transportError === undefined) {
      this.breaker.success();
      this.setAvailable(true, 'answering');
    } else {
      this.breaker.failure();
      this.setAvailable(false, transportError.message);
    }
  }

  private wrap(e: Error): RampartError {
    if (e instanceof RampartError) return e;
    return new RampartError(isServerReply(e) ? 'collections-server-error' : 'collections-unavailable', `${this.label}: ${e.message}`);
  }

  private setAvailable(available: boolean, detail: string): void {
    if (this.available === available) return;
    // The first news is only worth telling when it is bad: "connected" at start-up is the normal case.
    const first = this.available === undefined;
    this.available = available;
    if (!first || !available) this.options.onStatus?.(available, `${this.label}: ${detail}`);
  }
}
