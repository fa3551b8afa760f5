import type { ModsecCase } from './cases';
import { compileExpected } from './expected-regex';
import type { CaseOutcome } from './run-case';

/**
 * The tiers a case is judged in. `load`: a `parser_error` case must be refused. `status`: every other case
 * compares the final status. `error_log`, `trace`, `debug` and `audit_log`: the case's regex over the server
 * log, the debug log or the audit log. `trace` holds the debug-log regexes that ask for an evaluation trace
 * (`Target value: "V" (Variable: NAME)`, `Rule returned 1/0`); `debug` the others, which ask for more of
 * ModSecurity's own debug wording.
 */
export type Tier = 'load' | 'status' | 'error_log' | 'trace' | 'debug' | 'audit_log';

export const TIERS: readonly Tier[] = ['load', 'status', 'error_log', 'trace', 'debug', 'audit_log'];

export interface Check {
  readonly tier: Tier;
  readonly passed: boolean;
  /** Why it failed. */
  readonly reason?: string;
}

/** Whether a debug_log regex asks for the evaluation trace (values seen, rule results) rather than other wording. */
export function isTraceRegex(pattern: string): boolean {
  return /Target value|Rule returned/.test(pattern);
}

function regexCheck(tier: Tier, pattern: string, text: string, what: string): Check {
  const re = compileExpected(pattern);
  if (typeof re === 'string') return { tier, passed: false, reason: re };
  if (re.test(text)) return { tier, passed: true };
  return { tier, passed: false, reason: `${what} does not match /${pattern}/` };
}

/** The checks of one case, in ModSecurity's order (debug log, status, error log, audit log), load first. */
export function judge(c: ModsecCase, o: CaseOutcome): Check[] {
  const e = c.expected;
  if (e.parserError !== '') {
    if (o.loadError !== undefined) return [{ tier: 'load', passed: true }];
    return [{ tier: 'load', passed: false, reason: `loaded; libmodsecurity refuses it: ${e.parserError}` }];
  }
  const tiers: Array<{ tier: Tier; pattern: string }> = [];
  if (e.debugLog !== '') tiers.push({ tier: isTraceRegex(e.debugLog) ? 'trace' : 'debug', pattern: e.debugLog });
  tiers.push({ tier: 'status', pattern: '' });
  if (e.errorLog !== '') tiers.push({ tier: 'error_log', pattern: e.errorLog });
  if (e.auditLog !== '') tiers.push({ tier: 'audit_log', pattern: e.auditLog });
  const failAll = (reason: string): Check[] => tiers.map(({ tier }) => ({ tier, passed: false, reason }));
  if (o.loadError !== undefined) return failAll(`refused to load: ${o.loadError.replace(/\n\s*/g, ' | ')}`);
  if (o.crash !== undefined) return failAll(`threw: ${o.crash.split('\n')[0]}`);
  return tiers.map(({ tier, pattern }): Check => {
    switch (tier) {
      case 'status':
        return o.status === e.httpCode ? { tier, passed: true } : { tier, passed: false, reason: `status ${o.status}, expected ${e.httpCode}` };
      case 'error_log':
        return regexCheck(tier, pattern, o.errorLog, 'error log');
      case 'audit_log':
        return regexCheck(tier, pattern, o.auditLog, 'audit log');
      default:
        return regexCheck(tier, pattern, o.debugLog, 'debug log');
    }
  });
}
