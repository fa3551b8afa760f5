import { catalog } from '@rampart/seclang';
import type { Check } from '../types';

export const unknownOperator: Check = {
  name: 'unknown-operator',
  meta: {
    severity: 'error',
    docs: 'An `@operator` that no SecLang engine knows.',
    parserCodes: ['unknown-operator'],
    engineMessages: [/^unknown operator /],
  },
  check(ctx) {
    ctx.reportParserDiagnostics('unknown-operator');
    for (const { rule } of ctx.rules) {
      if (rule.kind !== 'SecRule') continue;
      const op = rule.operator;
      if (catalog.findOperator(op.rawName || op.name) === undefined && !ctx.parserReported('unknown-operator', op.loc)) {
        ctx.report(op.loc, `unknown operator '@${op.rawName}'`);
      }
    }
  },
};
