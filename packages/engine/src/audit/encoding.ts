/**
 * Turns a record into the bytes written to disk. Request data is held as latin1 strings (one char per byte), so
 * latin1 writes the original bytes back unchanged — as ModSecurity does, it never re-encodes. A char above 0xFF
 * can only come from configuration given as a JS string (a `msg` with `€`): it is written as UTF-8 rather than
 * truncated to its low byte.
 */
export function encodeRecord(record: string): Buffer {
  if (!/[^\x00-\xff]/.test(record)) return Buffer.from(record, 'latin1');
  const chunks: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < record.length; i++) {
    if (record.charCodeAt(i) <= 0xff) continue;
    let end = i + 1;
    while (end < record.length && record.charCodeAt(end) > 0xff) end++;
    chunks.push(Buffer.from(record.slice(start, i), 'latin1'), Buffer.from(record.slice(i, end), 'utf8'));
    start = end;
    i = end - 1;
  }
  chunks.push(Buffer.from(record.slice(start), 'latin1'));
  return Buffer.concat(chunks);
}
