import { isCrsSetup } from '../crs/files';
import { expectedCrsVersion, setupVersionNumber } from '../crs/version';
import type { Check } from '../types';

/**
 * crs-setup.conf sets `tx.crs_setup_version` (4280 for CRS 4.28.0); REQUEST-901 refuses to run without it, and
 * a value of another release means the setup file was copied from another CRS version and may lack settings
 * this one needs. Compared with the version of the rules (SecComponentSignature, or --crs-version).
 */
export const crsSetupVersion: Check = {
  name: 'crs-setup-version',
  meta: {
    severity: 'error',
    docs: 'A crs-setup.conf whose tx.crs_setup_version is not the linted CRS release\'s (4280 for 4.28.0): a setup file from another version.',
    profiles: ['crs'],
  },
  check(ctx) {
    const expected = expectedCrsVersion(ctx.ast, ctx.settings);
    const number = expected === undefined ? undefined : setupVersionNumber(expected.version);
    if (expected === undefined || number === undefined) return;
    for (const { rule } of ctx.rules) {
      if (!isCrsSetup(rule.loc.file)) continue;
      for (const a of rule.actions) {
        const sv = a.setvar;
        if (sv === undefined || sv.collection !== 'TX' || sv.key.text.trim().toLowerCase() !== 'crs_setup_version') continue;
        const value = (sv.value?.text ?? '').trim();
        if (value !== String(number)) {
          ctx.report(a.loc, `tx.crs_setup_version=${value} but the rules are CRS ${expected.version}, which expects ${number}: this setup file comes from another CRS release`);
        }
      }
    }
  },
};
