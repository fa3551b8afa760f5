import { Collection } from './collection';

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
 * Where IP / SESSION / USER / GLOBAL / RESOURCE records live. Synchronous on purpose: the in-memory store
 * and LMDB (issue 9) both answer without I/O waits on the request path.
 */
export interface CollectionStore {
  read(collection: string, key: string, now: number): StoredRecord | undefined;
  /** Applies the ops to the current stored record (or a new one) in one atomic step. */
  apply(collection: string, key: string, ops: readonly RecordOp[], now: number, timeout: number): void;
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
 * plus this transaction's changes; the changes are kept as ops and applied atomically by `persist()`.
 */
export class PersistentRecordHandle {
  readonly collection = new Collection();
  private readonly ops: RecordOp[] = [];

  constructor(
    readonly name: string,
    readonly key: string,
    private readonly store: CollectionStore,
    private readonly nowSeconds: number,
    readonly timeout: number,
  ) {
    const rec = store.read(name, key, nowSeconds);
    const c = this.collection;
    if (rec) {
      for (const v of Object.values(rec.values)) if (!v.name.startsWith('__')) c.add(v.name, v.value);
    }
    const created = rec?.createTime ?? nowSeconds;
    const counter = rec?.updateCounter ?? 0;
    c.set('CREATE_TIME', String(created));
    c.set('IS_NEW', rec ? '0' : '1');
    c.set('KEY', key);
    c.set('KEY_NAME', name.toLowerCase());
    c.set('LAST_UPDATE_TIME', String(rec?.lastUpdateTime ?? nowSeconds));
    c.set('TIMEOUT', String(timeout));
    c.set('UPDATE_COUNTER', String(counter));
    const age = Math.max(1, nowSeconds - created);
    c.set('UPDATE_RATE', String(Math.floor((counter * 60) / age)));
  }

  set(name: string, value: string): void {
    this.collection.set(name, value);
    this.ops.push({ op: 'set', name, value });
  }

  add(name: string, delta: number): void {
    const cur = Number.parseInt(this.collection.first(name) ?? '0', 10) || 0;
    this.collection.set(name, String(cur + delta));
    this.ops.push({ op: 'add', name, delta });
  }

  delete(name: string): void {
    this.collection.remove(name);
    this.ops.push({ op: 'delete', name });
  }

  expire(name: string, seconds: number): void {
    this.ops.push({ op: 'expire', name, at: this.nowSeconds + seconds });
  }

  deprecate(name: string, amount: number, everySeconds: number): void {
    this.ops.push({ op: 'deprecate', name, amount, everySeconds });
  }

  persist(): void {
    if (this.ops.length === 0) return;
    this.store.apply(this.name, this.key, this.ops, this.nowSeconds, this.timeout);
    this.ops.length = 0;
  }
}
