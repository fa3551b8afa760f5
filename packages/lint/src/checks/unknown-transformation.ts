import { catalog } from '@rampart/seclang';
import type { Check } from '../types';
import { allActions } from '../walk';

export const unknownTransformation: Check = {
  name: 'unknown-transformation',
  meta: {
    severity: 'error',
    docs: 'A `t:` transformation that no SecLang engine knows.',
    parserCodes: ['unknown-transformation'],
  },
  check(ctx) {
    ctx.reportParserDiagnostics('unknown-transformation');
    for (const a of allActions(ctx.ast)) {
      if (a.name !== 't' || a.value === undefined) continue;
      if (catalog.findTransformation(a.value) === undefined && !ctx.parserReported('unknown-transformation', a.loc)) {
        ctx.report(a.loc, `unknown transformation '${a.value}'`);
      }
    }
  },
};
