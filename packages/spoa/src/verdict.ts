import { spopValue, type SpopAction } from '@rampart/spop';
import type { AgentErrorCode } from './agent-error';
import type { CollectionsActivity } from './collections';

/** Rule ids listed in `rule_ids` at most: keeps the ACK far below any max-frame-size. */
export const MAX_EXPORTED_RULE_IDS = 64;

/** The outcome of one inspection step (request phases 1-2, or response phases 3-4). */
export interface Verdict {
  /** The transaction id (HAProxy's unique-id, or one made up when it was empty). */
  id: string;
  /** Application that inspected it. */
  app: string;
  /** Interruption status, 0 when the transaction goes on. */
  code: number;
  /** Disruptive action (`deny`, `drop`, `redirect`, ...) when interrupted. */
  action?: string;
  /** Interrupting rule id (0 for engine limits such as a body over SecRequestBodyLimit). */
  ruleId?: number;
  /** Redirect target. */
  url?: string;
  /** Ids of the rules that matched and logged (or interrupted), in match order. */
  ruleIds: number[];
  /** CRS's blocking anomaly score for this direction (`TX:blocking_inbound_anomaly_score` / outbound), 0 without CRS. */
  anomalyScore: number;
  /** The request body HAProxy sent was shorter than `req.body_size`: only a prefix was inspected. */
  bodyTruncated: boolean;
  /** ModSecurity error-log lines written during this step. */
  logLines: string[];
  /** Milliseconds spent in the engine for this step. */
  engineMs: number;
  /** Set when the step could not run; the other fields are then neutral. */
  error?: { code: AgentErrorCode; message: string };
  /** What became of the audit record when this step ended the transaction (absent: not ended, or no audit log). */
  audit?: 'written' | 'failed';
  /** The persistent collections in Redis (`--collections`) could not be read or written for this transaction. */
  collectionsUnavailable?: boolean;
  /** The Redis store's round trips on this thread since its previous verdict (metrics). */
  collectionsActivity?: CollectionsActivity;
  /** A traced transaction that ended with this step: its explain record (one line of JSON) for the trace log. */
  trace?: string;
}

/** A verdict carrying only an error. */
export function errorVerdict(code: AgentErrorCode, message: string, id = '', app = ''): Verdict {
  return { id, app, code: 0, ruleIds: [], anomalyScore: 0, bodyTruncated: false, logLines: [], engineMs: 0, error: { code, message } };
}

/**
 * The ACK's SET-VAR actions (scope txn; HAProxy names them `txn.<var-prefix>.<name>`):
 * `code` always (0 when clean, so `-m int gt 0` works as with spoa-modsecurity), `id`, `anomaly_score`;
 * `action`/`status`/`ruleid` (and `data` for a redirect) on interruption; `rule_ids` when rules logged and
 * exporting is on; `truncated` 1 when the body was cut; `error` instead of all that when the step failed.
 */
export function verdictActions(v: Verdict, exportRuleIds: boolean): SpopAction[] {
  const set = (name: string, value: ReturnType<typeof spopValue.string>): SpopAction => ({ type: 'set-var', scope: 'txn', name, value });
  if (v.error) {
    const out = [set('error', spopValue.uint32(v.error.code))];
    if (v.id !== '') out.push(set('id', spopValue.string(v.id)));
    return out;
  }
  const out: SpopAction[] = [set('code', spopValue.uint32(v.code)), set('id', spopValue.string(v.id)), set('anomaly_score', spopValue.uint32(v.anomalyScore))];
  if (v.code > 0) {
    out.push(set('status', spopValue.uint32(v.code)));
    if (v.action !== undefined) out.push(set('action', spopValue.string(v.action)));
    if (v.ruleId !== undefined) out.push(set('ruleid', spopValue.uint32(v.ruleId)));
    if (v.url !== undefined) out.push(set('data', spopValue.string(v.url.slice(0, 2048))));
  }
  if (exportRuleIds && v.ruleIds.length > 0) out.push(set('rule_ids', spopValue.string(v.ruleIds.slice(0, MAX_EXPORTED_RULE_IDS).join(','))));
  if (v.bodyTruncated) out.push(set('truncated', spopValue.uint32(1)));
  return out;
}
