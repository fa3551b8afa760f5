import * as fs from 'node:fs';
import * as path from 'node:path';
import { crsRuleFile } from '../crs/files';
import type { Check } from '../types';

/** The ids that have a go-ftw test file (`<tests>/<RULE-FILE>/<id>.yaml`), or undefined when there is no test tree. */
function testedIds(dir: string): Set<number> | undefined {
  let groups: string[];
  try {
    groups = fs.readdirSync(dir);
  } catch {
    return undefined;
  }
  const ids = new Set<number>();
  for (const g of groups) {
    let files: string[];
    try {
      files = fs.readdirSync(path.join(dir, g));
    } catch {
      continue;
    }
    for (const f of files) {
      const m = /^([0-9]+)\.ya?ml$/.exec(f);
      if (m !== null) ids.add(Number(m[1]));
    }
  }
  return ids;
}

/** TESTS_EXCLUSIONS: ids or id prefixes, one a line, `#` comments. */
function exclusions(file: string): string[] {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
  } catch {
    return [];
  }
}

/**
 * Every CRS detection rule has a go-ftw regression test, `tests/regression/tests/<RULE-FILE>/<id>.yaml`, except
 * the paranoia-level control rules (ids ending in 000-099) and the ids or id prefixes listed in
 * tests/TESTS_EXCLUSIONS. The test tree is found next to the rules (`<crs>/rules/../tests/regression/tests`) or
 * given with `--crs-tests DIR`; without one, nothing is checked. crs-linter's `rule_tests`.
 */
export const crsRuleTests: Check = {
  name: 'crs-rule-tests',
  meta: {
    severity: 'error',
    docs: 'A CRS rule without a go-ftw test (tests/regression/tests/<FILE>/<id>.yaml), unless tests/TESTS_EXCLUSIONS lists it; needs the test tree.',
    profiles: ['crs'],
    crsLinterNames: ['rule_tests'],
  },
  check(ctx) {
    const trees = new Map<string, { ids: Set<number>; excluded: string[] } | undefined>();
    const treeFor = (ruleFile: string) => {
      const dir = ctx.settings.crsTestsDir ?? path.join(path.dirname(ruleFile), '..', 'tests', 'regression', 'tests');
      if (!trees.has(dir)) {
        const ids = testedIds(dir);
        const root = path.resolve(dir, '..', '..');
        trees.set(dir, ids === undefined ? undefined : { ids, excluded: [...exclusions(path.join(root, 'TESTS_EXCLUSIONS')), ...exclusions(path.join(root, '..', 'util', 'TESTS_EXCLUSIONS'))] });
      }
      return trees.get(dir);
    };
    for (const { rule, position } of ctx.rules) {
      if (position > 0 || rule.kind !== 'SecRule' || crsRuleFile(rule.loc.file) === undefined) continue;
      const idAction = rule.actions.find((a) => a.name === 'id');
      const id = Number(idAction?.value?.trim());
      if (idAction === undefined || !Number.isInteger(id) || id <= 0 || id % 1000 < 100) continue;
      const tree = treeFor(rule.loc.file);
      if (tree === undefined || tree.ids.has(id) || tree.excluded.some((p) => String(id).startsWith(p))) continue;
      ctx.report(idAction.loc, `rule ${id} has no go-ftw test (tests/regression/tests/*/${id}.yaml)`);
    }
  },
};
