import { catalog } from '@rampart/seclang';
import type { Check } from '../types';
import { allActions } from '../walk';

export const unknownAction: Check = {
  name: 'unknown-action',
  meta: {
    severity: 'error',
    docs: 'An action that no SecLang engine knows.',
    parserCodes: ['unknown-action'],
    engineMessages: [/^unknown action /],
  },
  check(ctx) {
    ctx.reportParserDiagnostics('unknown-action');
    for (const a of allActions(ctx.ast)) {
      if (catalog.findAction(a.rawName) === undefined && !ctx.parserReported('unknown-action', a.loc)) {
        ctx.report(a.loc, `unknown action '${a.rawName}'`);
      }
    }
  },
};
