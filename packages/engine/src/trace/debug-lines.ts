import type { MultipartDebug } from '../body/multipart';
import type { Transaction } from '../transaction';

/*
 * Debug-log lines written outside rule evaluation (body processors, limits), in libmodsecurity v3's words and at
 * its levels. Callers pass a built message only after `debugLevel(tx) >= level` on hot paths, so that nothing is
 * built when SecDebugLog is off or lower.
 */

/** The transaction's debug-log level (SecDebugLogLevel, or ctl:debugLogLevel), or 0 without SecDebugLog. */
export function debugLevel(tx: Transaction): number {
  return tx.waf.debugLog === undefined ? 0 : tx.settings.debugLogLevel;
}

/** Writes one line when the transaction's level reaches `level`. */
export function debugLine(tx: Transaction, level: number, message: string): void {
  const log = tx.waf.debugLog;
  if (log !== undefined && level <= tx.settings.debugLogLevel) log.log(level, tx, message);
}

/** The body parsers' debug sink for this transaction, or undefined when it writes nothing. */
export function bodyDebug(tx: Transaction): MultipartDebug | undefined {
  const level = debugLevel(tx);
  if (level < 1) return undefined;
  return { level, log: (l, message) => debugLine(tx, l, message) };
}

/**
 * `Adding request argument (GET): name "a", value "1"` for each argument a parser added (level 4), and v3's
 * `Skipping request argument, over limit (N)` when the parser stopped at SecArgumentsLimit (it stops at the first
 * argument over the limit, so the line is written once).
 */
export function debugArguments(
  tx: Transaction,
  origin: 'GET' | 'POST' | 'JSON',
  args: ReadonlyArray<{ readonly name: string; readonly value: string }>,
  limitExceeded: boolean,
): void {
  if (debugLevel(tx) < 4) return;
  for (const a of args) debugLine(tx, 4, `Adding request argument (${origin}): name "${a.name}", value "${a.value}"`);
  if (limitExceeded) debugLine(tx, 4, `Skipping request argument, over limit (${tx.waf.settings.argumentsLimit})`);
}
