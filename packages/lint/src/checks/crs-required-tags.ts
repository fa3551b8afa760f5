import { crsRuleFile, isCrsSetup } from '../crs/files';
import type { Check } from '../types';

/** CRS files whose rules are not detections of one attack class, and carry no file tag. */
const NO_FILE_TAG = /-(INITIALIZATION|COMMON-EXCEPTIONS|BLOCKING-EVALUATION|CORRELATION|EXCLUSION-RULES-(BEFORE|AFTER)-CRS)$/;

/**
 * Every CRS rule carries `tag:'OWASP_CRS'` (exclusions and reports select CRS's rules by it), and a rule that
 * logs in a detection file also carries its file's tag, `OWASP_CRS/<file name without direction, number and
 * APPLICATION->`: REQUEST-942-APPLICATION-ATTACK-SQLI.conf gives `OWASP_CRS/ATTACK-SQLI`. crs-linter's `crs_tag`.
 */
export const crsRequiredTags: Check = {
  name: 'crs-required-tags',
  meta: {
    severity: 'error',
    docs: 'A CRS rule without `tag:\'OWASP_CRS\'`, or a logging rule of a detection file without its file tag (`OWASP_CRS/ATTACK-SQLI`).',
    profiles: ['crs'],
    crsLinterNames: ['crs_tag'],
  },
  check(ctx) {
    for (const { rule, position } of ctx.rules) {
      if (position > 0 || !rule.actions.some((a) => a.name === 'id')) continue;
      const file = crsRuleFile(rule.loc.file);
      if (file === undefined && !isCrsSetup(rule.loc.file)) continue;
      const tags = rule.actions.filter((a) => a.name === 'tag').map((a) => (a.value ?? '').trim());
      if (!tags.includes('OWASP_CRS')) ctx.report(rule.loc, "CRS rule without tag:'OWASP_CRS'");
      const logs = !rule.actions.some((a) => a.name === 'nolog');
      const stem = file === undefined ? undefined : file.tag.slice('OWASP_CRS/'.length);
      if (file !== undefined && logs && stem !== undefined && !NO_FILE_TAG.test(`-${stem}`) && !tags.includes(file.tag)) {
        ctx.report(rule.loc, `CRS rule without its file's tag, tag:'${file.tag}'`);
      }
    }
  },
};
