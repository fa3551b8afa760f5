import * as fs from 'node:fs';

/** Minimum time between two attempts to open a file that failed to open. */
const REOPEN_INTERVAL_MS = 1000;

function causeOf(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? 'error';
}

/**
 * A log file written by appending whole records.
 *
 * Why one `writeSync` on an `O_APPEND` descriptor, and no lock file: POSIX makes each append position itself at
 * the end of file atomically, and Linux holds the inode lock for the whole of one write() to a regular file, so
 * a record written in one call is never split by another process or thread appending to the same file. That is
 * what ModSecurity's global mutex buys it, without a lock that a crashed worker could leave held. A short write
 * (disk full) is the one way a record can end torn; it is reported, and the parser rejects such a record.
 *
 * Failures (unwritable path, full disk) are reported once per cause (the errno code: ENOSPC, EACCES, ...) with
 * the path, through `report`, never thrown: logging must not stop request processing. A failure with another
 * cause is reported again; the next success ends the outage.
 */
export class AppendFile {
  private fd: number | undefined;
  /** The cause of the current outage (an errno code, or `short-write`); undefined while writes succeed. */
  private cause: string | undefined;
  private nextOpenAt = 0;
  /** Records that could not be written. */
  failures = 0;
  /** The message of the current outage, undefined while writes succeed. */
  lastError: string | undefined;

  constructor(
    readonly path: string,
    private readonly mode: number,
    private readonly report: (message: string) => void,
  ) {
    this.open();
  }

  private open(): boolean {
    this.nextOpenAt = Date.now() + REOPEN_INTERVAL_MS;
    try {
      this.fd = fs.openSync(this.path, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT, this.mode);
      return true;
    } catch (e) {
      this.fail(causeOf(e), `cannot open ${this.path}: ${(e as Error).message}`);
      return false;
    }
  }

  private fail(cause: string, message: string): void {
    this.failures++;
    this.lastError = message;
    if (this.cause === cause) return;
    this.cause = cause;
    this.report(message);
  }

  /** Whether the last write (or open) failed. */
  get failing(): boolean {
    return this.cause !== undefined;
  }

  /** Appends `data` in one write; false when it was not (fully) written. */
  write(data: Buffer): boolean {
    if (this.fd === undefined) {
      if (Date.now() < this.nextOpenAt || !this.open()) {
        if (this.fd === undefined) this.failures++;
        return false;
      }
    }
    try {
      const n = fs.writeSync(this.fd!, data, 0, data.length);
      if (n !== data.length) {
        this.fail('short-write', `short write to ${this.path}: ${n} of ${data.length} bytes (is the disk full?)`);
        return false;
      }
    } catch (e) {
      this.fail(causeOf(e), `cannot write to ${this.path}: ${(e as Error).message}`);
      const code = (e as NodeJS.ErrnoException).code;
      // A descriptor that went bad (file system remounted, fd closed under us) is reopened on a later record.
      if (code === 'EBADF' || code === 'EIO' || code === 'ESTALE') this.close();
      return false;
    }
    this.cause = undefined;
    this.lastError = undefined;
    return true;
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      fs.closeSync(this.fd);
    } catch {
      // Already closed: nothing left to release.
    }
    this.fd = undefined;
  }
}
