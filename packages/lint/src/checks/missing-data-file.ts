import * as path from 'node:path';
import { catalog } from '@rampart/seclang';
import type { Check } from '../types';

/**
 * The files named by `@pmFromFile`, `@ipMatchFromFile` (and the other data-file operators) must exist. A
 * relative name is resolved against the directory of the file that holds the rule, as ModSecurity does.
 * `@pmFromFile` accepts several space-separated files; URLs (v3 downloads them) are not checked.
 */
export const missingDataFile: Check = {
  name: 'missing-data-file',
  meta: {
    severity: 'error',
    docs: 'A data file of @pmFromFile / @ipMatchFromFile that does not exist, relative to the rule file.',
    engineMessages: [/cannot read data file/],
  },
  check(ctx) {
    for (const { rule } of ctx.rules) {
      if (rule.kind !== 'SecRule') continue;
      const op = rule.operator;
      if (catalog.findOperator(op.name)?.dataFile !== true) continue;
      const names = op.name === 'pmFromFile' ? op.argument.trim().split(/\s+/) : [op.argument.trim()];
      for (const name of names) {
        if (name === '' || /^https?:\/\//i.test(name)) continue;
        const full = path.resolve(path.dirname(op.loc.file), name);
        if (!ctx.fileExists(full)) ctx.report(op.loc, `@${op.name}: data file '${name}' not found (looked for ${full})`);
      }
    }
  },
};
