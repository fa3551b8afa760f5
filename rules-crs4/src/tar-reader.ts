import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CrsError } from './errors';

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'other';

export interface TarEntry {
  readonly path: string;
  readonly type: TarEntryType;
  /** A view into the archive buffer (no copy). Empty for non-files. */
  readonly data: Buffer;
}

const BLOCK = 512;

function invalid(message: string): CrsError {
  return new CrsError('CRS_ARCHIVE_INVALID', `tar: ${message}`);
}

function cString(buf: Buffer, start: number, length: number): string {
  const field = buf.subarray(start, start + length);
  const nul = field.indexOf(0);
  return field.subarray(0, nul === -1 ? field.length : nul).toString('utf8');
}

function numeric(buf: Buffer, start: number, length: number, what: string): number {
  const first = buf[start] ?? 0;
  if (first & 0x80) {
    // GNU base-256 for values that do not fit the octal field; anything past 2^53 is not a CRS archive.
    let value = first & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + (buf[start + i] ?? 0);
    if (!Number.isSafeInteger(value)) throw invalid(`${what} too large`);
    return value;
  }
  const text = cString(buf, start, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw invalid(`${what} is not octal: ${JSON.stringify(text)}`);
  return parseInt(text, 8);
}

function checksumOk(header: Buffer): boolean {
  const stored = numeric(header, 148, 8, 'checksum');
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
  return sum === stored;
}

/** PAX extended header records: "<len> <key>=<value>\n", where len counts the whole record. */
function parsePax(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) break;
    const len = parseInt(data.subarray(pos, space).toString('latin1'), 10);
    if (!Number.isInteger(len) || len <= 0 || pos + len > data.length) throw invalid('malformed PAX record');
    const record = data.subarray(space + 1, pos + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    pos += len;
  }
  return out;
}

function typeOf(flag: string): TarEntryType {
  if (flag === '0' || flag === '\0' || flag === '' || flag === '7') return 'file';
  if (flag === '5') return 'directory';
  if (flag === '2') return 'symlink';
  return 'other';
}

/** Reads a (ustar / GNU / PAX) tar archive held in memory. Bounded by the buffer: every size is checked. */
export function readTar(archive: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let pos = 0;
  let longName: string | undefined;
  let pax: Map<string, string> | undefined;
  while (pos + BLOCK <= archive.length) {
    const header = archive.subarray(pos, pos + BLOCK);
    if (header.every((b) => b === 0)) break;
    if (!checksumOk(header)) throw invalid(`bad header checksum at offset ${pos}`);
    const flag = String.fromCharCode(header[156] ?? 0);
    let size = numeric(header, 124, 12, 'size');
    const paxSize = pax?.get('size');
    if (paxSize !== undefined && /^\d+$/.test(paxSize)) size = parseInt(paxSize, 10);
    const dataStart = pos + BLOCK;
    if (dataStart + size > archive.length) throw invalid(`entry at offset ${pos} runs past the end of the archive`);
    const data = archive.subarray(dataStart, dataStart + size);
    pos = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    if (flag === 'x') {
      pax = parsePax(data);
      continue;
    }
    if (flag === 'g') continue; // global header (GitHub puts the commit id there): nothing we need
    if (flag === 'L') {
      longName = cString(data, 0, data.length);
      continue;
    }
    const magic = header.subarray(257, 262).toString('latin1');
    const prefix = magic === 'ustar' ? cString(header, 345, 155) : '';
    const name = cString(header, 0, 100);
    const entryPath = pax?.get('path') ?? longName ?? (prefix !== '' ? `${prefix}/${name}` : name);
    entries.push({ path: entryPath, type: typeOf(flag), data: typeOf(flag) === 'file' ? data : data.subarray(0, 0) });
    longName = undefined;
    pax = undefined;
  }
  return entries;
}

export interface ExtractOptions {
  /** Leading path components to drop (GitHub archives wrap everything in `<repo>-<version>/`). */
  readonly stripComponents?: number;
  /** Only entries whose (stripped) path this accepts are written. */
  readonly filter?: (relativePath: string) => boolean;
}

/** Writes regular files and directories under destDir. Links are skipped and escaping paths refused. */
export function extractTar(archive: Buffer, destDir: string, options: ExtractOptions = {}): string[] {
  const strip = options.stripComponents ?? 0;
  const written: string[] = [];
  const root = path.resolve(destDir);
  for (const entry of readTar(archive)) {
    if (entry.type !== 'file' && entry.type !== 'directory') continue;
    const parts = entry.path.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.some((p) => p === '..') || entry.path.startsWith('/')) throw invalid(`unsafe path ${JSON.stringify(entry.path)}`);
    if (parts.length <= strip) continue;
    const rel = parts.slice(strip).join('/');
    if (options.filter && !options.filter(rel)) continue;
    const target = path.join(root, ...parts.slice(strip));
    if (!target.startsWith(root + path.sep)) throw invalid(`unsafe path ${JSON.stringify(entry.path)}`);
    if (entry.type === 'directory') {
      mkdirSync(target, { recursive: true });
    } else {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, entry.data);
      written.push(rel);
    }
  }
  return written;
}
