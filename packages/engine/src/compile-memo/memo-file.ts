import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { CompileMemo, type MemoEntry } from './compile-memo';
import { sourceDigest } from './source-digest';
import { ARRAY_TYPES, arrayType, type FrozenArray, type FrozenArrayType } from './frozen';

/**
 * A CompileMemo in a file, so that a later process loading the same configuration takes the costly structures
 * instead of building them (rampart spoa --cache-dir). The file is read into one SharedArrayBuffer: the arrays
 * are views on it, shared by every thread the memo is handed to.
 *
 * Layout: MAGIC, a 32-bit little-endian header length, the JSON header, zero padding to a multiple of 8, then the
 * arrays (each at an 8-aligned offset from the end of the padding). The header names the engine build the file
 * was written by (`fingerprint`): a file from another build, or one that fails any check, is ignored, never
 * trusted in part. A memo decides what rules skip, so it is read only from a file and directory that no one but
 * this user (or root) can write — the trust the configuration files themselves need.
 */
const MAGIC = Buffer.from('RAMPART-MEMO-1\n\0', 'latin1');

interface HeaderEntry {
  kind: string;
  key: string;
  numbers: Record<string, number>;
  /** name, type, byte offset in the data, element count */
  arrays: Array<[string, FrozenArrayType, number, number]>;
}

interface Header {
  fingerprint: string;
  /** CRC-32 of the data that follows the header. */
  crc: number;
  entries: HeaderEntry[];
}

let cachedFingerprint: string | undefined;

/**
 * Identifies the code that builds the remembered structures: the digest of this engine's sources written at
 * build time (dist/build-id.json; computed now when running from the sources), and the re2 version (whether a
 * pattern compiles is remembered too).
 */
export function engineFingerprint(): string {
  if (cachedFingerprint !== undefined) return cachedFingerprint;
  let build: string;
  try {
    build = (JSON.parse(fs.readFileSync(path.resolve(__dirname, '../build-id.json'), 'utf8')) as { id: string }).id;
  } catch {
    build = sourceDigest(path.resolve(__dirname, '..'));
  }
  let re2Version = 'unknown';
  try {
    re2Version = (JSON.parse(fs.readFileSync(require.resolve('re2/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // The build's digest still tells builds apart.
  }
  cachedFingerprint = `${build} re2 ${re2Version}`;
  return cachedFingerprint;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Why `file` (and its directory) may not be trusted, or undefined when only this user (or root) can write them. */
function untrusted(file: string, st: fs.Stats): string | undefined {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const check = (what: string, s: fs.Stats): string | undefined => {
    if (uid !== undefined && s.uid !== uid && s.uid !== 0) return `${what} belongs to uid ${s.uid}, not to this user (${uid}) or root`;
    if ((s.mode & 0o022) !== 0) return `${what} is writable by group or others (mode ${(s.mode & 0o777).toString(8)})`;
    return undefined;
  };
  if (!st.isFile()) return `${file} is not a regular file`;
  return check(file, st) ?? check(path.dirname(file), fs.statSync(path.dirname(file)));
}

export interface MemoFileRead {
  memo: CompileMemo;
  /** Why the file was not used (missing, from another build, damaged, untrusted); undefined when it was. */
  problem?: string;
}

/**
 * Reads a memo file into a shared CompileMemo. Never throws: a file that cannot be used gives an empty memo and
 * the reason (a missing file is the first start's normal case).
 */
export function readCompileMemo(file: string, options: { maxBytes?: number } = {}): MemoFileRead {
  const empty = (problem: string): MemoFileRead => ({ memo: new CompileMemo({ shared: true }), problem });
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return empty(code === 'ENOENT' ? 'no memo file yet' : `cannot open ${file}: ${code ?? (e as Error).message}`);
  }
  try {
    const st = fs.fstatSync(fd);
    const why = untrusted(file, st);
    if (why !== undefined) return empty(`not used: ${why}`);
    const maxBytes = options.maxBytes ?? 512 << 20;
    if (st.size > maxBytes) return empty(`${file} is larger than ${maxBytes} bytes`);
    const shared = new SharedArrayBuffer(st.size);
    const bytes = new Uint8Array(shared);
    let read = 0;
    while (read < st.size) {
      const n = fs.readSync(fd, bytes, read, st.size - read, read);
      if (n === 0) break;
      read += n;
    }
    if (read !== st.size) return empty(`${file} changed while it was read`);
    const parsed = parse(shared, bytes);
    if (typeof parsed === 'string') return empty(`${file} is damaged (${parsed}): it will be written again`);
    if (parsed.fingerprint !== engineFingerprint()) return empty(`${file} was written by another build of the engine: it will be written again`);
    return { memo: new CompileMemo({ shared: true, entries: parsed.entries }) };
  } catch (e) {
    return empty(`cannot read ${file}: ${(e as Error).message}`);
  } finally {
    fs.closeSync(fd);
  }
}

function parse(shared: SharedArrayBuffer, bytes: Uint8Array): { fingerprint: string; entries: MemoEntry[] } | string {
  if (bytes.length < MAGIC.length + 4 || !MAGIC.equals(Buffer.from(bytes.buffer, 0, MAGIC.length))) return 'not a memo file';
  const headerLength = new DataView(shared).getUint32(MAGIC.length, true);
  const headerEnd = MAGIC.length + 4 + headerLength;
  if (headerEnd > bytes.length) return 'header runs past the end';
  let header: Header;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, MAGIC.length + 4, headerLength).toString('utf8')) as Header;
  } catch {
    return 'header is not JSON';
  }
  const dataStart = align8(headerEnd);
  if (dataStart > bytes.length) return 'data missing';
  const data = Buffer.from(bytes.buffer, dataStart, bytes.length - dataStart);
  if (typeof header.crc !== 'number' || zlib.crc32(data) !== header.crc) return 'checksum mismatch';
  if (typeof header.fingerprint !== 'string' || !Array.isArray(header.entries)) return 'header fields missing';
  const entries: MemoEntry[] = [];
  for (const e of header.entries) {
    if (typeof e.kind !== 'string' || typeof e.key !== 'string' || typeof e.numbers !== 'object' || e.numbers === null || !Array.isArray(e.arrays)) return 'bad entry';
    const arrays: Record<string, FrozenArray> = {};
    for (const a of e.arrays) {
      if (!Array.isArray(a) || a.length !== 4) return 'bad array';
      const [name, type, offset, length] = a;
      const Ctor = Object.prototype.hasOwnProperty.call(ARRAY_TYPES, type) ? ARRAY_TYPES[type] : undefined;
      if (typeof name !== 'string' || Ctor === undefined || !Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) return 'bad array';
      if (offset % 8 !== 0 || offset + length * Ctor.BYTES_PER_ELEMENT > data.length) return 'array out of bounds';
      arrays[name] = new (Ctor as unknown as new (b: ArrayBufferLike, o: number, l: number) => FrozenArray)(shared, dataStart + offset, length);
    }
    for (const v of Object.values(e.numbers)) if (typeof v !== 'number') return 'bad number';
    entries.push({ kind: e.kind, key: e.key, value: { arrays, numbers: e.numbers } });
  }
  return { fingerprint: header.fingerprint, entries };
}

/**
 * Writes the memo's entries to `file` (mode 0600, through a temporary file renamed over it, so a reader never
 * sees half a file). Throws on failure: the caller reports it and runs on without the file.
 */
export function writeCompileMemo(file: string, memo: CompileMemo): void {
  const header: Header = { fingerprint: engineFingerprint(), crc: 0, entries: [] };
  const arrays: FrozenArray[] = [];
  let at = 0;
  for (const e of memo.entries()) {
    const list: HeaderEntry['arrays'] = [];
    for (const [name, a] of Object.entries(e.value.arrays)) {
      list.push([name, arrayType(a), at, a.length]);
      arrays.push(a);
      at += align8(a.byteLength);
    }
    header.entries.push({ kind: e.kind, key: e.key, numbers: { ...e.value.numbers }, arrays: list });
  }
  const data = Buffer.alloc(at);
  let offset = 0;
  for (const a of arrays) {
    data.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offset);
    offset += align8(a.byteLength);
  }
  header.crc = zlib.crc32(data);
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  const pad = Buffer.alloc(align8(MAGIC.length + 4 + json.length) - (MAGIC.length + 4 + json.length));
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
  try {
    for (const part of [MAGIC, length, json, pad, data]) fs.writeSync(fd, part);
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
}
