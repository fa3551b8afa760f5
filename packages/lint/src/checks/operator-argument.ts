import { catalog } from '@rampart/seclang';
import type { Check } from '../types';

const NUMERIC = new Set(['eq', 'ge', 'gt', 'le', 'lt']);

/**
 * Operator arguments of the wrong kind, which ModSecurity loads anyway and reads as something else:
 * - the numeric comparisons (@eq, @ge, @gt, @le, @lt) read their argument as an integer: `@eq abc` compares
 *   with 0 and `@gt 1.5` with 1 (a macro such as `%{tx.limit}` is read at run time and not checked);
 * - operators that take no argument (@detectSQLi, @detectXSS, @unconditionalMatch...) ignore one: `@detectSQLi
 *   union` runs libinjection on the whole value, not a search for "union".
 * What the engine refuses outright (`@ipMatch 999.1.1.1`, `@validateByteRange 1-300`) is engine-load's.
 */
export const operatorArgument: Check = {
  name: 'operator-argument',
  meta: {
    severity: 'error',
    docs:
      'An operator argument of the wrong kind that the engine reads as something else: `@eq abc` (compared as 0), ' +
      '`@gt 1.5` (as 1), an argument to an operator that takes none (`@detectSQLi foo`, ignored: a warning).',
  },
  check(ctx) {
    for (const { rule } of ctx.rules) {
      if (rule.kind !== 'SecRule') continue;
      const op = rule.operator;
      if (op.implicit) continue;
      const arg = op.argument.trim();
      const hasMacro = op.argumentMacro.parts.some((p) => typeof p !== 'string');
      if (NUMERIC.has(op.name) && !hasMacro && arg !== '' && !/^[+-]?[0-9]+$/.test(arg)) {
        const leading = /^\s*([+-]?[0-9]+)/.exec(arg);
        ctx.report(op.loc, `@${op.rawName} compares integers: '${arg}' is not one, so the value is compared with ${leading ? Number(leading[1]) : 0}`);
      }
      if (catalog.findOperator(op.name)?.argument === 'none' && arg !== '') {
        ctx.report(op.loc, `@${op.rawName} takes no argument: '${arg}' is ignored`, { severity: 'warning' });
      }
    }
  },
};
