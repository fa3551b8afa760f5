import { catalog } from '@rampart/seclang';
import type { Check } from '../types';

/** Why `value` is not acceptable for the directive's argument kind, or undefined when it is. */
export function settingProblem(info: catalog.DirectiveInfo, value: string): string | undefined {
  switch (info.argKind) {
    case 'enum': {
      const values = info.values ?? [];
      return values.some((v) => v.toLowerCase() === value.toLowerCase()) ? undefined : `expected ${values.join(', ')}`;
    }
    case 'integer':
      return /^[0-9]+$/.test(value) ? undefined : 'expected a non-negative integer';
    case 'octal':
      return /^[0-7]{3,4}$/.test(value) || value.toLowerCase() === 'default' ? undefined : "expected an octal file mode (e.g. 0640) or 'default'";
    case 'char':
      return value.length === 1 ? undefined : 'expected a single character';
    case 'parts':
      return /^[A-Z]+$/.test(value) ? undefined : 'expected audit log part letters (A-Z)';
    default:
      return undefined;
  }
}

/**
 * Setting directives with a closed set of values (`SecRuleEngine On|Off|DetectionOnly`), integers, file
 * modes, single characters or audit log parts: ModSecurity refuses other values when it loads the file.
 * Argument counts are the parser's (`syntax`).
 */
export const invalidSetting: Check = {
  name: 'invalid-setting',
  meta: {
    severity: 'error',
    docs: 'A value that a setting directive does not accept, e.g. `SecRuleEngine Enabled` or `SecRequestBodyLimit 10MB`.',
    engineMessages: [/^Sec[A-Za-z0-9]+ (takes|needs|expects|must)/],
  },
  check(ctx) {
    for (const d of ctx.ast.directives) {
      if (d.kind !== 'Setting') continue;
      const info = catalog.findDirective(d.name);
      const first = d.args[0];
      if (info === undefined || first === undefined) continue;
      const problem = settingProblem(info, first);
      if (problem !== undefined) ctx.report(d.loc, `${info.name} '${first}': ${problem}`);
    }
  },
};
