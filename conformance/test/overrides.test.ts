import * as path from 'node:path';
import {
  applyPlatformOverrides,
  listVerdict,
  loadPlatformOverrides,
  mergeResultLists,
  parsePlatformOverrides,
  parseResultLists,
  type FtwTest,
} from '../src';
import { crsTest, SHARED_CRS } from './helpers/paths';

const regression = path.join(SHARED_CRS, 'tests', 'regression');

describe('platform overrides (FTWOverrides)', () => {
  it('reads the three override files CRS keeps', () => {
    const httpd = loadPlatformOverrides(path.join(regression, 'httpd-overrides.yaml'));
    expect(httpd.engine).toBe('ModSecurity v2');
    expect(httpd.overrides.map((o) => [o.ruleId, o.testIds])).toEqual([[920360, [1]], [920380, [1]]]);
    expect(httpd.overrides[0]?.output).toEqual({ status: 200, log: { noExpectIds: [920360] } });
    expect(loadPlatformOverrides(path.join(regression, 'nginx-overrides.yaml')).overrides).toHaveLength(24);
    const coraza = loadPlatformOverrides(path.join(regression, 'coraza-overrides.yaml'));
    expect(coraza.overrides).toHaveLength(9);
    expect(coraza.overrides.find((o) => o.ruleId === 932200)?.output).toEqual({});
  });

  it('replaces the whole output of the listed tests (all stages, or the listed 0-based stages)', () => {
    const sets = [
      parsePlatformOverrides(
        [
          'test_overrides:',
          '  - rule_id: 934120',
          '    test_ids: [43]',
          '    stage_ids: [1, 5]',
          '    reason: two stages only',
          '    output: {status: 418}',
          '  - rule_id: 920100',
          '    test_ids: [4, 5]',
          '    reason: no output means an empty output',
        ].join('\n'),
        'o.yaml',
      ),
    ];
    const tests = [crsTest('934120-43'), crsTest('920100-4'), crsTest('920100-5'), crsTest('920100-6')];
    const { tests: out, applied } = applyPlatformOverrides(tests, sets);
    const [multi, t4, t5, t6] = out as [FtwTest, FtwTest, FtwTest, FtwTest];
    expect(multi.stages.map((s) => s.output.status)).toEqual([undefined, 418, undefined, undefined, undefined, 418]);
    expect(multi.stages[0]?.output).toEqual(crsTest('934120-43').stages[0]?.output);
    expect(t4.stages[0]?.output).toEqual({});
    expect(t5.stages[0]?.output).toEqual({});
    expect(t6).toBe(crsTest('920100-6'));
    expect(applied).toEqual([
      { testId: '934120-43', stages: [1, 5], reason: 'two stages only', file: 'o.yaml' },
      { testId: '920100-4', stages: [0], reason: 'no output means an empty output', file: 'o.yaml' },
      { testId: '920100-5', stages: [0], reason: 'no output means an empty output', file: 'o.yaml' },
    ]);
  });

  it('an entry without test_ids applies to nothing (go-ftw 2.3.0)', () => {
    const set = parsePlatformOverrides('test_overrides:\n  - rule_id: 920100\n    reason: all tests?\n    output: {status: 1}\n', 'o.yaml');
    const { tests, applied } = applyPlatformOverrides([crsTest('920100-4')], [set]);
    expect(tests[0]).toBe(crsTest('920100-4'));
    expect(applied).toEqual([]);
  });

  it('every entry needs a reason and a rule_id', () => {
    expect(() => parsePlatformOverrides('test_overrides:\n  - rule_id: 1\n    test_ids: [1]\n', 'o.yaml')).toThrow('o.yaml: test_overrides[0] has no reason');
    expect(() => parsePlatformOverrides('test_overrides:\n  - test_ids: [1]\n    reason: x\n', 'o.yaml')).toThrow(/has no rule_id/);
  });
});

describe('ignore / forcepass / forcefail lists', () => {
  const lists = parseResultLists(
    [
      'testoverride:',
      '  ignore:',
      '    "^920100-": "front end differs"',
      '  forcefail:',
      '    "920100-4|942100-1$": "known broken"',
      '  forcepass:',
      '    "942": "trust me"',
    ].join('\n'),
    '.ftw.yaml',
  );

  it('precedence is ignore > forcefail > forcepass, regexps unanchored over the test id', () => {
    expect(listVerdict(lists, '920100-4')?.kind).toBe('ignore');
    expect(listVerdict(lists, '942100-1')?.kind).toBe('forcefail');
    expect(listVerdict(lists, '942100-11')?.kind).toBe('forcepass');
    expect(listVerdict(lists, '941100-1')).toBeUndefined();
    expect(listVerdict(lists, '942100-1')?.entry).toMatchObject({ pattern: '920100-4|942100-1$', reason: 'known broken', source: '.ftw.yaml' });
  });

  it('top-level maps work too, lists merge, and an entry without a reason is refused', () => {
    const top = parseResultLists('ignore:\n  "^1-1$": "x"\n', 'l.yaml');
    expect(mergeResultLists([top, lists]).ignore.map((e) => e.pattern)).toEqual(['^1-1$', '^920100-']);
    expect(() => parseResultLists('ignore:\n  "^1-1$": ""\n', 'l.yaml')).toThrow('l.yaml: ignore entry "^1-1$" has no reason');
    expect(() => parseResultLists('forcepass:\n  "(": "bad"\n', 'l.yaml')).toThrow(/forcepass entry "\(":/);
  });
});
