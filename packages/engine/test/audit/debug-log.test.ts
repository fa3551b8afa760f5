import * as path from 'node:path';
import { createAuditLogger, createDebugLogger, debugMessages } from '../../src/audit';
import { makeWaf, readLatin1, runTx, tempDir } from './helpers';

const LINE = /^\[(\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2}\.\d{3} [+-]\d{4})\] \[([^\]]*)\] \[([^\]]*)\] \[(\d)\] (.*)$/;

describe('debug log', () => {
  it('writes [time] [unique_id] [uri] [level] message lines up to the configured level', () => {
    const file = path.join(tempDir(), 'debug.log');
    // A logger of its own on the file (the WAF is built without SecDebugLog, so only this logger writes there).
    const waf = makeWaf('SecDebugLogLevel 4');
    const debug = createDebugLogger({ ...waf.settings, debugLog: file }, { now: () => new Date(2026, 10, 22, 8, 55, 15, 42) })!;
    const tx = runTx(waf, { id: 'dbg-1', uri: '/a?b=1' });
    expect(debug.enabled(4, tx)).toBe(true);
    expect(debug.enabled(5, tx)).toBe(false);
    debug.log(4, tx, 'Rule returned 1.');
    debug.log(9, tx, 'not written');
    debug.log(1, undefined, 'engine-wide error\nsecond line');
    debug.close();
    debug.log(1, tx, 'after close');
    const lines = readLatin1(file).split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    const first = LINE.exec(lines[0]!)!;
    expect(first[1]).toMatch(/^22\/Nov\/2026:08:55:15\.042 /);
    expect([first[2], first[3], first[4], first[5]]).toEqual(['dbg-1', '/a?b=1', '4', 'Rule returned 1.']);
    const second = LINE.exec(lines[1]!)!;
    expect([second[2], second[3], second[4], second[5]]).toEqual(['-', '', '1', 'engine-wide error\\x0asecond line']);
  });

  it('ctl:debugLogLevel raises the level of one transaction', () => {
    const file = path.join(tempDir(), 'debug.log');
    const waf = makeWaf(`SecRuleEngine On\nSecDebugLog ${file}\nSecDebugLogLevel 1\nSecRule ARGS:debug "@streq 1" "id:1,phase:1,pass,nolog,ctl:debugLogLevel=9"`);
    const debug = waf.debugLog!;
    const plain = runTx(waf, { id: 'plain', uri: '/' });
    const traced = runTx(waf, { id: 'traced', uri: '/?debug=1' });
    expect(debug.enabled(9, plain)).toBe(false);
    expect(debug.enabled(9, traced)).toBe(true);
    debug.log(9, plain, 'x');
    debug.log(9, traced, 'y');
    // The engine's own level-9 lines (rule evaluation, target values) appear for the traced transaction only.
    const ids = readLatin1(file).split('\n').filter(Boolean).map((l) => LINE.exec(l)![2]);
    expect(ids.length).toBeGreaterThan(2);
    expect(new Set(ids)).toEqual(new Set(['traced']));
  });

  it('no SecDebugLog: no logger', () => {
    expect(createDebugLogger(makeWaf('SecDebugLogLevel 9').settings)).toBeUndefined();
  });

  it('the audit logger reports its decisions at levels 8 and 9', () => {
    const dir = tempDir();
    const file = path.join(dir, 'debug.log');
    const waf = makeWaf(`SecAuditEngine RelevantOnly\nSecAuditLog ${path.join(dir, 'audit.log')}\nSecDebugLog ${file}\nSecDebugLogLevel 9\nSecRuleEngine On\nSecRule ARGS "@streq x" "id:1,phase:1,pass,log"`);
    // createWaf wires the audit logger to the debug log.
    runTx(waf, { id: 'clean', uri: '/' });
    runTx(waf, { id: 'hit', uri: '/?a=x' });
    const messages = readLatin1(file)
      .split('\n')
      .filter((l) => l.includes('Audit log:'))
      .map((l) => LINE.exec(l)!.slice(2).join(' | '));
    expect(messages).toEqual([
      'clean | / | 8 | Audit log: transaction is not relevant (engine RelevantOnly, parts ABCFHZ).',
      'hit | /?a=x | 8 | Audit log: transaction is relevant (engine RelevantOnly, parts ABCFHZ).',
      expect.stringMatching(/^hit \| \/\?a=x \| 9 \| Audit log: Wrote \d+ bytes to .*audit\.log\.$/),
    ]);
    // v3's words: A|B|C|F|H|Z = 2+4+8+64+256+4096.
    expect(readLatin1(file)).toContain('[8] Request was relevant to be saved. Parts: 4430');
    expect(readLatin1(file)).toContain('[8] Checking if this request is relevant to be part of the audit logs.');
  });

  it('message helpers word things as ModSecurity v3 does', () => {
    const waf = makeWaf('SecRule ARGS:q|REQUEST_HEADERS "@rx a\\"b" "id:42,phase:1,pass"');
    const rule = waf.rule(42)!;
    expect(debugMessages.ruleStart(rule, rule.operator.argument)).toBe('(Rule: 42) Executing operator "Rx" with param "a"b" against ARGS:q|REQUEST_HEADERS.');
    expect(debugMessages.ruleResult(true)).toBe('Rule returned 1.');
    // A leading space, as v3 writes it (`[9]  T (0) t:lowercase: "a"`).
    expect(debugMessages.transformation(0, 't:lowercase', 'a')).toBe(' T (0) t:lowercase: "a"');
    expect(debugMessages.targetValue('ARGS:q', `${'x'.repeat(81)}\n`)).toBe(`Target value: "${'x'.repeat(80)} (5 characters omitted)" (Variable: ARGS:q)`);
  });
});
