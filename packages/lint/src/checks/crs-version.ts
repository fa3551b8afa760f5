import { crsRuleFile, isCrsSetup } from '../crs/files';
import { expectedCrsVersion } from '../crs/version';
import type { Check } from '../types';

/**
 * Every CRS rule says which CRS release it belongs to, `ver:'OWASP_CRS/4.28.0'`, and all say the same: the
 * version given with `--crs-version`, else the one `SecComponentSignature` announces. Rules that came from
 * another release (a file left behind by an upgrade, a rule copied from elsewhere) stand out. crs-linter's
 * `version`.
 */
export const crsVersion: Check = {
  name: 'crs-version',
  meta: {
    severity: 'error',
    docs: "A CRS rule without `ver:'OWASP_CRS/x.y.z'`, or with another version than the rule set's (SecComponentSignature or --crs-version).",
    profiles: ['crs'],
    crsLinterNames: ['version'],
  },
  check(ctx) {
    const expected = expectedCrsVersion(ctx.ast, ctx.settings);
    for (const { rule, position } of ctx.rules) {
      if (position > 0 || !rule.actions.some((a) => a.name === 'id')) continue;
      if (crsRuleFile(rule.loc.file) === undefined && !isCrsSetup(rule.loc.file)) continue;
      const ver = rule.actions.find((a) => a.name === 'ver');
      if (ver === undefined) {
        ctx.report(rule.loc, `CRS rule without ver:'OWASP_CRS/${expected?.version ?? 'x.y.z'}'`);
        continue;
      }
      const value = (ver.value ?? '').trim();
      if (expected !== undefined && value !== `OWASP_CRS/${expected.version}`) {
        ctx.report(ver.loc, `ver:'${value}' but the rule set is OWASP_CRS/${expected.version} (${expected.from})`);
      }
    }
  },
};
