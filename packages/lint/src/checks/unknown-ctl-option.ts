import { catalog } from '@rampart/seclang';
import type { Check } from '../types';
import { allActions } from '../walk';

export const unknownCtlOption: Check = {
  name: 'unknown-ctl-option',
  meta: {
    severity: 'error',
    docs: 'A `ctl:` option that no SecLang engine knows.',
    parserCodes: ['unknown-ctl-option'],
    engineMessages: [/^unknown ctl option /],
  },
  check(ctx) {
    ctx.reportParserDiagnostics('unknown-ctl-option');
    for (const a of allActions(ctx.ast)) {
      if (a.ctl === undefined) continue;
      if (catalog.findCtlOption(a.ctl.rawOption) === undefined && !ctx.parserReported('unknown-ctl-option', a.loc)) {
        ctx.report(a.loc, `unknown ctl option '${a.ctl.rawOption}'`);
      }
    }
  },
};
