import { catalog } from '@rampart/seclang';
import type { Check } from '../types';
import { allVariables } from '../walk';

export const selectorNotAllowed: Check = {
  name: 'selector-not-allowed',
  meta: {
    severity: 'error',
    docs:
      'A `:selector` on a variable that holds one value (REQUEST_URI:foo): only collections such as ARGS or ' +
      'REQUEST_HEADERS have keys, and ModSecurity v3 refuses the rule.',
    engineMessages: [/takes no selector/],
  },
  check(ctx) {
    for (const v of allVariables(ctx.ast)) {
      if (v.selector === undefined) continue;
      const info = catalog.findVariable(v.rawName);
      if (info !== undefined && !info.selectable) {
        ctx.report(v.loc, `${info.name} is not a collection and takes no selector`);
      }
    }
  },
};
