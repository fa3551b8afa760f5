import type { DebugLogger } from '../audit/debug-log';
import type { Transaction } from '../transaction';
import { debugLogSink } from './debug-log-sink';
import type { TraceSink } from './events';

/** The debug log's two sinks: rules only (levels 4 to 8), and every value as well (level 9). */
const debugSinks = new WeakMap<DebugLogger, { rules: TraceSink; values: TraceSink }>();

/**
 * Where a transaction's trace goes: its own sink (Transaction.trace, set by a tool such as `rampart explain`),
 * else the debug log when its level for this transaction (SecDebugLogLevel, or ctl:debugLogLevel) is 4 or more,
 * else nowhere. Asked once per rule, so ctl:debugLogLevel takes effect with the next rule.
 */
export function traceOf(tx: Transaction): TraceSink | undefined {
  const own = tx.trace;
  if (own !== undefined) return own;
  const debug = tx.waf.debugLog;
  if (debug === undefined) return undefined;
  const level = tx.settings.debugLogLevel;
  if (level < 4) return undefined;
  let sinks = debugSinks.get(debug);
  if (sinks === undefined) {
    sinks = { rules: debugLogSink(debug, false), values: debugLogSink(debug, true) };
    debugSinks.set(debug, sinks);
  }
  return level >= 9 ? sinks.values : sinks.rules;
}
