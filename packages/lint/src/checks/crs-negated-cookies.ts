import type { Check } from '../types';

/**
 * CRS rules do not exclude cookies in their own target lists (`!REQUEST_COOKIES:session`): exclusions go into
 * files loaded after CRS, as `SecRuleUpdateTargetById 942100 "!REQUEST_COOKIES:session"`, where users can
 * see and change them (coreruleset PR 4378). crs-linter's `no_negated_request_cookies`.
 */
export const crsNegatedCookies: Check = {
  name: 'crs-negated-cookies',
  meta: {
    severity: 'error',
    docs: 'A `!REQUEST_COOKIES:...` exclusion in a rule\'s targets: CRS puts exclusions in SecRuleUpdateTargetById after the rules.',
    profiles: ['crs'],
    crsLinterNames: ['no_negated_request_cookies'],
  },
  check(ctx) {
    for (const { rule } of ctx.rules) {
      if (rule.kind !== 'SecRule') continue;
      const v = rule.variables.find((x) => x.negated && x.name === 'REQUEST_COOKIES');
      if (v !== undefined) ctx.report(v.loc, 'cookie exclusion in the rule itself: move it to a SecRuleUpdateTargetById after CRS');
    }
  },
};
