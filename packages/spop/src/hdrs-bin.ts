import { FrameCursor } from './frame-cursor';
import { FrameWriter } from './frame-writer';
import { SpopError } from './spop-error';
import { SpopStatus } from './status';

/** A header as `[name, value]`, both latin1 strings (names arrive lower-cased from HAProxy's HTX). */
export type HeaderPair = [name: string, value: string];

export interface HdrsBinParse {
  headers: HeaderPair[];
  /** False when the bytes ended (or were malformed) before the `00 00` terminator. */
  complete: boolean;
  /** Bytes after the terminator (HAProxy sends none; spoa-modsecurity ignores them). */
  trailing: number;
}

/**
 * Parses `req.hdrs_bin` / `res.hdrs_bin` (spop.md 1.11): `*( <varint len><name> <varint len><value> ) 00 00`.
 * Never throws: headers read before a truncation are returned with `complete: false`.
 */
export function parseHdrsBin(buf: Buffer): HdrsBinParse {
  const c = new FrameCursor(buf);
  const headers: HeaderPair[] = [];
  try {
    while (!c.atEnd()) {
      const name = c.name();
      const value = c.name();
      if (name.length === 0 && value.length === 0) return { headers, complete: true, trailing: c.remaining };
      headers.push([name, value]);
    }
  } catch (err) {
    if (!(err instanceof SpopError)) throw err;
  }
  return { headers, complete: false, trailing: 0 };
}

/**
 * Decodes `req.hdrs_bin` into `[name, value]` pairs in wire order (duplicates kept). Throws `SpopError`
 * (status 4, code `SPOP_INVALID_FRAME`) when the terminator is missing; use `parseHdrsBin` to keep the
 * headers read before a truncation instead.
 */
export function decodeHdrsBin(buf: Buffer): HeaderPair[] {
  const r = parseHdrsBin(buf);
  if (!r.complete) throw new SpopError(SpopStatus.Invalid, 'req.hdrs_bin truncated (no 00 00 terminator)');
  return r.headers;
}

/** Encodes headers the way HAProxy builds `req.hdrs_bin` (for tests and tools that play HAProxy's part). */
export function encodeHdrsBin(headers: readonly HeaderPair[]): Buffer {
  const w = new FrameWriter(64);
  for (const [name, value] of headers) w.latin1(name).latin1(value);
  return w.u8(0).u8(0).finish();
}
