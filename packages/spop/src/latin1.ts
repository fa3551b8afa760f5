/**
 * `buf.toString('latin1', start, end)` crosses into C++ on every call, which dominates for the short names
 * and header values SPOP is made of; a JS loop is several times faster below a few dozen bytes.
 */
const NATIVE_FROM = 48;

export function latin1Slice(buf: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n >= NATIVE_FROM) return Buffer.prototype.toString.call(buf, 'latin1', start, end);
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i] as number);
  return s;
}
