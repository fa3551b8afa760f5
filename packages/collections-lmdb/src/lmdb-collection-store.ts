import * as fs from 'node:fs';
import * as path from 'node:path';
import { open, TransactionFlags, type Database, type RootDatabase } from 'lmdb';
import { RampartError, applyOps, liveRecord, type CollectionStore, type RecordOp, type StoredRecord } from '@rampart/engine';
import { checkDataFile, checkDataFileFd, verifyInChild } from './environment-check';
import { recordKey } from './record-key';
import { isStoredRecord, staleAt } from './record-shape';
import { Sweeper } from './sweeper';
import { ThrottledReporter } from './throttled-reporter';

/**
 * How far a commit goes before `apply` returns.
 * - `commit`: committed and visible to every process, in the OS page cache: a `kill -9` of any process loses
 *   nothing already applied; an OS crash or power loss can lose the last `syncIntervalMs` of updates (LMDB keeps
 *   the database consistent on file systems that preserve write order). About 25-50 µs per update.
 * - `flush`: each commit is also fsync'ed before `apply` returns: survives power loss, costs a disk flush
 *   (milliseconds on most disks) on the request path.
 */
export type Durability = 'commit' | 'flush';

export interface LmdbCollectionStoreOptions {
  /** Default `commit`; see {@link Durability}. */
  durability?: Durability;
  /** With `commit` durability: how often the environment is flushed to disk, off the main thread; 0 never. Default 1000. */
  syncIntervalMs?: number;
  /** How often the background sweeper runs; 0 disables it (call `sweep` yourself). Default 1000. */
  sweepIntervalMs?: number;
  /** Records deleted per write transaction while sweeping; keeps the write lock short. Default 50. */
  sweepBatchSize?: number;
  /** Upper bound on one sweeper tick, in milliseconds; the rest waits for the next tick. Default 5. */
  sweepBudgetMs?: number;
  /** Seconds since the epoch, for the background sweeper (tests inject one). Default: the system clock. */
  clock?: () => number;
  /**
   * Largest encoded record, in bytes. A write that would grow a record past it creates no new variables (so
   * existing counters keep counting), and is dropped if still too large. Default 64 KiB: every update rewrites
   * the whole record under the write lock, so a bloated record would slow every worker, not just its client.
   */
  maxRecordBytes?: number;
  /**
   * Most records kept. A write that would create one more is dropped (existing records keep updating) until
   * sweeping frees room: a client sending a new session id per request cannot fill the disk. Default 1,000,000.
   */
  maxRecords?: number;
  /**
   * Receives storage problems, at most one per error code per second; the request path never throws because
   * of the store. Default: a process warning.
   */
  onError?: (error: RampartError) => void;
  /**
   * What `open` does with an environment that is corrupt (its meta pages are wrong, or reading it in a child
   * process crashed or failed): `fail` (default) throws a RampartError `collections-corrupt` naming the file and
   * what to do; `reset` renames `data.mdb` to `data.mdb.corrupt-<time>`, reports it, and starts empty.
   */
  onCorrupt?: 'fail' | 'reset';
  /**
   * How `open` checks an existing environment: `full` (default) also reads every record in a child process,
   * where a crash of LMDB costs nothing; `meta` checks only the meta pages (no child process).
   */
  verify?: 'full' | 'meta';
  /**
   * Mode of the files LMDB creates (`data.mdb`, `lock.mdb`; the directory gets the matching search bits), and
   * the most an existing file may allow (more is tightened, and reported). Default 0o600: the records hold
   * client addresses and session ids. 0o640 lets the group read them.
   */
  fileMode?: number;
}

type ResolvedOptions = Required<Omit<LmdbCollectionStoreOptions, 'onError' | 'clock'>> &
  Pick<LmdbCollectionStoreOptions, 'onError' | 'clock'>;

const DATA_FILE = 'data.mdb';
const LOCK_FILE = 'lock.mdb';

/** What lmdb-js does by default for `transactionSync`: abortable, committed and flushed before returning. */
const TXN_DEFAULT = TransactionFlags.ABORTABLE | TransactionFlags.SYNCHRONOUS_COMMIT;
/** The same, but returning once committed (visible to all processes) without waiting for the disk. */
const TXN_NO_FLUSH = TXN_DEFAULT | TransactionFlags.NO_SYNC_FLUSH;

const RECORD_COUNT = 'recordCount';

/** The environment directory inside SecDataDir. */
export const ENVIRONMENT_DIRECTORY = 'rampart-collections';

/**
 * Persistent collections (IP, SESSION, USER, GLOBAL, RESOURCE) in one LMDB environment under SecDataDir,
 * shared by every worker thread and process of the host. `apply` is one LMDB write transaction: LMDB
 * serialises writers across processes with its own lock, and the ops are applied to the latest committed
 * record inside it, so concurrent increments never get lost.
 *
 * @example
 * // SecDataDir /var/lib/rampart
 * // SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR},setvar:ip.requests=+1,expirevar:ip.requests=60"
 * const store = LmdbCollectionStore.open('/var/lib/rampart');
 * const waf = createWaf({ directives, collectionStore: store });
 */
export class LmdbCollectionStore implements CollectionStore {
  private readonly sweeper: Sweeper | undefined;
  private readonly syncTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly reporter: ThrottledReporter;
  /** Set when the file changed under the open environment: LMDB is never touched again. */
  private unavailable: string | undefined;
  /** The largest size data.mdb had: LMDB never shrinks it. */
  private dataFileSize = 0;

  private constructor(
    readonly directory: string,
    private readonly env: RootDatabase,
    private readonly records: Database<StoredRecord, string>,
    /** Stale-time index: key `[staleAt, recordKey]`, so sweeping reads only what is due. */
    private readonly expiry: Database<true, [number, string]>,
    /** `recordCount`: kept in the same transactions as the records, so `maxRecords` costs no scan. */
    private readonly meta: Database<number, string>,
    private readonly options: ResolvedOptions,
    /** A read-only descriptor of data.mdb, to check its meta pages before each use. */
    private readonly guardFd: number,
  ) {
    this.reporter = new ThrottledReporter((e) => {
      if (options.onError) options.onError(e);
      else process.emitWarning(e.message, { code: e.code });
    }, 1000);
    this.txnFlags = options.durability === 'flush' ? TXN_DEFAULT : TXN_NO_FLUSH;
    if (options.durability === 'commit' && options.syncIntervalMs > 0) {
      this.syncTimer = setInterval(() => this.flushInBackground(), options.syncIntervalMs);
      this.syncTimer.unref();
    }
    if (options.sweepIntervalMs > 0) {
      const clock = options.clock ?? (() => Math.floor(Date.now() / 1000));
      this.sweeper = new Sweeper(this, clock, options.sweepIntervalMs, options.sweepBudgetMs, (e) => this.report(e));
    }
  }

  private readonly txnFlags: TransactionFlags;

  /**
   * Opens (creating if needed) the environment `<dataDir>/rampart-collections`. Every process and worker that
   * opens the same SecDataDir shares the records.
   */
  static open(dataDir: string, options: LmdbCollectionStoreOptions = {}): LmdbCollectionStore {
    const resolved: ResolvedOptions = {
      durability: options.durability ?? 'commit',
      syncIntervalMs: options.syncIntervalMs ?? 1000,
      sweepIntervalMs: options.sweepIntervalMs ?? 1000,
      sweepBatchSize: positive(options.sweepBatchSize ?? 50, 'sweepBatchSize'),
      sweepBudgetMs: positive(options.sweepBudgetMs ?? 5, 'sweepBudgetMs'),
      maxRecordBytes: positive(options.maxRecordBytes ?? 64 * 1024, 'maxRecordBytes'),
      maxRecords: positive(options.maxRecords ?? 1_000_000, 'maxRecords'),
      onCorrupt: options.onCorrupt ?? 'fail',
      verify: options.verify ?? 'full',
      fileMode: options.fileMode ?? 0o600,
      onError: options.onError,
      clock: options.clock,
    };
    if (resolved.onCorrupt !== 'fail' && resolved.onCorrupt !== 'reset') throw new RampartError('collections-options', `onCorrupt must be 'fail' or 'reset', not '${String(resolved.onCorrupt)}'`);
    if (resolved.durability !== 'commit' && resolved.durability !== 'flush') {
      throw new RampartError('collections-options', `durability must be 'commit' or 'flush', not '${String(resolved.durability)}'`);
    }
    const directory = path.join(path.resolve(dataDir), ENVIRONMENT_DIRECTORY);
    const report = (e: RampartError): void => (resolved.onError ? resolved.onError(e) : process.emitWarning(e.message, { code: e.code }));
    // Search bits go with the read bits: 0o600 -> 0o700, 0o640 -> 0o750.
    fs.mkdirSync(directory, { recursive: true, mode: resolved.fileMode | ((resolved.fileMode & 0o444) >> 2) });
    withEnvironmentLock(directory, () => checkEnvironment(directory, resolved, report));
    const dataFile = path.join(directory, DATA_FILE);
    for (const f of [dataFile, path.join(directory, LOCK_FILE)]) restrictMode(f, resolved.fileMode, report);
    // overlappingSync makes every synchronous commit wait for the previous commit's flush (milliseconds per
    // request); without it, a commit flagged no-sync returns as soon as it is visible to other processes.
    const env = open({ path: directory, maxDbs: 4, overlappingSync: false, noSync: false });
    const guardFd = fs.openSync(dataFile, fs.constants.O_RDONLY);
    const records = env.openDB<StoredRecord, string>({ name: 'records', encoding: 'msgpack' });
    const expiry = env.openDB<true, [number, string]>({ name: 'expiry', encoding: 'msgpack' });
    const meta = env.openDB<number, string>({ name: 'meta', encoding: 'msgpack' });
    env.transactionSync(() => {
      if (typeof meta.get(RECORD_COUNT) !== 'number') meta.putSync(RECORD_COUNT, records.getCount());
    });
    return new LmdbCollectionStore(directory, env, records, expiry, meta, resolved, guardFd);
  }

  /**
   * Whether LMDB may be used now: the meta pages of data.mdb are checked before each use, because a file
   * overwritten or truncated under the open environment makes the next LMDB call die of an assertion or SIGBUS
   * (no exception). Once it fails the store stays unavailable (reads find nothing, writes are dropped, counted
   * through onError) until it is opened again (agent restart or reload).
   */
  private usable(): boolean {
    if (this.unavailable !== undefined) return false;
    let problem: string | undefined;
    try {
      problem = checkDataFileFd(this.guardFd, this.dataFileSize);
      if (problem === undefined) this.dataFileSize = Math.max(this.dataFileSize, fs.fstatSync(this.guardFd).size);
    } catch (e) {
      problem = e instanceof Error ? e.message : String(e);
    }
    if (problem === undefined) return true;
    this.unavailable = problem;
    this.sweeper?.stop();
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.report(new RampartError('collections-unavailable', `collection store ${path.join(this.directory, DATA_FILE)} changed under the agent (${problem}): persistent collections are unavailable until the agent restarts or reloads (LMDB is not touched again)`));
    return false;
  }

  /** Why the store stopped serving (the file changed under it), or undefined while it serves. */
  get unavailableReason(): string | undefined {
    return this.unavailable;
  }

  read(collection: string, key: string, now: number): StoredRecord | undefined {
    this.assertOpen();
    if (!this.usable()) {
      this.report(new RampartError('collections-unavailable-read', `collection store ${this.directory} unavailable: record not read`));
      return undefined;
    }
    const id = recordKey(collection, key);
    try {
      // Another process may have committed since this thread's read snapshot was taken.
      this.env.resetReadTxn();
      return liveRecord(this.decode(id, this.records.get(id)), now);
    } catch (e) {
      this.report(e);
      return undefined;
    }
  }

  apply(collection: string, key: string, ops: readonly RecordOp[], now: number, timeout: number): void {
    this.assertOpen();
    // The stale-time index is ordered by these numbers: a NaN would sort nowhere sensible.
    if (!Number.isFinite(now) || !Number.isFinite(timeout) || timeout < 0) {
      throw new TypeError(`apply needs a finite now and a timeout >= 0, got now=${now}, timeout=${timeout}`);
    }
    if (!this.usable()) {
      this.report(new RampartError('collections-unavailable-write', `collection store ${this.directory} unavailable: update dropped`));
      return;
    }
    const id = recordKey(collection, key);
    try {
      this.env.transactionSync(() => this.applyInTransaction(id, ops, now, timeout), this.txnFlags);
    } catch (e) {
      this.report(e);
    }
  }

  /**
   * Deletes every record stale at `now` (seconds), `sweepBatchSize` records per write transaction so other
   * writers get the lock between batches; returns how many were deleted. The background sweeper does the same
   * within a time budget per tick.
   */
  sweep(now: number): number {
    let deleted = 0;
    for (;;) {
      const batch = this.sweepBatch(now);
      deleted += batch.deleted;
      if (!batch.more) return deleted;
    }
  }

  /** One write transaction of sweeping; `more` says whether due index entries may remain. */
  sweepBatch(now: number): { deleted: number; more: boolean } {
    this.assertOpen();
    if (!this.usable()) return { deleted: 0, more: false };
    const limit = this.options.sweepBatchSize;
    let deleted = 0;
    let examined = 0;
    this.env.transactionSync(() => {
      const due: [number, string][] = [];
      const foreign: unknown[] = [];
      // Keys are ordered by stale time, so the scan stops at the first record still alive.
      for (const k of this.expiry.getKeys({ limit })) {
        if (!isIndexKey(k)) foreign.push(k);
        else if (k[0] > now) break;
        else due.push(k);
      }
      for (const k of foreign) this.expiry.removeSync(k as [number, string]);
      examined = due.length + foreign.length;
      for (const indexKey of due) {
        const id = indexKey[1];
        this.expiry.removeSync(indexKey);
        const current = this.decode(id, this.records.get(id));
        if (!current) continue;
        // Re-checked inside the write transaction: another process may have refreshed the record since.
        const at = staleAt(current);
        if (at !== undefined && at <= now) {
          this.records.removeSync(id);
          deleted++;
        } else if (at !== undefined && at !== indexKey[0]) {
          this.expiry.putSync([at, id], true);
        }
      }
      if (deleted > 0) this.meta.putSync(RECORD_COUNT, Math.max(0, this.recordCount() - deleted));
    }, this.txnFlags);
    return { deleted, more: examined === limit };
  }

  /** How many records are stored (stale ones included until swept). */
  count(): number {
    this.assertOpen();
    if (!this.usable()) return 0;
    this.env.resetReadTxn();
    return this.records.getCount();
  }

  /**
   * Flushes committed records to disk (fsync, on a libuv thread). The `commit` durability does it every
   * `syncIntervalMs`, and `close` does it once more.
   */
  flush(): Promise<void> {
    this.assertOpen();
    if (!this.usable()) return Promise.resolve();
    return this.syncEnvironment();
  }

  /** Flushes, stops the timers and closes the environment; calling it again returns the same promise. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    this.sweeper?.stop();
    if (this.syncTimer) clearInterval(this.syncTimer);
    try {
      // A file that changed under the environment is left alone: syncing or closing it could crash.
      if (this.unavailable === undefined && this.usable()) {
        try {
          await this.syncEnvironment();
        } finally {
          await this.env.close();
        }
      }
    } finally {
      fs.closeSync(this.guardFd);
    }
  }

  private syncEnvironment(): Promise<void> {
    return new Promise((resolve, reject) => {
      // `sync(callback)` runs mdb_env_sync on a libuv thread; it is missing from lmdb's type declarations.
      (this.env as unknown as { sync(cb: (error?: Error) => void): void }).sync((error) => (error ? reject(error) : resolve()));
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private applyInTransaction(id: string, ops: readonly RecordOp[], now: number, timeout: number): void {
    const raw = this.records.get(id);
    const count = raw === undefined ? this.recordCount() : undefined;
    if (count !== undefined && count >= this.options.maxRecords) {
      this.report(new RampartError('collections-full', `${count} records stored (maxRecords ${this.options.maxRecords}): record ${describe(id)} not created`));
      return;
    }
    const stored = this.decode(id, raw);
    const before = stored ? staleAt(stored) : undefined;
    // applyOps works in place, so `stored` is consumed here; the fallback below decodes it again.
    let next = this.nextRecord(stored, ops, now, timeout);
    const size = this.encodedSize(next);
    if (size > this.options.maxRecordBytes) {
      // Growth past the bound only drops new variables, so a client cannot bloat its own record until its
      // rate-limit counters stop being written.
      const fresh = liveRecord(this.decode(id, this.records.get(id)), now);
      const existing = new Set(Object.keys(fresh?.values ?? {}));
      const kept = ops.filter((o) => (o.op === 'set' || o.op === 'add' ? existing.has(o.name.toLowerCase()) : true));
      next = this.nextRecord(fresh, kept, now, timeout);
      const what = `record ${describe(id)} would be ${size} bytes (maxRecordBytes ${this.options.maxRecordBytes})`;
      if (this.encodedSize(next) > this.options.maxRecordBytes) {
        this.report(new RampartError('collections-record-too-large', `${what}: update dropped`));
        return;
      }
      this.report(new RampartError('collections-record-too-large', `${what}: new variables not created`));
    }
    const after = staleAt(next);
    this.records.putSync(id, next);
    if (count !== undefined) this.meta.putSync(RECORD_COUNT, count + 1);
    if (before !== after) {
      if (before !== undefined) this.expiry.removeSync([before, id]);
      if (after !== undefined) this.expiry.putSync([after, id], true);
    }
  }

  private nextRecord(stored: StoredRecord | undefined, ops: readonly RecordOp[], now: number, timeout: number): StoredRecord {
    const current = liveRecord(stored, now) ?? { createTime: now, lastUpdateTime: now, updateCounter: 0, timeout, values: {} };
    current.timeout = timeout;
    return applyOps(current, ops, now);
  }

  private recordCount(): number {
    const n = this.meta.get(RECORD_COUNT);
    return typeof n === 'number' && Number.isFinite(n) ? n : 0;
  }

  private encodedSize(record: StoredRecord): number {
    // Encoding twice costs ~10 µs a write; a bound from string lengths (UTF-8 at most 3 bytes per UTF-16 unit,
    // plus headers) settles the common case of small records without it.
    let bound = 64;
    for (const [k, v] of Object.entries(record.values)) bound += 3 * (k.length + v.name.length + v.value.length) + 48;
    if (bound <= this.options.maxRecordBytes) return bound;
    return (this.records as unknown as { encoder: { encode(v: unknown): Uint8Array } }).encoder.encode(record).length;
  }

  private decode(id: string, value: unknown): StoredRecord | undefined {
    if (value === undefined) return undefined;
    if (isStoredRecord(value)) return value;
    this.report(new RampartError('collections-bad-record', `record ${describe(id)} is not a collection record; ignored`));
    return undefined;
  }

  private flushInBackground(): void {
    if (this.closed) return;
    this.flush().catch((error: unknown) => this.report(error));
  }

  private assertOpen(): void {
    if (this.closed) throw new RampartError('collections-closed', `the collection store at ${this.directory} is closed`);
  }

  private report(e: unknown): void {
    const error = e instanceof RampartError ? e : new RampartError('collections-storage', `collection store at ${this.directory}: ${e instanceof Error ? e.message : String(e)}`);
    this.reporter.report(error);
  }
}

/**
 * Checks the environment in `directory` before LMDB opens it (see environment-check.ts): an unreadable file is
 * an error saying so; a corrupt one is an error naming the file and what to do, or is moved aside (`reset`).
 */
function checkEnvironment(directory: string, options: ResolvedOptions, report: (e: RampartError) => void): void {
  const dataFile = path.join(directory, DATA_FILE);
  let problem: string | undefined;
  try {
    problem = checkDataFile(dataFile);
    if (problem === undefined && options.verify === 'full' && fs.existsSync(dataFile) && fs.statSync(dataFile).size > 0) problem = verifyInChild(directory);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new RampartError(
      'collections-unreadable',
      `collection store ${dataFile} cannot be read (${err.code ?? err.message}): give the agent's user read and write access to ${directory} and its files (chown), or point SecDataDir elsewhere`,
    );
  }
  if (problem === undefined) return;
  if (options.onCorrupt === 'fail') {
    throw new RampartError(
      'collections-corrupt',
      `collection store ${dataFile} is corrupt (${problem}). Move it aside (mv ${dataFile} ${dataFile}.corrupt) to start with empty collections, restore it from a backup, or start the agent with --corrupt-collections reset to do that automatically`,
    );
  }
  const aside = `${dataFile}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  fs.renameSync(dataFile, aside);
  fs.rmSync(path.join(directory, LOCK_FILE), { force: true });
  report(new RampartError('collections-reset', `collection store ${dataFile} was corrupt (${problem}): moved aside to ${aside}; starting with empty collections`));
}

/** Pre-creates `file` with `mode` (LMDB would create it 0644 under the usual umask), or tightens an existing one. */
function restrictMode(file: string, mode: number, report: (e: RampartError) => void): void {
  try {
    fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, mode));
    return;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return;
  }
  try {
    const current = fs.statSync(file).mode & 0o777;
    if ((current & ~mode) === 0) return;
    fs.chmodSync(file, mode);
    report(new RampartError('collections-file-mode', `${file} allowed ${current.toString(8).padStart(4, '0')}; tightened to ${mode.toString(8).padStart(4, '0')}`));
  } catch {
    // Not ours to change (another user's file): LMDB reports what it cannot open.
  }
}

/**
 * Runs `fn` holding `<directory>.lock` (a directory: mkdir is atomic), so that the workers and processes that
 * open the same environment at the same time check it, and move a corrupt file aside, one at a time. A lock
 * left by a process that died is taken over.
 */
function withEnvironmentLock(directory: string, fn: () => void): void {
  const lock = `${directory}.lock`;
  const owner = path.join(lock, 'pid');
  const deadline = Date.now() + 120_000;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(owner, String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder = Number.NaN;
    try {
      holder = Number(fs.readFileSync(owner, 'utf8'));
    } catch {
      // Being created or removed right now.
    }
    if (Number.isInteger(holder) && holder !== process.pid && !alive(holder)) fs.rmSync(lock, { recursive: true, force: true });
    if (Date.now() > deadline) throw new RampartError('collections-lock', `${lock} is held by another process for more than 120 s: remove it if no agent is starting`);
    Atomics.wait(sleeper, 0, 0, 20);
  }
  try {
    fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function positive(n: number, name: string): number {
  if (!Number.isFinite(n) || n <= 0) throw new RampartError('collections-options', `${name} must be a positive number, not ${n}`);
  return n;
}

/** A record key for messages: printable, bounded. */
function describe(id: string): string {
  const shown = id.replace(/[\u0000-\u001f]/g, (c) => (c === '\u0000' ? ':' : '#'));
  return JSON.stringify(shown.length > 80 ? `${shown.slice(0, 80)}...` : shown);
}

function isIndexKey(k: unknown): k is [number, string] {
  return Array.isArray(k) && k.length === 2 && typeof k[0] === 'number' && typeof k[1] === 'string';
}
