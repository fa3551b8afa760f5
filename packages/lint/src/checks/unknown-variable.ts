import { catalog } from '@rampart/seclang';
import type { Check } from '../types';
import { allVariables } from '../walk';

export const unknownVariable: Check = {
  name: 'unknown-variable',
  meta: {
    severity: 'error',
    docs: 'A target variable that no SecLang engine knows.',
    parserCodes: ['unknown-variable'],
    engineMessages: [/^unknown variable /],
  },
  check(ctx) {
    ctx.reportParserDiagnostics('unknown-variable');
    for (const v of allVariables(ctx.ast)) {
      if (catalog.findVariable(v.rawName) === undefined && !ctx.parserReported('unknown-variable', v.loc)) {
        ctx.report(v.loc, `unknown variable '${v.rawName}'`);
      }
    }
  },
};
