import * as fs from 'node:fs';
import * as path from 'node:path';
import { createWaf, type Waf } from '@rampart/engine';
import { lint } from '@rampart/lint';
import { crsRuleFiles, locateCrs } from '@rampart/rules-crs4';
import { buildDirectives } from '@rampart/waf';
import { allAttacks, scenario, type ScenarioRequest } from '../../bench/scenario';
import { renderRuleFile, tuneAuditLogs, type TuneResult } from '../../src';
import { runRequest, tempDir } from '../helpers';

/**
 * Issue 19, item 4: a site at paranoia level 2 whose benign traffic trips CRS (a contact form's free text, JSON
 * APIs with field names that look like SQL and shell commands), attacked by three clients. tune reads the audit
 * log and proposes exclusions; loaded before CRS, they must let every benign request through and still block
 * every attack.
 */
const crs = locateCrs({ cwd: process.cwd() });

function crsWaf(extra: { before?: string; audit?: { file: string; format: 'Native' | 'JSON' } } = {}): Waf {
  const text = buildDirectives({ crs: { paranoia: 2 }, mode: 'block', ...(extra.before !== undefined ? { before: extra.before } : {}) }, crs);
  const audit = extra.audit
    ? ['SecAuditEngine RelevantOnly', 'SecAuditLogParts ABCFHZ', 'SecAuditLogType Serial', `SecAuditLogFormat ${extra.audit.format}`, `SecAuditLog ${extra.audit.file}`].join('\n')
    : '';
  return createWaf({ directives: `${text}\n${audit}\n`, baseDir: crs.dir, onWarning: () => undefined });
}

const blocked = (waf: Waf, s: ScenarioRequest): boolean => runRequest(waf, s.request).interruption !== undefined;

describe.each(['Native', 'JSON'] as const)('tune on a %s audit log of a site at PL2', (format) => {
  const traffic = [...scenario(format === 'Native' ? 1200 : 700, format === 'Native' ? 7 : 8), ...allAttacks()];
  const dir = tempDir();
  const log = path.join(dir, 'audit.log');
  let result: TuneResult;
  let rules: string;

  beforeAll(async () => {
    const waf = crsWaf({ audit: { file: log, format } });
    for (const s of traffic) runRequest(waf, s.request);
    waf.close();
    result = await tuneAuditLogs([log]);
    rules = renderRuleFile(result.proposal.exclusions, { firstId: 10100, lastId: 10199, header: ['test'] });
    fs.writeFileSync(path.join(dir, 'exclusions.conf'), rules);
  }, 120_000);

  (format === 'Native' ? it : it.skip)('starts from false positives: benign requests of every kind are blocked without tuning', () => {
    const waf = crsWaf();
    const labels = new Set(traffic.filter((s) => s.kind === 'benign' && blocked(waf, s)).map((s) => s.label));
    expect([...labels].sort()).toEqual(['contact form', 'diagnostics API', 'password API', 'reports API']);
  });

  it('fits the log: PL2, threshold 5, and the model reproduces what CRS decided', () => {
    expect(result.calibration.model).toEqual({ blockingParanoia: 2, inboundThreshold: 5, outboundThreshold: 4 });
    expect(result.calibration.agreed).toBe(result.calibration.checked);
    expect(result.problems).toBe(0);
  });

  it('proposes narrow exclusions: per path and variable, the password path pooled over user ids', () => {
    const scopes = result.proposal.exclusions.map((e) => `${e.scope.kind === 'path' ? e.scope.path : e.scope.kind === 'path-pattern' ? e.scope.template : '*'} ${e.ruleId} ${e.target}`);
    expect(scopes).toEqual(expect.arrayContaining(['/contact 942200 ARGS:comment', '/api/v1/diagnostics 932236 ARGS_NAMES:json.traceroute', '/api/v1/users/{number}/password 932236 ARGS_NAMES:json.passwd']));
    // A name with a space cannot be written in a ctl action (libmodsecurity's lexer refuses it): site-wide, by pattern.
    expect(result.proposal.exclusions.filter((e) => e.scope.kind === 'site').map((e) => `${e.ruleId} ${e.target}`)).toEqual(['942380 ARGS_NAMES:json.order by']);
    expect(rules).toContain('SecRuleUpdateTargetById 942380 "!ARGS_NAMES:/^json\\x2eorder\\x20by$/"');
    expect(result.proposal.exclusions.every((e) => e.target !== undefined && !/^ARGS:json\.host$|REQUEST_FILENAME|ARGS:id$/.test(e.target))).toBe(true);
    expect(result.proposal.exclusions.every((e) => e.hiddenAttacks.count === 0)).toBe(true);
  });

  it('writes a rule file that rampart lint passes, alone and with the CRS rules', () => {
    const file = path.join(dir, 'exclusions.conf');
    const alone = lint([file]);
    expect(alone.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    if (format === 'Native') {
      const withCrs = lint([...crsRuleFiles(crs.dir), file]);
      expect(withCrs.diagnostics.filter((d) => d.loc.file === file)).toEqual([]);
    }
    expect(rules).toMatch(/^SecRule REQUEST_FILENAME "@streq \/contact" \\\n {4}"id:101\d\d,\\$/m);
    expect(rules).toMatch(/^SecRule REQUEST_FILENAME "@rx \^\/api\/v1\/users\/\[0-9\]\+\/password\$" \\$/m);
  });

  it('loaded before CRS, lets every benign request through and still blocks every attack', () => {
    const waf = crsWaf({ before: rules });
    const passedAttacks = traffic.filter((s) => s.kind === 'attack' && !blocked(waf, s)).map((s) => s.label);
    const blockedBenign = traffic.filter((s) => s.kind === 'benign' && blocked(waf, s)).map((s) => `${s.label}: ${s.request.body || s.request.target}`);
    expect(passedAttacks).toEqual([]);
    expect(blockedBenign).toEqual([]);
    expect(traffic.filter((s) => s.kind === 'attack').length).toBeGreaterThanOrEqual(30);
  });
});
