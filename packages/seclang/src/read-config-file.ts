import * as fs from 'node:fs';

/**
 * Largest file the configuration may read (an Include, a `@pmFromFile` list, SecUnicodeMapFile, the GeoIP
 * database): 128 MiB. Large enough for the biggest real lists and GeoIP City databases, small enough that a
 * wrong path cannot take the host's memory.
 */
export const DEFAULT_MAX_CONFIG_FILE_BYTES = 128 * 1024 * 1024;

const CHUNK_BYTES = 64 * 1024;

/** Why a configuration file was refused; `code` is stable (`not-regular`, `too-large`, or the errno code). */
export class ConfigFileError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigFileError';
  }
}

function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function tooLarge(bytes: number, maxBytes: number, more: boolean): ConfigFileError {
  return new ConfigFileError(
    'too-large',
    `${more ? 'more than ' : ''}${bytes} bytes, over the limit of ${maxBytes} bytes for a configuration file (raise it with --max-file-size / maxFileBytes if the file is meant to be this large)`,
  );
}

/**
 * Reads a file that the configuration names, refusing anything but a regular file of at most `maxBytes`:
 * `/dev/zero`, `/dev/urandom`, a FIFO or a socket would otherwise be read until memory runs out (or block
 * forever). The type is checked before opening (opening a FIFO blocks), and again on the open descriptor (the
 * path may have changed in between); the read stops at `maxBytes + 1` whatever `stat` said, so a file that
 * grows, or a /proc file that reports size 0, is still bounded. Throws ConfigFileError or the system error.
 *
 * @example readConfigFileBytes('/etc/modsecurity/crs/rules/REQUEST-901-INITIALIZATION.conf', 1 << 20)
 */
export function readConfigFileBytes(absPath: string, maxBytes: number = DEFAULT_MAX_CONFIG_FILE_BYTES): Buffer {
  const st = fs.statSync(absPath);
  if (!st.isFile()) throw new ConfigFileError('not-regular', `${kindOf(st)}, not a regular file`);
  if (st.size > maxBytes) throw tooLarge(st.size, maxBytes, false);
  const fd = fs.openSync(absPath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
  try {
    const opened = fs.fstatSync(fd);
    if (!opened.isFile()) throw new ConfigFileError('not-regular', `${kindOf(opened)}, not a regular file`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(CHUNK_BYTES, maxBytes + 1 - total);
      const chunk = Buffer.allocUnsafe(want);
      const n = fs.readSync(fd, chunk, 0, want, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw tooLarge(maxBytes, maxBytes, true);
      chunks.push(n === want ? chunk : chunk.subarray(0, n));
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}

/** {@link readConfigFileBytes} as latin1 text (SecLang and its data files are bytes: one char per byte). */
export function readConfigFile(absPath: string, maxBytes: number = DEFAULT_MAX_CONFIG_FILE_BYTES): string {
  return readConfigFileBytes(absPath, maxBytes).toString('latin1');
}
