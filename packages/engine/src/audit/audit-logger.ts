import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WafSettings } from '../settings';
import type { Transaction } from '../transaction';
import { AppendFile } from './append-file';
import { formatIndexLine } from './concurrent-index';
import { formatV2IndexLine } from './concurrent-v2-index';
import type { DebugLogger } from './debug-log';
import { encodeRecord } from './encoding';
import { formatJsonRecord } from './json-format';
import { formatNativeRecord } from './native-format';
import { formatNativeV2Record } from './native-v2-format';
import { compileRelevantStatus, isRelevant } from './relevance';
import { RuleTextSource } from './rule-text';
import { formatConcurrentPath } from './time-format';

export interface AuditLoggerOptions {
  /** Write failures (unwritable path, full disk), once per outage. Default: a line on stderr. */
  onError?: (message: string) => void;
  /** Configuration that writes nothing (SecAuditEngine without SecAuditLog, ...). Default: a line on stderr. */
  onWarning?: (message: string) => void;
  /**
   * The Native format's layout: `v3` (default), libmodsecurity v3's, which the agent and the library replace;
   * `v2` for sites migrating from ModSecurity v2 whose tools parse its layout (sections I, J and K with content,
   * `Message:` lines, the v2 trailer fields). `SecAuditLogFormat Native` means v3's either way.
   */
  nativeLayout?: 'v3' | 'v2';
  /** v2 layout only: section H `Apache-Handler:` — the connector, e.g. `rampart-spoa`. Left out when unset. */
  handler?: string;
  /** JSON `producer.connector`, e.g. `rampart-spoa v0.1.0`. */
  connector?: string;
  /** Receives the audit log's own debug messages (level 4: skipped; 8: relevance; 9: bytes written). */
  debugLog?: DebugLogger;
}

/** What became of a transaction's audit record: written, not relevant (`skipped`), or lost (`failed`). */
export type AuditResult = 'written' | 'skipped' | 'failed';

export interface AuditLogger {
  /** Writes the transaction's record when it is relevant. Never throws. Wire as `waf.auditLog = logger.log`. */
  readonly log: (tx: Transaction) => AuditResult;
  /** Records written, and records that could not be written (see onError). */
  readonly stats: { written: number; failed: number };
  /** Closes the log files; later records are not written. */
  close(): void;
}

const stderrLine = (prefix: string) => (message: string): void => {
  process.stderr.write(`rampart: ${prefix}: ${message}\n`);
};

/** Concurrent entries need safe file names: a unique id from a proxy may hold `/` or other bytes. */
const safeFileId = (id: string): string => id.replace(/[^A-Za-z0-9@._-]/g, '_').slice(0, 200);

const MAX_REMEMBERED_DIRS = 1024;

/**
 * The audit log described by the SecAuditLog* settings: Serial (every record appended to SecAuditLog) or
 * Concurrent (one file per record under SecAuditLogStorageDir, with an index line in SecAuditLog and
 * SecAuditLog2), in Native or JSON format. Returns undefined when SecAuditLog is not set: there is nowhere to
 * write. Throws only on configuration errors (a SecAuditLogRelevantStatus no regex engine compiles).
 *
 * @example
 * const logger = createAuditLogger(waf.settings, { handler: 'rampart-spoa' });
 * if (logger) waf.auditLog = logger.log;
 */
export function createAuditLogger(settings: Readonly<WafSettings>, options: AuditLoggerOptions = {}): AuditLogger | undefined {
  const onError = options.onError ?? stderrLine('audit log');
  const onWarning = options.onWarning ?? stderrLine('warning');
  const relevantStatus = compileRelevantStatus(settings.auditLogRelevantStatus);
  const mainPath = settings.auditLog;
  if (mainPath === undefined) {
    if (settings.auditEngine !== 'Off') onWarning(`SecAuditEngine ${settings.auditEngine} without SecAuditLog: no audit records are written`);
    return undefined;
  }
  const concurrent = settings.auditLogType === 'Concurrent' || settings.auditLogType === 'Parallel';
  if (settings.auditLogType === 'HTTPS') throw new Error('SecAuditLogType HTTPS is not supported');
  if (!concurrent && settings.auditLog2 !== undefined) {
    onWarning('SecAuditLog2 is only used with SecAuditLogType Concurrent (a second index, as in ModSecurity): nothing is written to it');
  }
  const main = new AppendFile(mainPath, settings.auditLogFileMode, onError);
  const second = concurrent && settings.auditLog2 !== undefined ? new AppendFile(settings.auditLog2, settings.auditLogFileMode, onError) : undefined;
  const storageDir = settings.auditLogStorageDir ?? path.dirname(mainPath);
  const ruleText = new RuleTextSource();
  const json = settings.auditLogFormat === 'JSON';
  const v2 = options.nativeLayout === 'v2';
  const debug = options.debugLog;
  const stats = { written: 0, failed: 0 };
  const knownDirs = new Set<string>();
  let closed = false;
  let concurrentFailing = false;

  const format = (tx: Transaction): Buffer => {
    const parts = tx.settings.auditLogParts;
    const text = json
      ? formatJsonRecord(tx, parts, options.connector !== undefined ? { connector: options.connector } : {})
      : v2
        ? formatNativeV2Record(tx, parts, { ruleText, ...(options.handler !== undefined ? { handler: options.handler } : {}) })
        : formatNativeRecord(tx, parts);
    return encodeRecord(text);
  };

  const writeConcurrent = (tx: Transaction, record: Buffer): boolean => {
    const file = `${storageDir}${formatConcurrentPath(tx.now())}-${safeFileId(tx.id)}`;
    try {
      const dir = path.dirname(file);
      if (!knownDirs.has(dir)) {
        fs.mkdirSync(dir, { recursive: true, mode: settings.auditLogDirMode });
        if (knownDirs.size >= MAX_REMEMBERED_DIRS) knownDirs.clear();
        knownDirs.add(dir);
      }
      // Appended, as ModSecurity does: two records of one id in one second share the file, both kept.
      fs.writeFileSync(file, record, { mode: settings.auditLogFileMode, flag: 'a' });
    } catch (e) {
      if (!concurrentFailing) onError(`cannot write ${file}: ${(e as Error).message}`);
      concurrentFailing = true;
      return false;
    }
    concurrentFailing = false;
    const md5 = crypto.createHash('md5').update(record).digest('hex');
    const index = encodeRecord(v2 ? formatV2IndexLine(tx, file.slice(storageDir.length), record.length, md5) : formatIndexLine(tx, file, record.length, md5));
    const ok = main.write(index);
    if (second) second.write(index);
    return ok;
  };

  const log = (tx: Transaction): AuditResult => {
    if (closed) return 'skipped';
    try {
      const relevant = isRelevant(tx, relevantStatus);
      if (debug && tx.settings.debugLogLevel >= 8) {
        // libmodsecurity v3's lines (transaction.cc processLogging), then Rampart's own with the reason.
        debug.log(8, tx, 'Checking if this request is suitable to be saved as an audit log.');
        debug.log(8, tx, 'Checking if this request is relevant to be part of the audit logs.');
        debug.log(8, tx, `Audit log: transaction ${relevant ? 'is' : 'is not'} relevant (engine ${tx.settings.auditEngine}, parts ${tx.settings.auditLogParts}).`);
      }
      if (!relevant) return 'skipped';
      if (!tx.vars.has('REQUEST_LINE')) {
        // As ModSecurity: a connection that never sent a request line has nothing to show.
        if (debug && tx.settings.debugLogLevel >= 4) debug.log(4, tx, 'Audit log: Skipping request whose request_line is null.');
        return 'skipped';
      }
      const record = format(tx);
      const ok = concurrent ? writeConcurrent(tx, record) : main.write(record);
      if (ok) stats.written++;
      else stats.failed++;
      if (ok && debug && tx.settings.debugLogLevel >= 8) debug.log(8, tx, `Request was relevant to be saved. Parts: ${partsMask(tx.settings.auditLogParts)}`);
      if (ok && debug && tx.settings.debugLogLevel >= 9) debug.log(9, tx, `Audit log: Wrote ${record.length} bytes to ${concurrent ? storageDir : mainPath}.`);
      return ok ? 'written' : 'failed';
    } catch (e) {
      // Formatting reads only transaction state and must not fail; if it does, the request still completes.
      stats.failed++;
      onError(`cannot format the record of transaction ${tx.id}: ${(e as Error).message}`);
      return 'failed';
    }
  };

  return {
    log,
    stats,
    close(): void {
      closed = true;
      main.close();
      second?.close();
    },
  };
}

/** SecAuditLogParts as libmodsecurity v3's bit mask (A = 2, B = 4, ... K = 2048, Z = 4096), as its debug log prints it. */
export function partsMask(parts: string): number {
  let mask = 0;
  for (const c of parts.toUpperCase()) {
    if (c === 'Z') mask |= 4096;
    else if (c >= 'A' && c <= 'K') mask |= 2 << (c.charCodeAt(0) - 65);
  }
  return mask;
}
