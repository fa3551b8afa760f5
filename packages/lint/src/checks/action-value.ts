import { catalog } from '@rampart/seclang';
import type { ActionNode } from '@rampart/seclang';
import type { Check } from '../types';
import { allActions } from '../walk';

const SEVERITIES = new Set(['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug']);

const hasMacro = (a: ActionNode) => a.macro?.parts.some((p) => typeof p !== 'string') === true;

/** Problems with the value of an action whose value has a fixed form; undefined when it is fine. */
function valueProblem(a: ActionNode): string | undefined {
  const v = (a.value ?? '').trim();
  switch (a.name) {
    case 'severity':
      return /^[0-7]$/.test(v) || SEVERITIES.has(v.toLowerCase()) ? undefined : 'expected 0-7 or EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG';
    case 'status':
      return /^[1-5][0-9]{2}$/.test(v) || hasMacro(a) ? undefined : 'expected an HTTP status code (100-599)';
    case 'skip':
      return /^[1-9][0-9]*$/.test(v) ? undefined : 'expected a positive number of rules';
    case 'maturity':
    case 'accuracy':
      return /^[1-9]$/.test(v) ? undefined : 'expected 1-9';
    case 'allow':
      return v === '' || v === 'phase' || v === 'request' ? undefined : "expected 'allow', 'allow:phase' or 'allow:request'";
    default:
      return undefined;
  }
}

/**
 * An action given a value it does not take (`deny:403`), missing one it needs (`msg`, `t`, `setvar`), or with
 * a value of the wrong form (`severity:5x`, `status:abc`, `skip:0`). Phases are the missing-phase check's
 * and ids the missing-id check's.
 */
export const actionValue: Check = {
  name: 'action-value',
  meta: {
    severity: 'error',
    docs: 'An action with a value it does not take (deny:403), without one it needs (msg, t, setvar), or with a malformed one (severity, status, skip).',
    engineMessages: [/^action '.*' (needs|takes) /, /^(severity|status|skip|maturity|accuracy|allow|rev|ver|msg|logdata|tag|t|setvar|setenv|expirevar|initcol|redirect)\b.* (must|needs|takes|expects)/],
  },
  check(ctx) {
    for (const a of allActions(ctx.ast)) {
      const info = catalog.findAction(a.name);
      // id and phase values are checked, with better messages, by missing-id and missing-phase.
      if (info === undefined || a.name === 'id' || a.name === 'phase') continue;
      if (info.value === 'none' && a.value !== undefined) {
        ctx.report(a.loc, `'${a.rawName}' takes no value`);
      } else if (info.value === 'required' && (a.value === undefined || a.value.trim() === '')) {
        ctx.report(a.loc, `'${a.rawName}' needs a value (${a.rawName}:...)`);
      } else if (a.value !== undefined) {
        const problem = valueProblem(a);
        if (problem !== undefined) ctx.report(a.loc, `${a.rawName}:${a.value}: ${problem}`);
      }
    }
  },
};
