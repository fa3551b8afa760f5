import { goRegExp } from './go-regexp';
import { triggeredIds } from './log-ids';
import type { LogExpectations, StageOutput } from './types';

/** What the client saw for one stage: a response (status line + what was read of it), or a transport error. */
export type StageObservation =
  | { readonly kind: 'response'; readonly status: number; readonly rawResponse: string }
  | { readonly kind: 'error'; readonly message: string };

export interface StageVerdict {
  readonly pass: boolean;
  /** Why it failed (empty when it passed); one entry per failed check, in go-ftw's order. */
  readonly reasons: string[];
  readonly triggeredIds: number[];
}

/** go-ftw folds the deprecated log_contains / no_log_contains into the log block when that block is silent. */
export function effectiveLog(output: StageOutput): LogExpectations {
  const log = output.log ?? {};
  const noIds = (log.expectIds?.length ?? 0) === 0 && (log.noExpectIds?.length ?? 0) === 0;
  return {
    ...log,
    ...(log.matchRegex === undefined && noIds && output.logContains !== undefined ? { matchRegex: output.logContains } : {}),
    ...(log.noMatchRegex === undefined && noIds && output.noLogContains !== undefined ? { noMatchRegex: output.noLogContains } : {}),
  };
}

/**
 * Judges one stage as go-ftw v2.3.0 does: expect_error, then transport error, status, response_contains, then the
 * logs (match_regex, expect_ids, isolated; no_match_regex, no_expect_ids). go-ftw stops at the first failing check;
 * here the verdict is the same, and `reasons` names that check (later checks are not evaluated, like go-ftw).
 */
export function judgeStage(output: StageOutput, seen: StageObservation, logLines: readonly string[]): StageVerdict {
  const ids = triggeredIds(logLines);
  const fail = (reason: string): StageVerdict => ({ pass: false, reasons: [reason], triggeredIds: ids });
  const ok: StageVerdict = { pass: true, reasons: [], triggeredIds: ids };

  if (output.expectError === true) {
    return seen.kind === 'error' ? ok : fail(`expected a transport error, got HTTP ${seen.status}`);
  }
  if (seen.kind === 'error') return fail(`transport error: ${seen.message}`);
  if (Array.isArray(output.status)) {
    // The older ftw format: `status: [403, 400]` passes on any of them.
    if (output.status.length > 0 && !output.status.includes(seen.status)) return fail(`status ${seen.status}, expected one of ${output.status.join(', ')}`);
  } else if (output.status !== undefined && output.status !== 0 && output.status !== seen.status) {
    return fail(`status ${seen.status}, expected ${String(output.status)}`);
  }
  if (output.responseContains !== undefined && output.responseContains !== '' && !goRegExp(output.responseContains).test(seen.rawResponse)) {
    return fail(`response does not match ${JSON.stringify(output.responseContains)}`);
  }

  const log = effectiveLog(output);
  let logsOk = true;
  let reason = '';
  if (log.matchRegex !== undefined && log.matchRegex !== '') {
    const re = goRegExp(log.matchRegex);
    if (!logLines.some((l) => re.test(l))) {
      logsOk = false;
      reason = `no log line matches ${JSON.stringify(log.matchRegex)}`;
    }
  }
  if (logsOk && (log.expectIds?.length ?? 0) > 0) {
    const missing = (log.expectIds ?? []).filter((id) => !ids.includes(id));
    if (missing.length > 0) {
      logsOk = false;
      reason = `expected ids not logged: ${missing.join(', ')}`;
    }
  }
  if (output.isolated === true) {
    // go-ftw overwrites the result here: an isolated stage passes its positive checks iff exactly one id logged.
    logsOk = ids.length === 1;
    reason = logsOk ? '' : `isolated: ${ids.length} rules logged (${ids.join(', ')}), expected exactly one`;
  }
  if (!logsOk) return fail(reason);
  if (log.noMatchRegex !== undefined && log.noMatchRegex !== '') {
    const re = goRegExp(log.noMatchRegex);
    const hit = logLines.find((l) => re.test(l));
    if (hit !== undefined) return fail(`a log line matches ${JSON.stringify(log.noMatchRegex)}: ${hit.slice(0, 300)}`);
  }
  if ((log.noExpectIds?.length ?? 0) > 0) {
    const found = (log.noExpectIds ?? []).filter((id) => ids.includes(id));
    if (found.length > 0) return fail(`forbidden ids logged: ${found.join(', ')}`);
  }
  return ok;
}
