import * as fs from 'node:fs';
import * as path from 'node:path';
import { CompileMemo, readCompileMemo, writeCompileMemo, type MemoEntry } from '@rampart/engine';

/** The memo file in `--cache-dir`. */
export const MEMO_FILE_NAME = 'compile-memo.bin';

interface CacheLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/**
 * What the agent's compiles remember between loads (the engine's CompileMemo): the first worker of a load
 * starts from it, the other workers from what the first built. Without a directory it lives as long as the
 * process (a reload of the same rules is cheap); with `--cache-dir` it is also read from and written to a memo
 * file there, so that the next start is cheap too. A file that is missing, damaged, from another build of the
 * engine, or writable by anyone but this user is ignored (with the reason in the log) and written again.
 */
export class CompileCache {
  private entries: MemoEntry[] = [];

  constructor(
    private readonly dir: string | undefined,
    private readonly log: CacheLog,
  ) {}

  get file(): string | undefined {
    return this.dir === undefined ? undefined : path.join(this.dir, MEMO_FILE_NAME);
  }

  /** The entries a load starts from: the memo file's when it can be used, else the previous load's. */
  seed(): MemoEntry[] {
    const file = this.file;
    if (this.dir === undefined || file === undefined) return this.entries;
    try {
      // Created here, after --user/--group dropped privileges, so that it belongs to the user that writes it.
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      this.log.warn({ dir: this.dir }, `--cache-dir: cannot create ${this.dir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}; compiling without it`);
      return this.entries;
    }
    const started = performance.now();
    const read = readCompileMemo(file);
    if (read.problem !== undefined) {
      if (read.problem !== 'no memo file yet') this.log.warn({ file }, `compile memo: ${read.problem}`);
      return this.entries;
    }
    this.log.info({ file, entries: read.memo.size, ms: Math.round(performance.now() - started) }, 'compile memo read');
    return [...read.memo.entries()];
  }

  /** After a load: keeps what it used, and writes the memo file when the load had to build something. */
  loaded(entries: MemoEntry[], built: number): void {
    this.entries = entries;
    const file = this.file;
    if (file === undefined || built === 0) return;
    try {
      writeCompileMemo(file, new CompileMemo({ entries }));
      this.log.info({ file, entries: entries.length, bytes: fs.statSync(file).size }, 'compile memo written');
    } catch (e) {
      this.log.warn({ file }, `compile memo: cannot write ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
