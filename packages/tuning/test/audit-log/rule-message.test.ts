import { matchedVariable, parseJsonMessage, parseMessageLine } from '../../src';

describe('parseMessageLine', () => {
  it('reads libmodsecurity v3 lines, warning and interruption', () => {
    const w = parseMessageLine(
      'ModSecurity: Warning. Matched "Operator `Rx\' with parameter `(?i)union\' against variable `ARGS:q\' (Value: `1 union select\' ) ' +
        '[file "/crs/rules/REQUEST-942.conf"] [line "45"] [id "942100"] [rev ""] [msg "SQL Injection"] [data "Matched Data: union found within ARGS:q: 1 union select"] ' +
        '[severity "2"] [ver "OWASP_CRS/4.28.0"] [maturity "0"] [accuracy "0"] [tag "attack-sqli"] [tag "paranoia-level/2"] [hostname "10.0.0.1"] [uri "/search"] [unique_id "abc"] [ref "o2,5v8,14"]',
    )!;
    expect(w).toMatchObject({ ruleId: 942100, variable: 'ARGS:q', value: '1 union select', severity: 2, paranoiaLevel: 2, disruptive: false, uri: '/search', msg: 'SQL Injection', line: 45 });
    expect(w.tags).toEqual(['attack-sqli', 'paranoia-level/2']);
    const d = parseMessageLine(
      'ModSecurity: Access denied with code 403 (phase 2). Matched "Operator `Ge\' with parameter `5\' against variable `TX:BLOCKING_INBOUND_ANOMALY_SCORE\' (Value: `10\' ) ' +
        '[file "/r.conf"] [line "1"] [id "949110"] [rev ""] [msg "Inbound Anomaly Score Exceeded (Total Score: 10)"] [data ""] [severity "0"] [ver ""] [maturity "0"] [accuracy "0"] [hostname ""] [uri "/"] [unique_id "x"] [ref ""]',
    )!;
    expect(d).toMatchObject({ ruleId: 949110, disruptive: true, status: 403, phase: 2, severity: undefined, variable: 'TX:BLOCKING_INBOUND_ANOMALY_SCORE' });
  });

  it("reads ModSecurity v2's Message values, and takes libinjection's variable from CRS's logdata", () => {
    const v2 = parseMessageLine(
      'Warning. Pattern match "(?i)select" at ARGS:comment. [file "/r.conf"] [line "7"] [id "942360"] [msg "SQLi"] [data "Matched Data: select found within ARGS:comment: select 1"] [severity "CRITICAL"] [ver "OWASP_CRS/3.3.4"] [tag "paranoia-level/1"]',
    )!;
    expect(v2).toMatchObject({ ruleId: 942360, variable: 'ARGS:comment', severity: 2 });
    const li = parseMessageLine(
      'ModSecurity: Warning. detected SQLi using libinjection. [file "/r.conf"] [line "3"] [id "942100"] [rev ""] [msg "SQL Injection Attack Detected via libinjection"] [data "Matched Data: s&sos found within ARGS_NAMES:json.1 or 1=1: json.1 or 1=1"] [severity "2"] [ver ""] [maturity "0"] [accuracy "0"] [hostname ""] [uri "/api"] [unique_id "x"] [ref ""]',
    )!;
    expect(li.variable).toBe('ARGS_NAMES:json.1 or 1=1');
    expect(parseMessageLine('Apache-Handler: proxy-server')).toBeUndefined();
  });

  it('is not fooled by field-like text in the matched value into another rule id', () => {
    const m = parseMessageLine(
      'ModSecurity: Warning. Matched "Operator `Rx\' with parameter `x\' against variable `ARGS:a\' (Value: `x [file \\"f\\"]\' ) [file "/r.conf"] [line "9"] [id "100"] [rev ""] [msg "m"] [data ""] [severity "2"] [ver ""] [maturity "0"] [accuracy "0"] [hostname ""] [uri "/"] [unique_id "x"] [ref ""]',
    )!;
    expect(m.ruleId).toBe(100);
    expect(m.variable).toBe('ARGS:a');
  });
});

describe('parseJsonMessage and matchedVariable', () => {
  it('reads a v3 JSON message', () => {
    const m = parseJsonMessage({
      message: 'SQLi',
      details: { match: "Matched \"Operator `Rx' with parameter `u' against variable `REQUEST_COOKIES:sid' (Value: `u' )", reference: '', ruleId: '942100', file: '/f', lineNumber: '3', data: '', severity: '2', ver: '', rev: '', tags: ['paranoia-level/1'], maturity: '0', accuracy: '0' },
    })!;
    expect(m).toMatchObject({ ruleId: 942100, variable: 'REQUEST_COOKIES:sid', severity: 2, paranoiaLevel: 1, line: 3 });
    expect(parseJsonMessage({ message: 'x' })).toBeUndefined();
  });

  it('finds no variable where none is named', () => {
    expect(matchedVariable('', '')).toEqual({ variable: undefined, value: undefined });
  });
});

describe('matchedVariable with chained CRS rules', () => {
  it('takes the request variable behind MATCHED_VARS: and TX:1', () => {
    expect(matchedVariable("Matched \"Operator `Rx' with parameter `x' against variable `MATCHED_VARS:ARGS:comment' (Value: `it's' )", 'Matched Data: \' found within MATCHED_VARS:ARGS:comment: it\'s').variable).toBe('ARGS:comment');
    expect(matchedVariable("Matched \"Operator `StrEq' with parameter `1' against variable `TX:1' (Value: `1' )", 'Matched Data: 1=1 found within ARGS:q: 1=1').variable).toBe('ARGS:q');
    expect(matchedVariable("Matched \"Operator `Ge' with parameter `5' against variable `TX:BLOCKING_INBOUND_ANOMALY_SCORE' (Value: `5' )", '').variable).toBe('TX:BLOCKING_INBOUND_ANOMALY_SCORE');
  });
});
