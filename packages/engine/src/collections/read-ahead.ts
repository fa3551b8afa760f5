import type { MacroString } from '@rampart/seclang';
import type { Expandable, MacroScope } from '../operators/types';
import type { CompiledRule } from '../rules/compiled-rule';
import { isPromise, type CollectionStore, type StoredRecord } from './store';
import type { PersistentRecordsContext } from './persistent-records';

/**
 * Reading ahead: when a phase must wait for records of an asynchronous store, the records that later rules of
 * the phase would open with a key no rule can change (`setsid:%{REQUEST_COOKIES.sid}` after a rule that counts
 * in IP) are read in the same round trip. Nothing is opened ahead: the rule still opens its record when, and
 * only if, it runs, as libmodsecurity v3 does; it then finds the record already read. A key that names TX, a
 * persistent collection, MATCHED_VAR or anything else a rule or the match may change is expanded only when its
 * rule runs (a second round trip, the price of v3's semantics).
 *
 * @example
 * SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
 * SecRule IP:requests "@gt 100" "id:2,phase:1,deny,status:429"
 * SecRule REQUEST_COOKIES:sid "@rx ." "id:3,phase:1,pass,nolog,setsid:%{REQUEST_COOKIES.sid}"
 * # rule 2 waits for IP; SESSION (the cookie's key is known) is read in the same round trip
 */

/** An `initcol` / `setsid` / `setuid` / `setrsc` whose key can be expanded before its rule runs. */
export interface ReadAheadOpen {
  collection: string;
  key: Expandable;
}

/** A read started ahead of its rule, by `collection` and key. */
interface ReadAhead {
  state: 'waiting' | 'read' | 'failed';
  record: StoredRecord | undefined;
  error: unknown;
  promise: Promise<StoredRecord | undefined>;
}

/**
 * Variables that hold what the request said (connection, request line, headers, cookies): no action changes
 * them, so a key made of them expands to the same text at the start of a phase as at its rule.
 */
const REQUEST_CONSTANTS = new Set([
  'REMOTE_ADDR',
  'REMOTE_PORT',
  'SERVER_ADDR',
  'SERVER_NAME',
  'SERVER_PORT',
  'REQUEST_METHOD',
  'REQUEST_PROTOCOL',
  'REQUEST_LINE',
  'REQUEST_URI',
  'REQUEST_URI_RAW',
  'REQUEST_FILENAME',
  'REQUEST_BASENAME',
  'QUERY_STRING',
  'REQUEST_HEADERS',
  'REQUEST_COOKIES',
  'UNIQUE_ID',
]);

/** True when a key can be expanded before its rule runs (only request constants, or no macro at all). */
export function canReadAhead(key: MacroString): boolean {
  return key.parts.every((part) => typeof part === 'string' || REQUEST_CONSTANTS.has(part.collection.toUpperCase()));
}

/** The reads started ahead in this transaction's current phase, by `COLLECTION\0key`. */
export type ReadsAhead = Map<string, ReadAhead>;

/**
 * Starts the reads of the records that the rules of `rules` from `from` on may open, for collections not open
 * yet (called just before the phase waits, so they join the reads it waits for in one round trip).
 */
export function readAhead(ctx: PersistentRecordsContext & MacroScope, rules: readonly CompiledRule[], from: number): void {
  const store: CollectionStore = ctx.waf.collectionStore;
  let now: number | undefined;
  for (let i = from; i < rules.length; i++) {
    const opens = rules[i]!.readAheadOpens;
    if (opens === undefined) continue;
    for (const open of opens) {
      if (ctx.persistent.has(open.collection)) continue;
      const key = open.key.expand(ctx);
      if (key === '') continue;
      const id = `${open.collection}\0${key}`;
      if (ctx.readsAhead?.has(id)) continue;
      now ??= Math.floor(ctx.now().getTime() / 1000);
      let read: ReturnType<CollectionStore['read']>;
      try {
        read = store.read(open.collection, key, now);
      } catch {
        continue; // the rule reads it again when it runs, and reports the failure then
      }
      if (!isPromise(read)) continue;
      const entry: ReadAhead = { state: 'waiting', record: undefined, error: undefined, promise: read };
      // Handles the rejection too, so that a read no rule takes is not an unhandled rejection.
      read.then(
        (record) => {
          entry.state = 'read';
          entry.record = record;
        },
        (e: unknown) => {
          entry.state = 'failed';
          entry.error = e;
        },
      );
      (ctx.readsAhead ??= new Map()).set(id, entry);
    }
  }
}

/**
 * The read started ahead for this record, taken (it serves one open): the record when it has arrived, the
 * error when it failed, else the promise of it; undefined when none was started.
 */
export function takeReadAhead(
  ctx: PersistentRecordsContext,
  collection: string,
  key: string,
): { record: StoredRecord | undefined } | { error: unknown } | { promise: Promise<StoredRecord | undefined> } | undefined {
  const id = `${collection}\0${key}`;
  const entry = ctx.readsAhead?.get(id);
  if (entry === undefined) return undefined;
  ctx.readsAhead!.delete(id);
  if (entry.state === 'read') return { record: entry.record };
  if (entry.state === 'failed') return { error: entry.error };
  return { promise: entry.promise };
}
