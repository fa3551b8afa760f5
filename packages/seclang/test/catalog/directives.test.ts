import { directives, findDirective } from '../../src/catalog';

describe('catalog: directives', () => {
  it('finds directives case-insensitively and through aliases', () => {
    expect(findDirective('secrule')?.name).toBe('SecRule');
    expect(findDirective('SecUnicodeMap')?.name).toBe('SecUnicodeMapFile');
    expect(findDirective('SecNoSuchThing')).toBeUndefined();
  });

  it('is sorted by name so that additions land in one place', () => {
    const names = directives.map((d) => d.name);
    expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  });

  it('gives every directive a consistent argument count', () => {
    for (const d of directives) {
      expect(d.args).toBeDefined();
      expect(d.args!.min).toBeLessThanOrEqual(d.args!.max);
      if (d.argKind === 'enum') expect(d.values?.length).toBeGreaterThan(0);
    }
  });

  it('maps the rule-shaped directives to their syntax', () => {
    expect(findDirective('SecRuleUpdateTargetById')?.syntax).toBe('update-target-by-id');
    expect(findDirective('SecRuleUpdateTargetByTag')?.syntax).toBe('update-target-by-pattern');
    expect(findDirective('SecRuleRemoveByMsg')?.syntax).toBe('remove-by-pattern');
    expect(findDirective('SecDefaultAction')?.syntax).toBe('default-action');
    expect(findDirective('Include')?.syntax).toBe('include');
  });
});
