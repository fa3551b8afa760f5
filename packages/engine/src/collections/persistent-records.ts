import { RampartError } from '../errors';
import { isPromise, PersistentRecordHandle, type CollectionStore } from './store';
import { persistentCollectionBit } from './persistent-use';
import { takeReadAhead, type ReadsAhead } from './read-ahead';

/** What opening and writing persistent records needs from a transaction. */
export interface PersistentRecordsContext {
  /** Records opened by initcol / setsid / setuid / setrsc, by upper-case collection name. */
  readonly persistent: Map<string, PersistentRecordHandle>;
  /**
   * Reads started and not yet awaited (asynchronous stores only). The rule evaluator waits for them before
   * the first rule that uses one of `pendingCollections`, or at the end of the phase: every record opened
   * until then arrives in one batch.
   */
  pendingLoads: Promise<void>[] | undefined;
  /** The collections (persistent-use.ts bits) whose records are in `pendingLoads`; 0 when none. */
  pendingCollections: number;
  /** Reads started ahead of the rules that may open them (read-ahead.ts); dropped at the end of each phase. */
  readsAhead: ReadsAhead | undefined;
  /** Store failures of this transaction (a collection that could not be read, changes that were not written). */
  collectionErrors: RampartError[] | undefined;
  now(): Date;
  readonly waf: { readonly collectionStore: CollectionStore; readonly settings: { readonly collectionTimeout: number } };
}

function failed(ctx: PersistentRecordsContext, what: 'read' | 'write', collection: string, cause: unknown): void {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const error =
    what === 'read'
      ? new RampartError('collection-read-failed', `collection ${collection} could not be read (${reason}): its rules ran without it`)
      : new RampartError('collection-write-failed', `collection ${collection}: this transaction's changes were not written (${reason})`);
  (ctx.collectionErrors ??= []).push(error);
}

/**
 * Opens a persistent record for the rest of the transaction (initcol and friends). With a store that answers
 * at once the record is there when the action returns; with an asynchronous one the read is queued in
 * `pendingLoads` and the rule evaluator waits for it before the first rule that uses the collection (or at
 * the end of the phase). A failed read leaves the collection closed, as if no rule had opened it: its rules
 * see nothing and nothing is written for it.
 */
export function openPersistentRecord(ctx: PersistentRecordsContext, collection: string, key: string): void {
  if (key === '' || ctx.persistent.has(collection)) return;
  const now = Math.floor(ctx.now().getTime() / 1000);
  const handle = new PersistentRecordHandle(collection, key, now, ctx.waf.settings.collectionTimeout);
  const ahead = takeReadAhead(ctx, collection, key);
  let read: ReturnType<CollectionStore['read']>;
  if (ahead !== undefined && 'error' in ahead) {
    failed(ctx, 'read', collection, ahead.error);
    return;
  } else if (ahead !== undefined) {
    read = 'record' in ahead ? ahead.record : ahead.promise;
  } else {
    try {
      read = ctx.waf.collectionStore.read(collection, key, now);
    } catch (e) {
      failed(ctx, 'read', collection, e);
      return;
    }
  }
  ctx.persistent.set(collection, handle);
  if (!isPromise(read)) {
    handle.fill(read);
    return;
  }
  const loading = read.then(
    (record) => handle.fill(record),
    (e: unknown) => {
      if (ctx.persistent.get(collection) === handle) ctx.persistent.delete(collection);
      failed(ctx, 'read', collection, e);
    },
  );
  (ctx.pendingLoads ??= []).push(loading);
  ctx.pendingCollections |= persistentCollectionBit(collection);
}

/**
 * Hands every opened record's changes to the store (end of transaction). Returns a promise when the store is
 * asynchronous; it never rejects: failures are listed in `collectionErrors`.
 */
export function persistRecords(ctx: PersistentRecordsContext): Promise<void> | undefined {
  let writes: Promise<void>[] | undefined;
  const store = ctx.waf.collectionStore;
  for (const handle of ctx.persistent.values()) {
    const ops = handle.takeOps();
    if (ops.length === 0) continue;
    let written: void | Promise<void>;
    try {
      written = store.apply(handle.name, handle.key, ops, handle.nowSeconds, handle.timeout);
    } catch (e) {
      failed(ctx, 'write', handle.name, e);
      continue;
    }
    if (isPromise(written)) (writes ??= []).push(written.then(undefined, (e: unknown) => failed(ctx, 'write', handle.name, e)));
  }
  return writes === undefined ? undefined : Promise.all(writes).then(() => undefined);
}
