import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SourceLocation } from '@rampart/seclang';
import { formatGithub, formatJson, formatSarif, formatText, formatters, isFormatName } from '../src';
import type { LintDiagnostic } from '../src';

const cwd = '/work/rules';
const loc = (file: string, line: number, column: number, endColumn = column + 3): SourceLocation => ({
  file,
  line,
  column,
  endLine: line,
  endColumn,
});

const diagnostics: LintDiagnostic[] = [
  { check: 'unknown-variable', severity: 'error', message: "unknown variable 'ARGZ'", loc: loc('/work/rules/a.conf', 3, 9) },
  {
    check: 'duplicate-id',
    severity: 'error',
    message: 'duplicate id 7, first used at /work/rules/a.conf:1:23',
    loc: loc('/work/rules/a.conf', 4, 23),
    related: [{ message: 'id 7 first used here', loc: loc('/work/rules/a.conf', 1, 23) }],
  },
  { check: 'missing-phase', severity: 'warning', message: 'a, b: 100%\nnext', loc: loc('/elsewhere/b.conf', 2, 1) },
];
const stats = { files: 2, directives: 10, rulesWithId: 4, chainedRules: 1, rxPatterns: 3 };

describe('text', () => {
  it('prints file:line:col: severity: message [check] and a count', () => {
    expect(formatText(diagnostics, { cwd })).toBe(
      "a.conf:3:9: error: unknown variable 'ARGZ' [unknown-variable]\n" +
        'a.conf:4:23: error: duplicate id 7, first used at /work/rules/a.conf:1:23 [duplicate-id]\n' +
        '/elsewhere/b.conf:2:1: warning: a, b: 100% next [missing-phase]\n' +
        '\n2 errors, 1 warning\n',
    );
  });

  it('prints nothing for a clean run, and the stats when asked', () => {
    expect(formatText([], { cwd })).toBe('');
    expect(formatText([], { cwd, stats })).toBe('files: 2\ndirectives: 10\nrules with ids: 4\nchained rules: 1\n@rx patterns: 3\n');
  });
});

describe('json', () => {
  it('is one JSON document with flat locations', () => {
    const doc = JSON.parse(formatJson(diagnostics, { cwd, stats }));
    expect(doc.tool.name).toBe('rampart-lint');
    expect(doc.profile).toBe('generic');
    expect(doc.stats).toEqual(stats);
    expect(doc.diagnostics[0]).toEqual({
      file: 'a.conf',
      line: 3,
      column: 9,
      endLine: 3,
      endColumn: 12,
      severity: 'error',
      check: 'unknown-variable',
      message: "unknown variable 'ARGZ'",
    });
    expect(doc.diagnostics[1].related).toEqual([{ message: 'id 7 first used here', file: 'a.conf', line: 1, column: 23 }]);
  });
});

describe('sarif', () => {
  const log = JSON.parse(formatSarif(diagnostics, { cwd }));
  const run = log.runs[0];

  it('has the SARIF 2.1.0 envelope and the checks as rules', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver.name).toBe('rampart-lint');
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../package.json'), 'utf8'));
    expect(run.tool.driver.version).toBe(pkg.version);
    expect(run.tool.driver.informationUri).toBe(pathToFileURL(path.resolve(__dirname, '../README.md')).href);
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ids).toContain('regex-re2');
    expect(ids).toEqual([...ids].sort());
    for (const r of run.tool.driver.rules) expect(['error', 'warning']).toContain(r.defaultConfiguration.level);
  });

  it('describes each check as a rule, and carries fixes as replacements', () => {
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'crs-action-order');
    expect(rule).toMatchObject({
      id: 'crs-action-order',
      name: 'crs-action-order',
      shortDescription: { text: expect.stringMatching(/^Actions out of CRS's order/) },
      fullDescription: { text: expect.stringMatching(/id, phase, disruptive action/) },
      helpUri: expect.stringMatching(/README\.md#crs-action-order$/),
      properties: { profiles: ['crs'], fixable: true, crsLinterNames: ['ordered_actions'] },
    });
    const fixed = JSON.parse(
      formatSarif(
        [{ ...(diagnostics[0] as LintDiagnostic), fix: { file: '/work/rules/a.conf', edits: [{ start: 10, end: 14, text: 'ARGS' }] } }],
        { cwd, profile: 'crs' },
      ),
    ).runs[0];
    expect(fixed.properties.profile).toBe('crs');
    expect(fixed.results[0].fixes[0].artifactChanges[0]).toEqual({
      artifactLocation: { uri: 'a.conf', uriBaseId: '%SRCROOT%' },
      replacements: [{ deletedRegion: { charOffset: 10, charLength: 4 }, insertedContent: { text: 'ARGS' } }],
    });
  });

  it('gives each result a rule, a level, a message and a physical location', () => {
    expect(run.results).toHaveLength(3);
    const [first, second, third] = run.results;
    expect(run.tool.driver.rules[first.ruleIndex].id).toBe('unknown-variable');
    expect(first).toMatchObject({
      ruleId: 'unknown-variable',
      level: 'error',
      message: { text: "unknown variable 'ARGZ'" },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'a.conf', uriBaseId: '%SRCROOT%' },
            region: { startLine: 3, startColumn: 9, endLine: 3, endColumn: 13 },
          },
        },
      ],
    });
    expect(second.relatedLocations[0].physicalLocation.region.startLine).toBe(1);
    expect(third.level).toBe('warning');
    expect(third.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'file:///elsewhere/b.conf' });
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe('file:///work/rules/');
  });
});

describe('github', () => {
  it('prints workflow commands with escaped properties and messages', () => {
    expect(formatGithub(diagnostics, { cwd }).split('\n')).toEqual([
      "::error file=a.conf,line=3,col=9,endLine=3,endColumn=12,title=unknown-variable::unknown variable 'ARGZ'",
      '::error file=a.conf,line=4,col=23,endLine=4,endColumn=26,title=duplicate-id::duplicate id 7, first used at /work/rules/a.conf:1:23',
      '::warning file=/elsewhere/b.conf,line=2,col=1,endLine=2,endColumn=4,title=missing-phase::a, b: 100%25%0Anext',
      '',
    ]);
  });
});

describe('github with --stats', () => {
  it('adds the statistics as a notice', () => {
    expect(formatGithub([], { cwd, stats })).toBe(
      '::notice title=rampart lint statistics::files: 2, directives: 10, rules with ids: 4, chained rules: 1, @rx patterns: 3\n',
    );
  });
});

describe('registry', () => {
  it('knows the four formats by name', () => {
    expect(Object.keys(formatters).sort()).toEqual(['github', 'json', 'sarif', 'text']);
    expect(isFormatName('sarif')).toBe(true);
    expect(isFormatName('xml')).toBe(false);
    expect(isFormatName('constructor')).toBe(false);
  });
});
