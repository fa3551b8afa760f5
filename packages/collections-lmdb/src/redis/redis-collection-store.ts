import { RampartError, applyOps, liveRecord, type CollectionStore, type RecordOp, type StoredRecord } from '@rampart/engine';
import { recordKey } from '../record-key';
import { isStoredRecord, staleAt } from '../record-shape';
import { ThrottledReporter } from '../throttled-reporter';
import { RespError, type RespReply } from './resp';
import { SyncRedisConnection } from './sync-connection';

export interface RedisCollectionStoreOptions {
  host?: string;
  port?: number;
  /** Prefix of every key this store writes. Default `rampart:`. */
  keyPrefix?: string;
  /** Longest a read or write may block the request, in milliseconds; then the store fails open. Default 100. */
  timeoutMs?: number;
  /** After a failure, how long calls fail at once before reconnecting is tried again. Default 1000. */
  reconnectDelayMs?: number;
  /** Optimistic-transaction attempts per write before it is dropped (and reported). Default 16. */
  maxAttempts?: number;
  /** Largest encoded record, in bytes; larger updates are dropped. Default 64 KiB. */
  maxRecordBytes?: number;
  /** Receives problems, at most one per error code per second. Default: a process warning. */
  onError?: (error: RampartError) => void;
}

/**
 * Persistent collections on a Redis-protocol server (Redis, Valkey, KeyDB...), shared by a fleet of agents.
 * Each record is one JSON string key. `apply` is an optimistic transaction (WATCH, GET, then MULTI / SET /
 * PEXPIRE / EXEC, retried when another client changed the record in between) computing the new record with
 * the engine's own `applyOps`, so semantics match the LMDB and in-memory stores exactly. Whole records expire
 * in the server (PEXPIRE from SecCollectionTimeout), so there is nothing to sweep.
 *
 * The CollectionStore contract is synchronous: every call blocks the calling thread for one or two round
 * trips (see `SyncRedisConnection`). Unreachable servers make the store fail open (reads see nothing, writes
 * are dropped), reported through `onError`.
 *
 * @example
 * // SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
 * const store = RedisCollectionStore.connect({ host: 'redis.internal', port: 6379 });
 * const waf = createWaf({ directives, collectionStore: store });
 */
export class RedisCollectionStore implements CollectionStore {
  private readonly reporter: ThrottledReporter;
  private closed = false;

  private constructor(
    private readonly connection: SyncRedisConnection,
    private readonly prefix: string,
    private readonly maxAttempts: number,
    private readonly maxRecordBytes: number,
    onError: ((error: RampartError) => void) | undefined,
  ) {
    this.reporter = new ThrottledReporter((e) => (onError ? onError(e) : process.emitWarning(e.message, { code: e.code })), 1000);
  }

  /** Connects (blocking up to `timeoutMs`) and checks the server answers; throws when it does not. */
  static connect(options: RedisCollectionStoreOptions = {}): RedisCollectionStore {
    const host = options.host ?? '127.0.0.1';
    const port = options.port ?? 6379;
    const connection = new SyncRedisConnection({ host, port, timeoutMs: options.timeoutMs ?? 100, reconnectDelayMs: options.reconnectDelayMs ?? 1000 });
    const store = new RedisCollectionStore(connection, options.keyPrefix ?? 'rampart:', options.maxAttempts ?? 16, options.maxRecordBytes ?? 64 * 1024, options.onError);
    let pong: RespReply | undefined;
    try {
      [pong] = connection.call([['PING']]);
    } catch (e) {
      void connection.close();
      throw new RampartError('collections-redis-unreachable', `Redis at ${host}:${port}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (pong !== 'PONG') {
      void connection.close();
      throw new RampartError('collections-redis-unreachable', `Redis at ${host}:${port} answered PING with ${JSON.stringify(pong)}`);
    }
    return store;
  }

  read(collection: string, key: string, now: number): StoredRecord | undefined {
    this.assertOpen();
    const id = this.key(collection, key);
    try {
      const [raw] = this.connection.call([['GET', id]]);
      return liveRecord(this.decode(id, check(raw)), now);
    } catch (e) {
      this.report(e);
      return undefined;
    }
  }

  apply(collection: string, key: string, ops: readonly RecordOp[], now: number, timeout: number): void {
    this.assertOpen();
    if (!Number.isFinite(now) || !Number.isFinite(timeout) || timeout < 0) {
      throw new TypeError(`apply needs a finite now and a timeout >= 0, got now=${now}, timeout=${timeout}`);
    }
    const id = this.key(collection, key);
    try {
      for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
        const [watched, raw] = this.connection.call([['WATCH', id], ['GET', id]]);
        check(watched);
        const current = liveRecord(this.decode(id, check(raw)), now) ?? { createTime: now, lastUpdateTime: now, updateCounter: 0, timeout, values: {} };
        current.timeout = timeout;
        const next = applyOps(current, ops, now);
        const json = JSON.stringify(next);
        if (Buffer.byteLength(json, 'utf8') > this.maxRecordBytes) {
          this.connection.call([['UNWATCH']]);
          this.report(new RampartError('collections-record-too-large', `record ${id} would exceed maxRecordBytes ${this.maxRecordBytes}: update dropped`));
          return;
        }
        const at = staleAt(next);
        // Relative expiry: the server's clock starts it, so agents' and server's clocks need not agree.
        const expiry = at === undefined ? ['PERSIST', id] : ['PEXPIRE', id, String(Math.max(1, (at - now) * 1000))];
        const replies = this.connection.call([['MULTI'], ['SET', id, json], expiry, ['EXEC']]);
        for (const r of replies.slice(0, 3)) check(r);
        const exec = check(replies[3]);
        if (exec === null) continue; // another client wrote the record since WATCH: retry on the new version
        if (Array.isArray(exec)) for (const r of exec) check(r);
        return;
      }
      this.report(new RampartError('collections-conflict', `record ${id}: still contended after ${this.maxAttempts} attempts; update dropped`));
    } catch (e) {
      // A half-done WATCH / MULTI must not leak into the next call: start over on a fresh connection.
      this.connection.reset();
      this.report(e);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.connection.close();
  }

  private key(collection: string, key: string): string {
    return `${this.prefix}${recordKey(collection, key)}`;
  }

  private decode(id: string, raw: RespReply): StoredRecord | undefined {
    if (raw === null) return undefined;
    let value: unknown;
    try {
      value = typeof raw === 'string' ? JSON.parse(raw) : undefined;
    } catch {
      value = undefined;
    }
    if (isStoredRecord(value)) return value;
    this.report(new RampartError('collections-bad-record', `record ${id} is not a collection record; ignored`));
    return undefined;
  }

  private assertOpen(): void {
    if (this.closed) throw new RampartError('collections-closed', 'the Redis collection store is closed');
  }

  private report(e: unknown): void {
    this.reporter.report(e instanceof RampartError ? e : new RampartError('collections-storage', `Redis collection store: ${e instanceof Error ? e.message : String(e)}`));
  }
}

/** Error replies become exceptions (the caller fails open); other replies pass through. */
function check(reply: RespReply | undefined): RespReply {
  if (reply instanceof RespError) throw new Error(`Redis: ${reply.message}`);
  if (reply === undefined) throw new Error('Redis: missing reply');
  return reply;
}
