import type { WafSettings } from '../settings';
import type { Transaction } from '../transaction';
import { AppendFile } from './append-file';
import { encodeRecord } from './encoding';
import { formatDebugTime } from './time-format';

/** Longest message written; longer ones (a whole body at level 9) are cut and marked. */
const MAX_MESSAGE = 16384;

export interface DebugLogger {
  /** Whether a message of `level` is written for `tx` (its `ctl:debugLogLevel`, else SecDebugLogLevel). */
  enabled(level: number, tx?: Transaction): boolean;
  /**
   * Writes `[time] [unique_id] [uri] [level] message` when enabled. Callers on hot paths test `enabled` (or
   * `tx.settings.debugLogLevel >= level`) first, so that building the message costs nothing when off.
   */
  log(level: number, tx: Transaction | undefined, message: string): void;
  close(): void;
}

export interface DebugLoggerOptions {
  /** Write failures, once per outage. Default: a line on stderr. */
  onError?: (message: string) => void;
  /** Clock, for tests. */
  now?: () => Date;
}

/** Control bytes and DEL as `\xNN`, so one message stays one line; other bytes are written as they are. */
function escapeControls(s: string): string {
  return s.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * SecDebugLog / SecDebugLogLevel. Levels as in ModSecurity: 1 errors, 2 warnings, 3 notices, 4 how rules and
 * phases run (operator results), 5 details, 9 everything (transformation results, target values). Lines are
 * ModSecurity v3's `[unique_id] [uri] [level] message` with the time in front. Returns undefined without
 * SecDebugLog. `ctl:debugLogLevel` raises or lowers the level of one transaction.
 *
 * @example
 * const debug = createDebugLogger(waf.settings);
 * if (debug && tx.settings.debugLogLevel >= 4) debug.log(4, tx, `Rule returned ${matched ? 1 : 0}.`);
 */
export function createDebugLogger(settings: Readonly<WafSettings>, options: DebugLoggerOptions = {}): DebugLogger | undefined {
  if (settings.debugLog === undefined) return undefined;
  const onError = options.onError ?? ((m: string) => process.stderr.write(`rampart: debug log: ${m}\n`));
  const now = options.now ?? (() => new Date());
  const globalLevel = settings.debugLogLevel;
  let file: AppendFile | undefined = new AppendFile(settings.debugLog, 0o640, onError);
  const enabled = (level: number, tx?: Transaction): boolean => file !== undefined && level <= (tx ? tx.settings.debugLogLevel : globalLevel);
  return {
    enabled,
    log(level, tx, message): void {
      if (!enabled(level, tx)) return;
      const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}... (${message.length} bytes)` : message;
      const id = tx ? tx.id : '-';
      const uri = tx ? (tx.vars.get('REQUEST_URI') ?? '') : '';
      file!.write(encodeRecord(`[${formatDebugTime(now())}] [${escapeControls(id)}] [${escapeControls(uri)}] [${level}] ${escapeControls(text)}\n`));
    },
    close(): void {
      file?.close();
      file = undefined;
    },
  };
}
