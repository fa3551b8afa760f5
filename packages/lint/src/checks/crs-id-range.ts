import { crsRuleFile, isCrsSetup } from '../crs/files';
import type { Check } from '../types';
import { parseId } from './rule-id';

/**
 * CRS numbers rules by file: REQUEST-942-*.conf holds 942000-942999, crs-setup.conf 900000-900999. Ids from
 * 900000 to 999999 belong to CRS: rules of other files (exclusions, site rules) that use them will collide
 * with a CRS rule sooner or later (a warning).
 */
export const crsIdRange: Check = {
  name: 'crs-id-range',
  meta: {
    severity: 'error',
    docs: 'A rule id outside its CRS file\'s range (REQUEST-942-*.conf: 942000-942999), or in CRS\'s 900000-999999 outside CRS files (a warning).',
    profiles: ['crs'],
  },
  check(ctx) {
    for (const { rule, position } of ctx.rules) {
      if (position > 0) continue;
      const idAction = rule.actions.find((a) => a.name === 'id');
      const id = idAction === undefined ? undefined : parseId(idAction);
      if (idAction === undefined || id === undefined) continue;
      const file = crsRuleFile(rule.loc.file);
      const base = file !== undefined ? file.number * 1000 : isCrsSetup(rule.loc.file) ? 900000 : undefined;
      if (base !== undefined) {
        if (id < base || id > base + 999) ctx.report(idAction.loc, `id ${id} is outside ${base}-${base + 999}, the ids of this CRS file`);
      } else if (id >= 900000 && id <= 999999) {
        ctx.report(idAction.loc, `id ${id} is in 900000-999999, the ids CRS reserves for its own rules`, { severity: 'warning' });
      }
    }
  },
};
