import { compileRegex, type CompiledRegex } from '../operators/regex';
import type { Transaction } from '../transaction';

/**
 * Compiles SecAuditLogRelevantStatus. ModSecurity's recommended `^(?:5|4(?!04))` has a lookahead RE2 cannot
 * run, so the operator regex helper's backtracking fallback takes it (the input is a 3-digit status: no
 * catastrophic backtracking is possible). Throws on a pattern neither engine accepts.
 */
export function compileRelevantStatus(pattern: string | undefined): CompiledRegex | undefined {
  if (pattern === undefined || pattern === '') return undefined;
  try {
    return compileRegex(pattern, 'SecAuditLogRelevantStatus', {
      warn: () => undefined,
      options: { allowBacktrackingRegex: true, allowInspectFile: false },
    });
  } catch (e) {
    throw new Error(`SecAuditLogRelevantStatus: ${(e as Error).message}`);
  }
}

/** The status the client got: the interruption's, else the response's. */
export function sentStatus(tx: Transaction): string | undefined {
  if (tx.interruption) return String(tx.interruption.status);
  return tx.vars.get('RESPONSE_STATUS');
}

/**
 * Whether the transaction goes to the audit log: SecAuditEngine (or `ctl:auditEngine`) On; or RelevantOnly and
 * a rule with `auditlog` matched, or the status matches SecAuditLogRelevantStatus.
 */
export function isRelevant(tx: Transaction, relevantStatus: CompiledRegex | undefined): boolean {
  const engine = tx.settings.auditEngine;
  if (engine === 'Off') return false;
  if (engine === 'On') return true;
  if (tx.auditLogMarked) return true;
  if (!relevantStatus) return false;
  const status = sentStatus(tx);
  return status !== undefined && relevantStatus.test(status);
}
