import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { compileRules, loadAppConfig, RulesLoadError, singleAppRules, type RulesProblem } from '../src';
import { CRS_DIR } from './helpers/modsecurity-conf';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'spoa-config-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf(fn: () => unknown): readonly RulesProblem[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof RulesLoadError) return e.problems;
    throw e;
  }
  throw new Error('expected RulesLoadError');
}

describe('compileRules', () => {
  it('lists every error of every file with its location', () => {
    const a = path.join(dir, 'a.conf');
    const b = path.join(dir, 'b.conf');
    writeFileSync(a, `SecRuleEngine On\nSecRule ARGZ "@rx x" "id:1,phase:2,deny"\nInclude ${b}\n`);
    writeFileSync(b, 'SecRule ARGS "@nosuchop x" "id:2,phase:2,deny"\nSecRule ARGS "@rx (" "id:3,phase:2,deny"\n');
    const problems = problemsOf(() => compileRules(singleAppRules({ kind: 'files', files: [a] })));
    expect(problems.length).toBeGreaterThanOrEqual(3);
    expect(problems.find((p) => p.file === a && p.line === 2)?.message).toMatch(/ARGZ/);
    expect(problems.find((p) => p.file === b && p.line === 1)?.message).toMatch(/nosuchop/);
    expect(problems.some((p) => p.file === b && p.line === 2)).toBe(true);
    expect(problems.every((p) => p.app === 'default')).toBe(true);
  });

  it('reports a missing file instead of starting without rules', () => {
    const problems = problemsOf(() => compileRules(singleAppRules({ kind: 'files', files: [path.join(dir, 'missing.conf')] })));
    expect(problems[0]!.message).toMatch(/missing\.conf/);
  });

  it('opens an LMDB store when the configuration sets SecDataDir', async () => {
    const data = path.join(dir, 'data');
    const rules = compileRules(singleAppRules({ kind: 'directives', directives: `SecRuleEngine On\nSecDataDir ${data}\n`, baseDir: dir, origin: 't' }));
    expect(rules.defaultApp.waf.settings.dataDir).toBe(data);
    expect(rules.defaultApp.waf.collectionStore.constructor.name).not.toBe('MemoryCollectionStore');
    await rules.defaultApp.close();
  });
});

describe('loadAppConfig (coraza-spoa style YAML)', () => {
  it('reads several applications, the default one and global settings', () => {
    const file = path.join(dir, 'spoa.yaml');
    writeFileSync(
      file,
      `bind: 127.0.0.1:23456
log_level: debug
metrics_addr: 127.0.0.1:9101
default_application: shop
applications:
  - name: shop
    directives: |
      SecRuleEngine On
      SecRule ARGS "@contains attack" "id:1,phase:2,deny"
    response_check: true
    transaction_ttl_ms: 5000
  - name: api
    files: [api.conf]
  - name: crs
    crs: pl2
`,
    );
    writeFileSync(path.join(dir, 'api.conf'), 'SecRuleEngine DetectionOnly\n');
    const { rules, settings } = loadAppConfig(file, { crsDir: CRS_DIR });
    expect(settings).toEqual({ bind: { host: '127.0.0.1', port: 23456 }, logLevel: 'debug', metricsAddr: '127.0.0.1:9101' });
    expect(rules.defaultApp).toBe('shop');
    expect(rules.apps.map((a) => [a.name, a.source.kind, a.responseCheck, a.transactionTtlMs])).toEqual([
      ['shop', 'directives', true, 5000],
      ['api', 'files', false, 10000],
      ['crs', 'directives', false, 10000],
    ]);
    expect(rules.apps[1]!.source).toEqual({ kind: 'files', files: [path.join(dir, 'api.conf')] });
    expect(rules.apps[2]!.source.kind === 'directives' && rules.apps[2]!.source.directives).toMatch(/blocking_paranoia_level=2/);
  });

  it('rejects unknown keys, wrong types and missing sources, all at once, with line numbers', () => {
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(
      file,
      `bind: nowhere
colour: blue
applications:
  - name: a
    directives: 42
  - name: b
    respons_check: true
  - files: [x.conf]
`,
    );
    const problems = problemsOf(() => loadAppConfig(file));
    const lines = problems.map((p) => [p.line, p.message]);
    expect(lines).toEqual(
      expect.arrayContaining([
        [1, '`bind` must be host:port'],
        [2, expect.stringMatching(/unknown key `colour`/)],
        [5, '`directives` must be a string'],
        [7, expect.stringMatching(/unknown key `respons_check`/)],
        [8, 'an application needs a `name`'],
      ]),
    );
    expect(problems.some((p) => /default_application/.test(p.message))).toBe(true);
  });

  it('reports YAML syntax errors with their position', () => {
    const file = path.join(dir, 'syntax.yaml');
    writeFileSync(file, 'applications:\n  - name: a\n    directives: "unterminated\n');
    const problems = problemsOf(() => loadAppConfig(file));
    expect(problems[0]!.file).toBe(file);
    expect(problems[0]!.line).toBeGreaterThan(0);
  });
});

describe('audit log layout', () => {
  const record = async (layout: 'v2' | 'v3' | undefined): Promise<string> => {
    const log = path.join(dir, `audit-${layout ?? 'default'}.log`);
    const rules = compileRules(
      singleAppRules({ kind: 'directives', directives: `SecRuleEngine On\nSecAuditEngine On\nSecAuditLog ${log}\n`, baseDir: dir, origin: 't' }, layout ? { auditLogLayout: layout } : {}),
    );
    const tx = rules.defaultApp.waf.newTransaction({ id: 'layout-1' });
    tx.processConnection('10.0.0.1', 1000, '10.0.0.2', 80);
    tx.processUri('/', 'GET', 'HTTP/1.1');
    tx.processRequestHeaders();
    tx.processLogging();
    await rules.defaultApp.close();
    return readFileSync(log, 'latin1');
  };

  it("is libmodsecurity v3's by default; auditLogLayout 'v2' (--audit-log-layout v2) gives ModSecurity v2's", async () => {
    expect(await record(undefined)).toMatch(/^---[0-9A-Za-z]{8}---A--\n/);
    expect(await record('v3')).toMatch(/^---[0-9A-Za-z]{8}---A--\n/);
    expect(await record('v2')).toMatch(/^--[0-9a-f]{8}-A--\n/);
  });

  it('the YAML file sets it with `audit_log_layout`, and refuses other values', () => {
    const file = path.join(dir, 'spoa.yaml');
    writeFileSync(file, `audit_log_layout: v2\napplications:\n  - name: a\n    directives: SecRuleEngine On\n`);
    expect(loadAppConfig(file).rules.auditLogLayout).toBe('v2');
    writeFileSync(file, `audit_log_layout: v4\napplications:\n  - name: a\n    directives: SecRuleEngine On\n`);
    expect(problemsOf(() => loadAppConfig(file)).map((p) => p.message)).toEqual(['`audit_log_layout` must be v3 or v2']);
  });
});

describe('persistent collections in Redis from the YAML file (`collections`, as --collections)', () => {
  const apps = 'applications:\n  - name: a\n    directives: SecRuleEngine On\n';

  it('reads the URL and the policy for every application', () => {
    const file = path.join(dir, 'spoa.yaml');
    // Quoted: a value ending with ':' would be a nested mapping to YAML.
    writeFileSync(file, `collections: 'redis://redis.internal:6380/2?prefix=shop:'\ncollections_unavailable: deny\n${apps}`);
    expect(loadAppConfig(file).rules.redis).toEqual({ url: 'redis://redis.internal:6380/2?prefix=shop:', unavailable: 'deny' });
    writeFileSync(file, `collections: redis://127.0.0.1/0\n${apps}`);
    expect(loadAppConfig(file).rules.redis).toEqual({ url: 'redis://127.0.0.1/0', unavailable: 'skip' });
    writeFileSync(file, apps);
    expect(loadAppConfig(file).rules.redis).toBeUndefined();
  });

  it('reports a bad URL, a bad policy and a policy without URL where they are', () => {
    const file = path.join(dir, 'spoa.yaml');
    writeFileSync(file, `collections: http://127.0.0.1:6379/0\ncollections_unavailable: maybe\n${apps}`);
    expect(problemsOf(() => loadAppConfig(file)).map((p) => `${p.line}: ${p.message}`)).toEqual([
      '2: `collections_unavailable` must be skip or deny',
      '1: collections URL http://127.0.0.1:6379/0: scheme http: is not redis: or rediss:',
    ]);
    writeFileSync(file, `collections_unavailable: deny\n${apps}`);
    expect(problemsOf(() => loadAppConfig(file)).map((p) => `${p.line}: ${p.message}`)).toEqual(['1: `collections_unavailable` needs `collections` (a redis:// URL)']);
    writeFileSync(file, `collections: [redis://127.0.0.1/0]\n${apps}`);
    expect(problemsOf(() => loadAppConfig(file)).map((p) => p.message)).toEqual(['`collections` must be a string']);
  });
});
