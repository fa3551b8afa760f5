import { catalog } from '@rampart/seclang';
import type { Check } from '../types';
import { allActions } from '../walk';

/**
 * Deprecated actions:
 * - actions only ModSecurity v2 implements (append, prepend, deprecatevar, pause, proxy, the sanitise* family):
 *   v2 reached its end of life in July 2024, ModSecurity v3 refuses rules that use them ("not yet supported")
 *   and Coraza does not know them;
 * - under the crs profile, `ctl:auditLogParts`: CRS rules must not change the audit log's format (it can leak
 *   response data into logs; CRS removed its last uses in 4.0, coreruleset#3034 and #3081).
 */
export const deprecated: Check = {
  name: 'deprecated',
  meta: {
    severity: 'warning',
    docs:
      'Actions only the end-of-life ModSecurity v2 implements (append, prepend, deprecatevar, pause, proxy, ' +
      'sanitise*: v3 refuses them); under the crs profile, ctl:auditLogParts (an error: CRS rules must not change the audit log).',
    crsLinterNames: ['deprecated'],
  },
  check(ctx) {
    for (const a of allActions(ctx.ast)) {
      const info = catalog.findAction(a.name);
      if (info !== undefined && info.support.v2 && !info.support.v3 && !info.support.coraza) {
        ctx.report(a.loc, `'${a.rawName}' is ModSecurity v2 only (end of life since July 2024): ModSecurity v3 refuses it and Coraza does not know it`);
      }
      if (ctx.profile === 'crs' && a.ctl !== undefined && a.ctl.option === 'auditLogParts') {
        ctx.report(a.loc, `ctl:${a.ctl.rawOption} is not allowed in CRS rules: they must not change the audit log's format`, { severity: 'error' });
      }
    }
  },
};
