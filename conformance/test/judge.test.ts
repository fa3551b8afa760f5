import { effectiveLog, idsInLine, judgeStage, triggeredIds, type StageObservation } from '../src';
import { modsecLogLine } from './helpers/modsec-log';

const ok200: StageObservation = { kind: 'response', status: 200, rawResponse: 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n' };
const line942100 = modsecLogLine({ id: 942100, msg: 'SQL Injection Attack Detected via libinjection', data: 'Matched Data: s&1c found within ARGS:var: 1234 OR 1=1' });
const line949110 = modsecLogLine({ id: 949110, msg: 'Inbound Anomaly Score Exceeded (Total Score: 5)' });

describe('rule id extraction (go-ftw regexps)', () => {
  it('reads [id "N"] and JSON ids, with the fallback only when the first finds nothing', () => {
    expect(idsInLine(line942100)).toEqual([942100]);
    expect(idsInLine('{"transaction":{"messages":[{"details":{"ruleId":"941100"}}]}}')).toEqual([941100]);
    expect(idsInLine('[\\"id\\":\\"920100\\"]')).toEqual([920100]);
    expect(idsInLine('{"id": 12345, "x": 1}')).toEqual([12345]);
    expect(idsInLine('[id "1"] {"id": 2}')).toEqual([1]);
    expect(idsInLine('no id here')).toEqual([]);
    expect(triggeredIds([line942100, line949110, line942100])).toEqual([942100, 949110]);
  });
});

describe('judging a stage', () => {
  it('status: equal passes, different fails, 0 or absent is not checked', () => {
    expect(judgeStage({ status: 200 }, ok200, []).pass).toBe(true);
    expect(judgeStage({ status: 400 }, ok200, [])).toMatchObject({ pass: false, reasons: ['status 200, expected 400'] });
    expect(judgeStage({ status: 0 }, ok200, []).pass).toBe(true);
    // The older ftw format: any of the listed codes.
    expect(judgeStage({ status: [403, 200] }, ok200, []).pass).toBe(true);
    expect(judgeStage({ status: [403, 400] }, ok200, [])).toMatchObject({ pass: false, reasons: ['status 200, expected one of 403, 400'] });
    expect(judgeStage({}, ok200, []).pass).toBe(true);
  });

  it('expect_ids: all must be logged', () => {
    expect(judgeStage({ log: { expectIds: [942100] } }, ok200, [line942100]).pass).toBe(true);
    expect(judgeStage({ log: { expectIds: [942100, 949110] } }, ok200, [line942100])).toMatchObject({ pass: false, reasons: ['expected ids not logged: 949110'] });
  });

  it('no_expect_ids: none may be logged', () => {
    expect(judgeStage({ log: { noExpectIds: [920100] } }, ok200, [line942100]).pass).toBe(true);
    expect(judgeStage({ log: { noExpectIds: [920100, 942100] } }, ok200, [line942100])).toMatchObject({ pass: false, reasons: ['forbidden ids logged: 942100'] });
  });

  it('match_regex: some line must match; no_match_regex: no line may', () => {
    expect(judgeStage({ log: { matchRegex: 'found within ARGS:var:' } }, ok200, [line949110, line942100]).pass).toBe(true);
    expect(judgeStage({ log: { matchRegex: 'Inbound Anomaly Score Exceeded \\(Total Score: ' } }, ok200, [line942100]).pass).toBe(false);
    expect(judgeStage({ log: { noMatchRegex: '\\[id "\\d+"\\]' } }, ok200, []).pass).toBe(true);
    const verdict = judgeStage({ log: { noMatchRegex: '\\[id "\\d+"\\]' } }, ok200, [line942100]);
    expect(verdict.pass).toBe(false);
    expect(verdict.reasons[0]).toMatch(/^a log line matches/);
  });

  it('the 922130 alternation needs [id] before [msg] on one line', () => {
    const re = 'Multipart parsing error: Multipart: Invalid part header \\(contains invalid character\\)|\\[id "922130"\\].*\\[msg "Multipart header contains characters outside of valid range"\\]';
    const good = modsecLogLine({ id: 922130, msg: 'Multipart header contains characters outside of valid range' });
    expect(judgeStage({ log: { matchRegex: re } }, ok200, [good]).pass).toBe(true);
    const reordered = '[msg "Multipart header contains characters outside of valid range"] [id "922130"]';
    expect(judgeStage({ log: { matchRegex: re } }, ok200, [reordered]).pass).toBe(false);
    expect(judgeStage({ log: { matchRegex: re } }, ok200, ['ModSecurity: Multipart parsing error: Multipart: Invalid part header (contains invalid character).']).pass).toBe(true);
  });

  it('log_contains / no_log_contains are used only when the log block is silent', () => {
    expect(effectiveLog({ logContains: 'a', noLogContains: 'b' })).toEqual({ matchRegex: 'a', noMatchRegex: 'b' });
    expect(effectiveLog({ logContains: 'a', log: { expectIds: [1] } })).toEqual({ expectIds: [1] });
    expect(judgeStage({ logContains: 'id "942100"' }, ok200, [line942100]).pass).toBe(true);
    expect(judgeStage({ noLogContains: 'id "942100"' }, ok200, [line942100]).pass).toBe(false);
  });

  it('expect_error: passes iff there is a transport error, and skips every other check', () => {
    const err: StageObservation = { kind: 'error', message: 'malformed HTTP response' };
    expect(judgeStage({ expectError: true, log: { expectIds: [920430] }, status: 400 }, err, []).pass).toBe(true);
    expect(judgeStage({ expectError: true }, ok200, [])).toMatchObject({ pass: false, reasons: ['expected a transport error, got HTTP 200'] });
    expect(judgeStage({ log: { noExpectIds: [1] } }, err, [])).toMatchObject({ pass: false, reasons: ['transport error: malformed HTTP response'] });
  });

  it('checks run in go-ftw`s order and the first failure is reported', () => {
    const v = judgeStage({ status: 403, log: { expectIds: [1] } }, ok200, []);
    expect(v.reasons).toEqual(['status 200, expected 403']);
  });

  it('response_contains matches the raw response', () => {
    expect(judgeStage({ responseContains: 'Content-Length: 0' }, ok200, []).pass).toBe(true);
    expect(judgeStage({ responseContains: '^HTTP/1.1 403' }, ok200, []).pass).toBe(false);
  });

  it('isolated: exactly one triggered rule (go-ftw overwrites the positive checks with this)', () => {
    expect(judgeStage({ isolated: true, log: { expectIds: [942100] } }, ok200, [line942100]).pass).toBe(true);
    expect(judgeStage({ isolated: true, log: { expectIds: [942100] } }, ok200, [line942100, line949110]).pass).toBe(false);
  });

  it('reports the triggered ids either way', () => {
    expect(judgeStage({ status: 500 }, ok200, [line949110]).triggeredIds).toEqual([949110]);
  });

  it('Go regexp syntax: leading flags, \\A, \\z, \\Q..\\E, POSIX classes; bad patterns are errors', () => {
    expect(judgeStage({ log: { matchRegex: '(?i)warning\\.' } }, ok200, [line942100]).pass).toBe(true);
    expect(judgeStage({ log: { matchRegex: '\\A\\[client' } }, ok200, [line942100]).pass).toBe(true);
    expect(judgeStage({ log: { matchRegex: '\\Q[id "942100"]\\E' } }, ok200, [line942100]).pass).toBe(true);
    expect(judgeStage({ log: { matchRegex: 'id "[[:digit:]]+"' } }, ok200, [line942100]).pass).toBe(true);
    expect(judgeStage({ log: { matchRegex: '\\[ref ""\\]\\z' } }, ok200, [line942100]).pass).toBe(true);
    expect(() => judgeStage({ log: { matchRegex: '(' } }, ok200, [])).toThrow(/regexp/);
  });
});
