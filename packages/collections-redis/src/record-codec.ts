import { createHash } from 'node:crypto';
import type { RecordOp, StoredRecord } from '@rampart/engine';

/**
 * Keys come from requests (`setsid:%{REQUEST_COOKIES.sid}`): a long one is stored under its digest so that a
 * client cannot make every command carry kilobytes. `:` and `#` tell the two forms apart (collection names
 * contain neither).
 */
const MAX_LITERAL_KEY_BYTES = 256;

/** The Redis key of a record: `<prefix>COLLECTION:key`, or `<prefix>COLLECTION#<sha256 of key>` for long keys. */
export function redisKey(prefix: string, collection: string, key: string): string {
  if (Buffer.byteLength(key, 'utf8') <= MAX_LITERAL_KEY_BYTES) return `${prefix}${collection}:${key}`;
  return `${prefix}${collection}#${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

/** Thrown for a hash this store did not write (another program's key under our prefix). */
export class NotARecordError extends Error {}

function int(text: string | undefined, field: string): number {
  const n = text === undefined ? Number.NaN : Number(text);
  if (!Number.isInteger(n)) throw new NotARecordError(`field ${field} is ${JSON.stringify(text)}, not an integer`);
  return n;
}

/** A record from HGETALL's reply (see apply-script.ts for the fields); undefined when the key does not exist. */
export function decodeRecord(hash: Record<string, string>): StoredRecord | undefined {
  const fields = Object.keys(hash);
  if (fields.length === 0) return undefined;
  const record: StoredRecord = {
    createTime: int(hash._c, '_c'),
    lastUpdateTime: int(hash._u, '_u'),
    updateCounter: int(hash._n, '_n'),
    timeout: int(hash._t, '_t'),
    values: {},
  };
  for (const field of fields) {
    if (!field.startsWith('v:')) continue;
    const lower = field.slice(2);
    const expires = hash[`e:${lower}`];
    record.values[lower] = { name: hash[`n:${lower}`] ?? lower, value: hash[field]!, ...(expires !== undefined ? { expires: int(expires, `e:${lower}`) } : {}) };
  }
  return record;
}

/** Limits on what one transaction may write into a record. */
export interface WriteLimits {
  /** Longest variable name, in bytes. */
  maxNameBytes: number;
  /** Longest value, in bytes. */
  maxValueBytes: number;
}

/** The script's per-operation arguments, and how many operations were over the limits (not sent). */
export function encodeOps(ops: readonly RecordOp[], limits: WriteLimits): { args: string[]; dropped: number } {
  const args: string[] = [];
  let dropped = 0;
  for (const o of ops) {
    if (Buffer.byteLength(o.name, 'utf8') > limits.maxNameBytes) {
      dropped++;
      continue;
    }
    const lower = o.name.toLowerCase();
    switch (o.op) {
      case 'set':
        if (Buffer.byteLength(o.value, 'utf8') > limits.maxValueBytes) {
          dropped++;
          continue;
        }
        args.push('s', lower, o.name, o.value);
        break;
      case 'add':
        args.push('a', lower, o.name, String(o.delta));
        break;
      case 'delete':
        args.push('d', lower, o.name, '');
        break;
      case 'expire':
        args.push('e', lower, o.name, String(o.at));
        break;
      case 'deprecate':
        args.push('p', lower, o.name, `${o.amount}/${o.everySeconds}`);
        break;
    }
  }
  return { args, dropped };
}
