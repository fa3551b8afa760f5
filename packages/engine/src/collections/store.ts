import { Collection } from './collection';
import { toInt } from '../actions/values';

/** One stored variable of a persistent record; `expires` is a unix time in seconds (expirevar). */
export interface StoredValue {
  value: string;
  expires?: number;
}

/** A persistent record as kept by a store: variables by lower-case name, plus bookkeeping. */
export interface StoredRecord {
  createTime: number;
  lastUpdateTime: number;
  updateCounter: number;
  /** Seconds after the last update after which the whole record is stale. */
  timeout: number;
  values: Record<string, { name: string } & StoredValue>;
}

/** A change a transaction made to a record, applied atomically on the latest stored version at persist time. */
export type RecordOp =
  | { op: 'set'; name: string; value: string }
  | { op: 'add'; name: string; delta: number }
  | { op: 'delete'; name: string }
  | { op: 'expire'; name: string; at: number }
  | { op: 'deprecate'; name: string; amount: number; everySeconds: number };

/**
 * Where IP / SESSION / USER / GLOBAL / RESOURCE records live. The in-memory store and LMDB answer at once;
 * a store that does network I/O (Redis) returns promises, and the transaction then waits for them through its
 * *Async phase methods (`processRequestHeadersAsync()` ...): a record is read when a rule opens it (`initcol`)
 * and written at the end of the transaction. A rejected promise means the store could not answer: the
 * collection stays closed for that transaction (its rules see no variables, its changes are not written) and
 * the failure is listed in `tx.collectionErrors`.
 */
export interface CollectionStore {
  read(collection: string, key: string, now: number): StoredRecord | undefined | Promise<StoredRecord | undefined>;
  /** Applies the ops to the current stored record (or a new one) in one atomic step. */
  apply(collection: string, key: string, ops: readonly RecordOp[], now: number, timeout: number): void | Promise<void>;
}

/** True for a store's asynchronous answer (any thenable). */
export function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | undefined)?.then === 'function';
}

/** Applies ops to a record copy; shared by every store so they agree on semantics. */
export function applyOps(record: StoredRecord, ops: readonly RecordOp[], now: number): StoredRecord {
  for (const o of ops) {
    const k = o.name.toLowerCase();
    switch (o.op) {
      case 'set': {
        // A new value keeps the variable's expiry (expirevar), as ModSecurity does.
        const cur = record.values[k];
        record.values[k] = { name: o.name, value: o.value, ...(cur?.expires !== undefined && cur.expires > now ? { expires: cur.expires } : {}) };
        break;
      }
      case 'add': {
        const cur = record.values[k];
        const base = cur && (cur.expires === undefined || cur.expires > now) ? Number.parseInt(cur.value, 10) || 0 : 0;
        record.values[k] = { name: o.name, value: String(base + o.delta), ...(cur?.expires !== undefined && cur.expires > now ? { expires: cur.expires } : {}) };
        break;
      }
      case 'delete':
        delete record.values[k];
        break;
      case 'expire': {
        const cur = record.values[k];
        if (cur) cur.expires = o.at;
        break;
      }
      case 'deprecate': {
        const cur = record.values[k];
        if (!cur) break;
        const elapsed = now - record.lastUpdateTime;
        if (elapsed >= o.everySeconds) {
          const steps = Math.floor(elapsed / o.everySeconds);
          const v = Math.max(0, (Number.parseInt(cur.value, 10) || 0) - steps * o.amount);
          cur.value = String(v);
        }
        break;
      }
    }
  }
  record.updateCounter++;
  record.lastUpdateTime = now;
  return record;
}

/** Drops expired variables; returns undefined when the whole record is stale. */
export function liveRecord(record: StoredRecord | undefined, now: number): StoredRecord | undefined {
  if (!record) return undefined;
  if (record.timeout > 0 && record.lastUpdateTime + record.timeout <= now) return undefined;
  for (const [k, v] of Object.entries(record.values)) if (v.expires !== undefined && v.expires <= now) delete record.values[k];
  return record;
}

/** Per-process store: what ModSecurity v3 does without LMDB. Lost on restart, not shared across processes. */
export class MemoryCollectionStore implements CollectionStore {
  private readonly records = new Map<string, StoredRecord>();

  read(collection: string, key: string, now: number): StoredRecord | undefined {
    const id = `${collection}\u0000${key}`;
    const r = liveRecord(this.records.get(id), now);
    if (!r) this.records.delete(id);
    return r ? structuredClone(r) : undefined;
  }

  apply(collection: string, key: string, ops: readonly RecordOp[], now: number, timeout: number): void {
    const id = `${collection}\u0000${key}`;
    const current = liveRecord(this.records.get(id), now) ?? { createTime: now, lastUpdateTime: now, updateCounter: 0, timeout, values: {} };
    current.timeout = timeout;
    this.records.set(id, applyOps(current, ops, now));
  }
}

/**
 * A transaction's view of one persistent record (`initcol:ip=%{REMOTE_ADDR}`): reads see the stored values
 * plus this transaction's changes; the changes are kept as ops and applied atomically by the store when the
 * transaction ends. A handle can be changed before its record arrived from an asynchronous store (actions
 * that follow `initcol` in the same rule): `fill` then replays those changes on the stored values.
 */
export class PersistentRecordHandle {
  readonly collection = new Collection();
  private readonly ops: RecordOp[] = [];
  private filled = false;

  constructor(
    readonly name: string,
    readonly key: string,
    readonly nowSeconds: number,
    readonly timeout: number,
  ) {}

  /** Whether the stored record (or its absence) is known. */
  get loaded(): boolean {
    return this.filled;
  }

  /** Shows the stored record (undefined: none, or stale) and this transaction's changes made so far. */
  fill(rec: StoredRecord | undefined): void {
    const c = this.collection;
    c.clear();
    if (rec) {
      for (const v of Object.values(rec.values)) if (!v.name.startsWith('__')) c.add(v.name, v.value);
    }
    const now = this.nowSeconds;
    const created = rec?.createTime ?? now;
    const counter = rec?.updateCounter ?? 0;
    c.set('CREATE_TIME', String(created));
    c.set('IS_NEW', rec ? '0' : '1');
    c.set('KEY', this.key);
    c.set('KEY_NAME', this.name.toLowerCase());
    c.set('LAST_UPDATE_TIME', String(rec?.lastUpdateTime ?? now));
    c.set('TIMEOUT', String(this.timeout));
    c.set('UPDATE_COUNTER', String(counter));
    const age = Math.max(1, now - created);
    c.set('UPDATE_RATE', String(Math.floor((counter * 60) / age)));
    this.filled = true;
    for (const o of this.ops) this.show(o);
  }

  set(name: string, value: string): void {
    this.record({ op: 'set', name, value });
  }

  add(name: string, delta: number): void {
    this.record({ op: 'add', name, delta });
  }

  delete(name: string): void {
    this.record({ op: 'delete', name });
  }

  expire(name: string, seconds: number): void {
    this.record({ op: 'expire', name, at: this.nowSeconds + seconds });
  }

  deprecate(name: string, amount: number, everySeconds: number): void {
    this.record({ op: 'deprecate', name, amount, everySeconds });
  }

  /** The changes to write (and forgets them): the store applies them to its latest version of the record. */
  takeOps(): RecordOp[] {
    return this.ops.splice(0);
  }

  private record(o: RecordOp): void {
    this.ops.push(o);
    if (this.filled) this.show(o);
  }

  /** What later rules of this transaction see of a change. */
  private show(o: RecordOp): void {
    const c = this.collection;
    switch (o.op) {
      case 'set':
        c.set(o.name, o.value);
        break;
      case 'add':
        c.set(o.name, String((Number.parseInt(c.first(o.name) ?? '0', 10) || 0) + o.delta));
        break;
      case 'delete':
        c.remove(o.name);
        break;
      case 'expire':
        // An expiry already reached (expirevar:ip.x=0) hides the variable at once: libmodsecurity v3 checks the
        // expiry on every read. A later one leaves it visible for the rest of this transaction.
        if (o.at <= this.nowSeconds) c.remove(o.name);
        break;
      case 'deprecate': {
        // ModSecurity v2 lowers the value in the open collection too, so later rules of this transaction see
        // it; the store applies the same step to the latest stored value when the transaction ends.
        const cur = c.first(o.name);
        const last = Number.parseInt(c.first('LAST_UPDATE_TIME') ?? '', 10);
        if (cur === undefined || !Number.isFinite(last)) break;
        const elapsed = this.nowSeconds - last;
        if (elapsed < o.everySeconds) break;
        c.set(o.name, String(Math.max(0, toInt(cur) - Math.floor(elapsed / o.everySeconds) * o.amount)));
        break;
      }
    }
  }
}
