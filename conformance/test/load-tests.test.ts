import { buildRequest, findTestFiles, parseTestFile } from '../src';
import { crsTest, crsTestFiles, TESTS_DIR } from './helpers/paths';

/** crs-regression.md 3.1: family -> [files, tests, stages, multi-stage, expect own id, no_expect own id]. */
const FAMILIES: Record<string, [number, number, number, number, number, number]> = {
  'REQUEST-911-METHOD-ENFORCEMENT': [1, 8, 8, 0, 4, 4],
  'REQUEST-913-SCANNER-DETECTION': [1, 7, 7, 0, 5, 2],
  'REQUEST-920-PROTOCOL-ENFORCEMENT': [60, 424, 424, 0, 212, 190],
  'REQUEST-921-PROTOCOL-ATTACK': [17, 117, 117, 0, 75, 42],
  'REQUEST-922-MULTIPART-ATTACK': [4, 43, 43, 0, 20, 16],
  'REQUEST-930-APPLICATION-ATTACK-LFI': [6, 82, 82, 0, 66, 16],
  'REQUEST-931-APPLICATION-ATTACK-RFI': [5, 42, 42, 0, 36, 5],
  'REQUEST-932-APPLICATION-ATTACK-RCE': [48, 934, 934, 0, 681, 251],
  'REQUEST-933-APPLICATION-ATTACK-PHP': [21, 437, 437, 0, 312, 113],
  'REQUEST-934-APPLICATION-ATTACK-GENERIC': [14, 271, 276, 1, 238, 38],
  'REQUEST-941-APPLICATION-ATTACK-XSS': [33, 261, 261, 0, 207, 54],
  'REQUEST-942-APPLICATION-ATTACK-SQLI': [60, 1020, 1021, 1, 868, 153],
  'REQUEST-943-APPLICATION-ATTACK-SESSION-FIXATION': [3, 47, 47, 0, 42, 5],
  'REQUEST-944-APPLICATION-ATTACK-JAVA': [15, 1173, 1173, 0, 1140, 33],
  'REQUEST-949-BLOCKING-EVALUATION': [1, 5, 5, 0, 2, 2],
  'REQUEST-999-COMMON-EXCEPTIONS-AFTER': [1, 37, 37, 0, 0, 0],
  'RESPONSE-950-DATA-LEAKAGES': [1, 9, 9, 0, 9, 0],
  'RESPONSE-951-DATA-LEAKAGES-SQL': [16, 20, 20, 0, 20, 0],
  'RESPONSE-952-DATA-LEAKAGES-JAVA': [1, 10, 10, 0, 9, 1],
  'RESPONSE-953-DATA-LEAKAGES-PHP': [3, 18, 18, 0, 9, 9],
  'RESPONSE-954-DATA-LEAKAGES-IIS': [3, 7, 7, 0, 7, 0],
  'RESPONSE-955-WEB-SHELLS': [5, 10, 10, 0, 10, 0],
  'RESPONSE-956-DATA-LEAKAGES-RUBY': [2, 15, 15, 0, 12, 3],
  'RESPONSE-959-BLOCKING-EVALUATION': [1, 3, 3, 0, 1, 1],
  'RESPONSE-980-CORRELATION': [1, 3, 3, 0, 2, 1],
};

describe('loading the CRS 4.28.0 regression suite', () => {
  it('finds 323 files with go-ftw run glob (999999.yml included), in byte order', () => {
    const files = findTestFiles(TESTS_DIR);
    expect(files).toHaveLength(323);
    expect(files).toContain('REQUEST-999-COMMON-EXCEPTIONS-AFTER/999999.yml');
    expect([...files].sort()).toEqual(files);
  });

  it('loads all 5,003 tests and 5,009 stages without error', () => {
    const tests = crsTestFiles().flatMap((f) => f.tests);
    expect(tests).toHaveLength(5003);
    expect(tests.reduce((n, t) => n + t.stages.length, 0)).toBe(5009);
    expect(new Set(tests.map((t) => t.id)).size).toBe(5003);
    expect(tests.filter((t) => t.stages.length > 1).map((t) => [t.id, t.stages.length])).toEqual([
      ['934120-43', 6],
      ['942340-8', 2],
    ]);
  });

  it('counts every family as crs-regression.md 3.1 does', () => {
    const actual: Record<string, number[]> = {};
    for (const f of crsTestFiles()) {
      const row = (actual[f.family] ??= [0, 0, 0, 0, 0, 0]);
      row[0] = (row[0] ?? 0) + 1;
      for (const t of f.tests) {
        row[1] = (row[1] ?? 0) + 1;
        row[2] = (row[2] ?? 0) + t.stages.length;
        if (t.stages.length > 1) row[3] = (row[3] ?? 0) + 1;
        for (const s of t.stages) {
          if (s.output.log?.expectIds?.includes(f.ruleId)) row[4] = (row[4] ?? 0) + 1;
          if (s.output.log?.noExpectIds?.includes(f.ruleId)) row[5] = (row[5] ?? 0) + 1;
        }
      }
    }
    expect(actual).toEqual(FAMILIES);
  });

  it('keeps the input and output details go-ftw reads', () => {
    const stages = crsTestFiles().flatMap((f) => f.tests.flatMap((t) => t.stages));
    const count = (p: (s: (typeof stages)[number]) => boolean): number => stages.filter(p).length;
    expect(count((s) => s.input.encodedRequest !== undefined)).toBe(10);
    expect(count((s) => s.input.autocompleteHeaders === false)).toBe(19);
    expect(count((s) => s.input.data !== undefined && s.input.data !== null)).toBe(2831);
    expect(count((s) => s.input.port === 80)).toBe(4955);
    expect(count((s) => s.output.status !== undefined)).toBe(29);
    expect(count((s) => s.output.retryOnce === true)).toBe(5);
    expect(count((s) => s.output.expectError === true)).toBe(1);
    expect(count((s) => (s.output.log?.expectIds?.length ?? 0) > 0)).toBe(3998);
    expect(count((s) => (s.output.log?.noExpectIds?.length ?? 0) > 0)).toBe(941);
    expect(count((s) => s.output.log?.matchRegex !== undefined)).toBe(12);
    expect(count((s) => s.output.log?.noMatchRegex !== undefined)).toBe(38);
    expect(count((s) => (s.input.data ?? '').includes('{{'))).toBe(2);
  });

  it('reads scalars by the Go field type (a number header value stays its text)', () => {
    const t = crsTest('920181-1');
    expect(t.stages[0]?.input.headers?.['Content-Length']).toBe('7');
    expect(t.stages[0]?.input.autocompleteHeaders).toBe(false);
    expect(crsTest('920100-12').stages[0]?.input.method).toBe('\tGET');
    expect(crsTest('920430-5').stages[0]?.input.version).toBe('');
  });

  it('920539.yaml holds only comments and yields no tests', () => {
    const f = crsTestFiles().find((x) => x.file.endsWith('/920539.yaml'));
    expect(f?.tests).toEqual([]);
    expect(f?.ruleId).toBe(920539);
  });

  it('applies go-ftw defaults: rule_id from the file name, test_id from the position', () => {
    const f = parseTestFile('meta: {author: x}\ntests:\n  - stages:\n      - input: {uri: /a}\n        output: {status: 200}\n  - test_id: 0\n    stages: []\n', 'FAM/123456.yaml');
    expect(f.ruleId).toBe(123456);
    expect(f.tests.map((t) => t.id)).toEqual(['123456-1', '123456-2']);
    expect(f.family).toBe('FAM');
  });

  it('reports malformed files with the file and key', () => {
    expect(() => parseTestFile('rule_id: 1\nrule_id: 2\n', 'x.yaml')).toThrow(/x\.yaml: .*unique/);
    expect(() => parseTestFile('rule_id: 1\ntests:\n  - stages:\n      - output: {status: abc}\n', 'y.yaml')).toThrow(/y\.yaml: tests\[0\]\.stages\[0\]\.output\.status: expected an integer/);
    expect(() => parseTestFile('- a\n', 'z.yaml')).toThrow(/z\.yaml: top level is not a mapping/);
  });
});

describe('the older ftw format (CRS 3.3)', () => {
  const file = [
    '---',
    '  meta:',
    '    author: "csanders-git"',
    '    enabled: true',
    '    name: "920100.yaml"',
    '  tests:',
    '    -',
    '      test_title: 920100-9',
    '      stages:',
    '        -',
    '          stage:',
    '            input:',
    '              dest_addr: "127.0.0.1"',
    '              method: "POST"',
    '              data:',
    '                - "--boundary"',
    '                - "Content-Disposition: form-data; name=\\"a\\""',
    '                - ""',
    '                - "value"',
    '            output:',
    '              status: [403, 400]',
    '              log_contains: "id \\"920100\\""',
    '',
  ].join('\n');

  it('reads `stage:` nesting, list-valued data joined with CRLF, and status as a list of allowed codes', () => {
    const parsed = parseTestFile(file, 'REQUEST-920-PROTOCOL-ENFORCEMENT/920100.yaml');
    expect(parsed.ruleId).toBe(920100);
    const stage = parsed.tests[0]!.stages[0]!;
    expect(stage.input.data).toBe('--boundary\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue');
    expect(stage.output.status).toEqual([403, 400]);
    expect(stage.output.logContains).toBe('id "920100"');
    expect(stage.input.olderFtw).toBe(true);
  });

  it('sends a multipart body of the older format as written (go-ftw would turn its LF into CRLF)', () => {
    const body = '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--b--';
    const input = { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=b' }, data: body };
    expect(buildRequest({ ...input, olderFtw: true }).endsWith(`\r\n\r\n${body}`)).toBe(true);
    expect(buildRequest(input)).toContain('--b\r\r\n');
  });
});
