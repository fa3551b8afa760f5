import type { Check } from '../types';

export const unknownDirective: Check = {
  name: 'unknown-directive',
  meta: {
    severity: 'error',
    docs: 'A directive that no SecLang engine knows (a typo, or a directive of another Apache module).',
    parserCodes: ['unknown-directive'],
    engineMessages: [/^unknown directive /],
  },
  check(ctx) {
    ctx.reportParserDiagnostics('unknown-directive');
    for (const d of ctx.ast.directives) {
      if (d.kind === 'Unknown' && !ctx.parserReported('unknown-directive', d.loc)) {
        ctx.report(d.loc, `unknown directive '${d.rawName}'`);
      }
    }
  },
};
