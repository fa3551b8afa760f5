import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { AuditLogParseError, parseJsonRecord, parseNativeRecord } from '@rampart/engine';
import { entryFromJson, entryFromNative, type AuditEntry } from './audit-entry';
import { NativeSplitter } from './native-splitter';

export interface AuditReadProgress {
  /** Bytes read from the files so far (compressed bytes for gzip files), and their total. */
  bytesRead: number;
  totalBytes: number;
  records: number;
  file: string;
}

export interface AuditReadOptions {
  /** Called as data is read (after every chunk of up to 1 MiB). */
  onProgress?: (p: AuditReadProgress) => void;
  /** Something that is not a whole record: a torn write, a line that is not JSON, a record out of shape. */
  onProblem?: (file: string, message: string) => void;
}

/** Thrown for a file that cannot be read at all (missing, not an audit log). */
export class AuditLogReadError extends Error {
  readonly code = 'audit-log-read';
}

/**
 * The files named: a directory stands for every file under it, in name order (SecAuditLogStorageDir of a
 * Concurrent log holds one record per file).
 */
export function expandLogPaths(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      throw new AuditLogReadError(`${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
    }
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name));
    } else if (st.isFile()) out.push(p);
  };
  for (const p of paths) walk(p);
  return out;
}

function isGzip(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const magic = Buffer.alloc(2);
    return fs.readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    fs.closeSync(fd);
  }
}

const CHUNK = 1024 * 1024;

/**
 * Every transaction in the audit logs named (files or directories), in order: ModSecurity's Native layout
 * (libmodsecurity v3's `---XXXXXXXX---A--` or v2's `--xxxxxxxx-A--`, Serial or one record per Concurrent file) or
 * v3's JSON (one object per line), each file gzip-compressed or not (told by its first bytes, not its name).
 * Files are streamed: memory holds one record at a time, whatever the log's size. What is not a whole record is
 * reported through `onProblem` and skipped.
 *
 * @example
 * for await (const entry of readAuditLogs(['/var/log/modsec_audit.log', 'old.log.gz'])) console.log(entry.id);
 */
export async function* readAuditLogs(paths: readonly string[], options: AuditReadOptions = {}): AsyncGenerator<AuditEntry> {
  const files = expandLogPaths(paths);
  const totalBytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  const progress: AuditReadProgress = { bytesRead: 0, totalBytes, records: 0, file: '' };
  const problem = options.onProblem ?? (() => undefined);
  for (const file of files) {
    progress.file = file;
    const raw = fs.createReadStream(file, { highWaterMark: CHUNK });
    raw.on('data', (chunk) => {
      progress.bytesRead += chunk.length;
      options.onProgress?.(progress);
    });
    const input: AsyncIterable<Buffer> = isGzip(file) ? raw.pipe(zlib.createGunzip({ chunkSize: CHUNK })) : raw;
    const ready: AuditEntry[] = [];
    let format: 'native' | 'json' | undefined;
    let jsonTail = '';
    let jsonLine = 0;
    const splitter = new NativeSplitter(
      (text) => {
        try {
          ready.push(entryFromNative(parseNativeRecord(text)));
        } catch (e) {
          problem(file, e instanceof AuditLogParseError ? e.message : `unreadable record: ${(e as Error).message}`);
        }
      },
      (text) => problem(file, `${text.length} bytes that are not part of a whole record: ${JSON.stringify(text.slice(0, 80))}`),
    );
    const jsonLines = (text: string, final: boolean): void => {
      const lines = (jsonTail + text).split('\n');
      jsonTail = final ? '' : lines.pop()!;
      for (const line of lines) {
        jsonLine++;
        if (line.trim() === '') continue;
        try {
          ready.push(entryFromJson(parseJsonRecord(line)));
        } catch (e) {
          problem(file, `line ${jsonLine}: not a JSON audit record (${(e as Error).message})`);
        }
      }
    };
    try {
      for await (const chunk of input) {
        const text = chunk.toString('latin1');
        if (format === undefined) {
          const first = /\S/.exec(text);
          if (!first) continue;
          if (first[0] === '{') format = 'json';
          else if (/^(?:---[0-9A-Za-z]{8}---|--[0-9a-f]{8}-)A--$/m.test(text)) format = 'native';
          else {
            raw.destroy();
            throw new AuditLogReadError(
              `${file}: not an audit log (a Native record starts with ---XXXXXXXX---A--, a JSON one with {); for a Concurrent log, name its storage directory`,
            );
          }
        }
        if (format === 'json') jsonLines(text, false);
        else splitter.push(text);
        for (const e of ready) {
          progress.records++;
          yield e;
        }
        ready.length = 0;
      }
    } catch (e) {
      if (e instanceof AuditLogReadError) throw e;
      throw new AuditLogReadError(`${file}: ${(e as Error).message}`);
    }
    if (format === 'json') jsonLines('', true);
    else splitter.end();
    for (const e of ready) {
      progress.records++;
      yield e;
    }
  }
}

/** The record of one transaction, by its unique id (the first one found); undefined when no log has it. */
export async function findAuditEntry(paths: readonly string[], id: string, options: AuditReadOptions = {}): Promise<AuditEntry | undefined> {
  for await (const entry of readAuditLogs(paths, options)) if (entry.id === id) return entry;
  return undefined;
}
