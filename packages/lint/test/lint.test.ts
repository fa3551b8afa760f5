import * as path from 'node:path';
import { parse } from '@rampart/seclang';
import { builtinChecks, lint, lintParsed, lintText } from '../src';

const fixture = path.resolve(__dirname, 'fixtures/bad.conf');

describe('lint', () => {
  it('reports every problem of a file, sorted by position', async () => {
    const { diagnostics, stats } = lint([fixture]);
    expect(diagnostics.map((d) => `${d.loc.line}:${d.loc.column} ${d.severity} ${d.check}`)).toEqual([
      '3:9 error unknown-variable',
      '3:15 error regex-re2',
      '3:23 error duplicate-id',
      '4:1 error missing-id',
      '4:9 error selector-not-allowed',
      '4:24 error missing-data-file',
      '5:24 error disruptive-in-chain',
      '6:1 warning missing-phase',
      '6:18 error unknown-action',
    ]);
    expect(diagnostics.every((d) => d.loc.file === fixture)).toBe(true);
    expect(stats).toEqual({ files: 1, directives: 5, rulesWithId: 3, chainedRules: 1, rxPatterns: 3 });
  });

  it('names the first location of a duplicate id as related information', () => {
    const { diagnostics } = lintText('SecAction "id:5,phase:1,pass"\nSecAction "id:5,phase:1,pass"\n', { file: '/x/a.conf' });
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.related).toEqual([{ message: 'id 5 first used here', loc: expect.objectContaining({ file: '/x/a.conf', line: 1, column: 12 }) }]);
  });

  it('reports a missing Include once, through the syntax check', async () => {
    const { diagnostics } = lint([path.resolve(__dirname, 'fixtures/include-missing.conf')]);
    expect(diagnostics.map((d) => `${d.loc.line}:${d.loc.column} ${d.check}`)).toEqual(['1:1 syntax']);
    expect(diagnostics[0]!.message).toMatch(/^Include: no file matches 'does-not-exist\/\*\.conf'/);
  });

  it('does not report an unknown name twice (parser diagnostic and walk)', () => {
    const { diagnostics } = lintText('SecRule ARGZ "@rxx a" "id:1,phase:2,pass,t:nope,nolgo,ctl:nope=1"\nSecFoo bar\n');
    expect(diagnostics.map((d) => d.check).sort()).toEqual([
      'unknown-action',
      'unknown-ctl-option',
      'unknown-directive',
      'unknown-operator',
      'unknown-transformation',
      'unknown-variable',
    ]);
  });

  it('reports an empty value once, where the action is', () => {
    const { diagnostics } = lintText('SecRule ARGS "@rx a" "id:1,phase:2,pass,t:,msg:"\nSecRule ARGS "@rx a" "id:,phase:2,pass"\n');
    expect(diagnostics.map((d) => `${d.loc.line}:${d.loc.column} ${d.check}: ${d.message}`)).toEqual([
      // The engine refuses the first two: its words (lint = load).
      "1:41 action-value: action 't' needs a value (t:...)",
      "1:44 action-value: 'msg' needs a value (msg:...)",
      "2:23 missing-id: action 'id' needs a value (id:...)",
    ]);
  });

  it('keeps what the parser accepts with a warning an error (a chain left dangling), but not a comment warning', () => {
    const text = 'SecRule ARGS "@rx a" "id:1,phase:2,deny,chain"\n# a comment \\\nSecAction "id:2,phase:1,pass"\n';
    const parsed = parse(text, { file: '/r.conf' });
    // As the parser will say it once it accepts a dangling chain the way libmodsecurity does.
    const lenient = { ...parsed, diagnostics: [...parsed.diagnostics, { severity: 'warning' as const, code: 'dangling-chain', message: 'a chain with no rule after it', loc: parsed.ast.directives[0]!.loc }] };
    const found = lintParsed(lenient, {}).diagnostics.map((d) => `${d.severity} ${d.check}: ${d.message}`);
    expect(found).toContain('error dangling-chain: a chain with no rule after it');
    expect(found).toContain('warning syntax: this comment ends with a backslash, so the next line is part of the comment');
  });

  it('has sorted, documented checks with unique names', () => {
    const names = builtinChecks.map((c) => c.name);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
    for (const c of builtinChecks) expect(c.meta.docs.length).toBeGreaterThan(20);
  });
});
