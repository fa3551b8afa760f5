import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

/**
 * Checks of an LMDB environment file (`data.mdb`) made *outside* LMDB. LMDB trusts its file: a corrupt meta page
 * or a truncated file makes it read wild pointers, and the process dies of SIGSEGV, SIGBUS or an assertion that
 * no JavaScript can catch. So the file is checked before it is opened (its two meta pages here, every page in a
 * child process) and its meta pages again before each use while it is open.
 */

/** `mm_magic` of an LMDB meta page. */
const MDB_MAGIC = 0xbeefc0de;
/** `P_META` in a page header's flags. */
const P_META = 0x08;
/** Bytes of a meta page that are read: the page header (16), magic, version, and the page size (0x30). */
const META_BYTES = 0x34;

/** Why the file is not a usable environment, or undefined when it looks sound. */
export type FileProblem = string | undefined;

/**
 * The page size a meta page declares, or what is wrong with it. Only fields LMDB writes when it creates the
 * file are read: another process may be rewriting the rest of the page right now, and a read can see it
 * half-written. (Its last page and roots cannot be compared with the file's size either: lmdb-js extends the
 * file lazily, so a root may lie past the size `fstat` reports.)
 */
function metaPageSize(b: Buffer): number | string {
  if (b.length < META_BYTES) return 'the file is shorter than its meta pages';
  if ((b.readUInt16LE(0x12) & P_META) === 0) return 'a meta page is not marked as one';
  if (b.readUInt32LE(0x18) !== MDB_MAGIC) return 'a meta page has no LMDB signature';
  const version = b.readUInt32LE(0x1c);
  if (version !== 1 && version !== 2) return `unknown LMDB data version ${version}`;
  const psize = b.readUInt32LE(0x30);
  if (psize < 512 || psize > 65536 || (psize & (psize - 1)) !== 0) return `impossible page size ${psize}`;
  return psize;
}

function readAt(fd: number, position: number): Buffer {
  const b = Buffer.alloc(META_BYTES);
  const n = fs.readSync(fd, b, 0, META_BYTES, position);
  return b.subarray(0, n);
}

/**
 * The two meta pages of an open `data.mdb` descriptor: both must carry LMDB's signature, version and the same
 * page size, and the file must not be shorter than `minSize` (LMDB never shrinks it: a file that got shorter
 * was truncated, and reading a page past its end is SIGBUS). Cheap (one fstat, two 52-byte reads from the page
 * cache): run before every use of an open environment. An empty file is a new environment and passes.
 */
export function checkDataFileFd(fd: number, minSize = 0): FileProblem {
  const size = fs.fstatSync(fd).size;
  if (size < minSize) return `the file was truncated (${size} bytes, it had ${minSize})`;
  if (size === 0) return undefined;
  const first = metaPageSize(readAt(fd, 0));
  if (typeof first === 'string') return first;
  const second = metaPageSize(readAt(fd, first));
  if (typeof second === 'string') return second;
  if (second !== first) return 'the meta pages disagree on the page size';
  return undefined;
}

/** {@link checkDataFileFd} on a path; a missing file passes (LMDB creates it). */
export function checkDataFile(file: string): FileProblem {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    if (!fs.fstatSync(fd).isFile()) return 'not a regular file';
    return checkDataFileFd(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Opens the environment read-only in a child process and reads every record of every database. */
const WALKER = `
const { open } = require(process.argv[1]);
const env = open({ path: process.argv[2], maxDbs: 4, readOnly: true });
let n = 0;
for (const name of ['records', 'expiry', 'meta']) {
  const db = env.openDB({ name, encoding: 'msgpack' });
  for (const entry of db.getRange({})) { if (entry.value !== undefined) n++; }
}
env.close();
process.stdout.write(String(n));
`;

/**
 * Reads every page of the environment in `directory` in a child process, where a crash costs nothing: a
 * signal (SIGSEGV, SIGBUS, SIGABRT from an LMDB assertion), an error or a time-out means the environment is
 * not safe to open here. Returns the problem, or undefined. Costs a Node start plus the walk (about 0.1 s per
 * 100,000 records).
 */
export function verifyInChild(directory: string, timeoutMs = 60_000): FileProblem {
  const lmdb = require.resolve('lmdb');
  const r = spawnSync(process.execPath, ['-e', WALKER, lmdb, directory], { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return `reading it did not finish in ${timeoutMs / 1000} s`;
  if (r.error !== undefined) throw r.error;
  if (r.signal !== null) return `reading it crashed the checking process (${r.signal})`;
  if (r.status !== 0) {
    const last = (r.stderr ?? '').split('\n').find((l) => /Error|error|assert/i.test(l)) ?? `exit code ${r.status}`;
    return `reading it failed: ${last.trim().slice(0, 200)}`;
  }
  return undefined;
}
