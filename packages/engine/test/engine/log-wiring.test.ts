import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createWaf } from '../../src';

describe('audit and debug logs are written by createWaf-built WAFs', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-logs-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function runOnce(config: string, uri: string): void {
    const waf = createWaf({ directives: config, onWarning: () => undefined });
    const tx = waf.newTransaction({ id: 'tx-audit-1' });
    tx.processConnection('10.1.1.1', 5555, '10.2.2.2', 80);
    tx.processUri(uri, 'GET', 'HTTP/1.1');
    tx.addRequestHeader('Host', 'example.com');
    tx.processRequestHeaders();
    tx.processRequestBody();
    tx.addResponseHeader('Content-Type', 'text/html');
    tx.processResponseHeaders(200);
    tx.processResponseBody();
    tx.processLogging();
    waf.close();
  }

  test('SecAuditEngine RelevantOnly writes a native record for a matching request only', () => {
    const log = path.join(dir, 'audit.log');
    const config = `SecRuleEngine DetectionOnly\nSecAuditEngine RelevantOnly\nSecAuditLog ${log}\nSecAuditLogParts ABFHZ\nSecRule ARGS "@rx attack" "id:1001,phase:2,pass,log,msg:'Attack seen'"`;
    runOnce(config, '/?q=fine');
    expect(fs.existsSync(log) ? fs.readFileSync(log, 'latin1') : '').toBe('');
    runOnce(config, '/?q=attack');
    const text = fs.readFileSync(log, 'latin1');
    expect(text).toMatch(/^---[0-9A-Za-z]{8}---A--$/m);
    expect(text).toContain('tx-audit-1');
    expect(text).toContain('[id "1001"]');
    expect(text).toContain('Attack seen');
    expect(text).toMatch(/^---[0-9A-Za-z]{8}---Z--$/m);
  });

  test('SecDebugLog at level 9 records rule evaluation, target values and transformations', () => {
    const log = path.join(dir, 'debug.log');
    runOnce(`SecDebugLog ${log}\nSecDebugLogLevel 9\nSecRule ARGS "@rx attack" "id:7,phase:2,pass,log,t:lowercase"`, '/?q=ATTACK');
    const text = fs.readFileSync(log, 'latin1');
    expect(text).toContain('Starting phase REQUEST_BODY');
    expect(text).toContain('Rule returned 1.');
    expect(text).toMatch(/Target value: "attack"/);
    // v3's words: each transformation's result, with a leading space (`[9]  T (0) t:lowercase: "attack"`).
    expect(text).toContain('[9]  T (0) t:lowercase: "attack"');
  });

  test('an unreadable SecAuditLogRelevantStatus regex stops loading with a clear message', () => {
    expect(() => createWaf({ directives: `SecAuditEngine RelevantOnly\nSecAuditLog ${path.join(dir, 'a.log')}\nSecAuditLogRelevantStatus "(("`, onWarning: () => undefined })).toThrow(/audit log/);
  });

  test("ModSecurity's recommended relevant-status pattern (a lookahead) loads", () => {
    const waf = createWaf({ directives: `SecAuditEngine RelevantOnly\nSecAuditLog ${path.join(dir, 'a.log')}\nSecAuditLogRelevantStatus "^(?:5|4(?!04))"`, onWarning: () => undefined });
    waf.close();
  });
});
