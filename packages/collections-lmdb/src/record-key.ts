import { createHash } from 'node:crypto';

/**
 * LMDB keys are at most 1978 bytes, and record keys come from requests (`setsid:%{REQUEST_COOKIES.sid}`), so
 * long keys are stored under a digest. The separator after the collection name tells the two forms apart:
 * collection names never contain NUL or SOH, so a literal key can never collide with a digested one.
 */
const MAX_LITERAL_KEY_BYTES = 1024;

/** The LMDB key of a record: `COLLECTION\0key`, or `COLLECTION\x01<sha256 of key>` for long keys. */
export function recordKey(collection: string, key: string): string {
  if (collection.includes('\u0000') || collection.includes('\u0001')) {
    throw new TypeError(`collection names cannot contain NUL or SOH: ${JSON.stringify(collection)}`);
  }
  const literal = `${collection}\u0000${key}`;
  if (Buffer.byteLength(literal, 'utf8') <= MAX_LITERAL_KEY_BYTES) return literal;
  return `${collection}\u0001${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}
