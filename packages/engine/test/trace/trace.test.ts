import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createWaf, TraceRecorder, traceOf, type TraceEvent, type Waf } from '../../src';
import { runTransaction, type TestRequest } from '../engine/helpers';

function traced(directives: string, req: TestRequest = {}, values = true): { events: TraceEvent[]; recorder: TraceRecorder; waf: Waf } {
  const waf = createWaf({ directives, onWarning: () => undefined });
  const recorder = new TraceRecorder({ values });
  const tx = waf.newTransaction({ id: 'trace-tx', trace: recorder });
  tx.processConnection('10.0.0.1', 40000, '10.0.0.2', 80);
  tx.processUri(req.uri ?? '/', req.method ?? 'GET', 'HTTP/1.1');
  for (const [k, v] of req.headers ?? [['Host', 'example.com']]) tx.addRequestHeader(k, v);
  if (!tx.processRequestHeaders()) {
    if (req.body !== undefined) tx.appendRequestBody(req.body);
    tx.processRequestBody();
  }
  tx.processResponseHeaders(200, 'HTTP/1.1');
  tx.processResponseBody();
  tx.processLogging();
  return { events: recorder.events, recorder, waf };
}

/** A compact view of the events, for order checks: kind plus what identifies it. */
function brief(e: TraceEvent): string {
  switch (e.kind) {
    case 'phase':
      return `phase ${e.phase}${e.skipped ? ` (${e.skipped})` : ''}`;
    case 'phase-stopped':
      return `phase ${e.phase} stopped (${e.reason})`;
    case 'rule':
      return `rule ${e.rule.id || 'chained'} ${e.parameter}`;
    case 'rule-skipped':
      return `skipped ${e.rule.id} (${e.reason})`;
    case 'transformation':
      return `T ${e.name} ${JSON.stringify(e.value)}`;
    case 'target-value':
      return `value ${e.variable}=${JSON.stringify(e.value)}`;
    case 'match':
      return `match ${e.variable} ${JSON.stringify(e.value)} o${e.spans.join(',')} v${e.origins.join(',')} ${e.transformations}`;
    case 'capture':
      return `capture TX.${e.index}=${e.value}`;
    case 'rule-result':
      return `result ${e.rule.id || 'chained'} ${e.matched ? 1 : 0}`;
    case 'variable-set':
      return `set ${e.collection}:${e.key} ${e.previous ?? '-'} -> ${e.value ?? '(deleted)'}`;
    case 'env-set':
      return `env ${e.name}=${e.value}`;
    case 'ctl':
      return `ctl ${e.name}=${e.value}`;
    case 'chain-matched':
      return `chain ${e.rule.id} ${e.disruptive ?? 'none'}${e.interrupted ? ` ${e.status}` : ''}`;
    case 'allow':
      return `allow ${e.scope}`;
  }
}

describe('evaluation trace', () => {
  it('says which rule saw which value after which transformations, what matched where, and what it did', () => {
    const rules = [
      'SecRuleEngine On',
      `SecRule ARGS:q "@rx (b)c" "id:1,phase:1,pass,log,capture,t:lowercase,msg:'found %{TX.1}',setvar:tx.score=+5"`,
      `SecRule TX:score "@ge 5" "id:2,phase:1,deny,status:403,msg:'blocked'"`,
    ].join('\n');
    const { events } = traced(rules, { uri: '/?q=xBC' });
    expect(events.map(brief)).toEqual([
      'phase 1',
      'rule 1 (b)c',
      'T t:lowercase "xbc"',
      'value ARGS:q="xbc"',
      'capture TX.0=bc',
      'capture TX.1=b',
      // o: the whole match and group 1 in the transformed value; v: where the value sits in the request line.
      'match ARGS:q "xbc" o1,2,1,1 v8,3 t:lowercase',
      'set TX:score - -> 5',
      'result 1 1',
      'chain 1 pass',
      'rule 2 5',
      'value TX:score="5"',
      'match TX:score "5" o v ',
      'result 2 1',
      'chain 2 deny 403',
      'phase 1 stopped (interrupted)',
      // The later phases do not run for an interrupted transaction (the response phases are still called).
      'phase 3 (interrupted)',
      'phase 5',
    ]);
    const chain = events.find((e) => e.kind === 'chain-matched' && e.rule.id === 1);
    expect(chain).toMatchObject({ msg: 'found b', logged: true, interrupted: false });
  });

  it('says how many messages a matched chain wrote: one per match for a multiMatch head that logs', () => {
    const rules = [
      `SecRule ARGS "@rx a" "id:1,phase:1,pass,log,multiMatch,t:none,t:lowercase"`,
      `SecRule ARGS "@rx a" "id:2,phase:1,pass,log,t:none,t:lowercase"`,
    ].join('\n');
    const waf = createWaf({ directives: rules, onWarning: () => undefined });
    const recorder = new TraceRecorder();
    const tx = waf.newTransaction({ trace: recorder });
    tx.processUri('/?x=a&y=A&z=b', 'GET', 'HTTP/1.1');
    tx.processRequestHeaders();
    const chains = recorder.of('chain-matched').map((e) => [e.rule.id, e.messages]);
    // x matches as it is; y only after t:lowercase (multiMatch tries both).
    expect(chains).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expect(tx.logLines.map((l) => /\[id "(\d+)"\]/.exec(l)![1])).toEqual(['1', '1', '2']);
    waf.close();
  });

  it('follows the anomaly score as CRS-style rules add to it', () => {
    const rules = [
      `SecAction "id:1,phase:1,pass,nolog,setvar:tx.inbound_anomaly_score_pl1=0"`,
      `SecRule ARGS "@rx select" "id:2,phase:2,pass,setvar:tx.inbound_anomaly_score_pl1=+5"`,
      `SecRule ARGS "@rx union" "id:3,phase:2,pass,setvar:tx.inbound_anomaly_score_pl1=+5"`,
    ].join('\n');
    const { recorder } = traced(rules, { uri: '/?a=union+select' });
    expect(recorder.of('variable-set').map((e) => [e.rule.id, e.previous, e.value])).toEqual([
      [1, undefined, '0'],
      [2, '0', '5'],
      [3, '5', '10'],
    ]);
  });

  it('runs each transformation on the value as v3 does, and counts the steps of multiMatch', () => {
    const { recorder } = traced(`SecRule ARGS:a "@rx b" "id:1,phase:2,pass,multiMatch,t:lowercase,t:trim,t:removeWhitespace"`, { uri: '/?a=%20B%20b' });
    expect(recorder.of('transformation').map((e) => [e.step, e.name, e.value])).toEqual([
      [1, 't:lowercase', ' b b'],
      [2, 't:trim', 'b b'],
      [3, 't:removeWhitespace', 'bb'],
    ]);
    const values = recorder.of('target-value');
    expect(values.map((e) => e.value)).toEqual([' B b', ' b b', 'b b', 'bb']);
    expect(values[0]!.candidates).toBe(4);
    expect(recorder.of('match').map((e) => e.transformations)).toEqual(['', 't:lowercase', 't:trim', 't:removeWhitespace']);
  });

  it('names the rules skipped by skip, skipAfter, ctl removals and allow', () => {
    const rules = [
      'SecRuleEngine On',
      `SecAction "id:1,phase:1,pass,nolog,skip:1"`,
      `SecAction "id:2,phase:1,pass,nolog"`,
      `SecAction "id:3,phase:1,pass,nolog,skipAfter:END"`,
      `SecAction "id:4,phase:1,pass,nolog"`,
      'SecMarker END',
      `SecAction "id:5,phase:1,pass,nolog,ctl:ruleRemoveById=6,ctl:ruleRemoveByTag=t7"`,
      `SecAction "id:6,phase:1,pass,nolog"`,
      `SecAction "id:7,phase:1,pass,nolog,tag:t7"`,
      `SecAction "id:8,phase:1,allow:phase,nolog"`,
      `SecAction "id:9,phase:1,pass,nolog"`,
    ].join('\n');
    const { recorder } = traced(rules);
    expect(recorder.of('rule-skipped').map((e) => `${e.rule.id} ${e.reason}${e.remaining !== undefined ? ` ${e.remaining}` : ''}${e.marker ? ` ${e.marker}` : ''}`)).toEqual([
      '2 skip 0',
      '4 skipAfter END',
      '6 ctl-remove-id',
      '7 ctl-remove-tag',
      '9 allow',
    ]);
    expect(recorder.of('ctl').map((e) => `${e.name}=${e.value}`)).toEqual(['ruleRemoveById=6', 'ruleRemoveByTag=t7']);
    expect(recorder.of('allow').map((e) => e.scope)).toEqual(['phase']);
  });

  it('names the rules SecRuleRemoveById/ByMsg/ByTag removed, where they stood (v3 checks id, then msg, then tag)', () => {
    const rules = [
      `SecRule ARGS "@rx x" "id:1,phase:1,pass,nolog"`,
      `SecRule ARGS "@rx x" "id:2,phase:1,pass,nolog,tag:t"`,
      `SecRule ARGS "@rx x" "id:3,phase:1,pass,nolog,msg:'bad one'"`,
      `SecRule ARGS "@rx x" "id:4,phase:1,pass,nolog,tag:t"`,
      `SecRule ARGS "@rx x" "id:5,phase:1,pass,nolog"`,
      'SecRuleRemoveByTag ^t$',
      'SecRuleRemoveById 2',
      'SecRuleRemoveByMsg ^bad',
    ].join('\n');
    const { events } = traced(rules);
    expect(events.filter((e) => e.kind === 'rule' || e.kind === 'rule-skipped').map(brief)).toEqual([
      'rule 1 x',
      'skipped 2 (removed-id)',
      'skipped 3 (removed-msg)',
      'skipped 4 (removed-tag)',
      'rule 5 x',
    ]);
  });

  it('says when the engine is off', () => {
    const { events } = traced('SecRuleEngine Off\nSecAction "id:1,phase:1,pass"');
    expect(events.map(brief)).toEqual(['phase 1 (engine-off)', 'phase 2 (engine-off)', 'phase 3 (engine-off)', 'phase 4 (engine-off)', 'phase 5 (engine-off)']);
  });

  it('a sink that does not want every value gets rules and matches only', () => {
    const { events } = traced(`SecRule ARGS "@rx x" "id:1,phase:2,pass,t:lowercase,setvar:tx.n=1"`, { uri: '/?a=X&b=y' }, false);
    expect(events.filter((e) => e.kind === 'transformation' || e.kind === 'target-value')).toEqual([]);
    expect(events.filter((e) => e.kind === 'match').map(brief)).toEqual(['match ARGS:a "x" o0,1 v8,1 t:lowercase']); // v: in the request line `GET /?a=X`
    expect(events.map((e) => e.kind)).toContain('variable-set');
    expect(events.map((e) => e.kind)).toContain('rule-result');
  });

  it('goes nowhere without a sink or a debug log at level 4 or more', () => {
    const quiet = createWaf({ directives: 'SecDebugLogLevel 9\nSecAction "id:1,phase:1,pass"', onWarning: () => undefined });
    expect(traceOf(runTransaction(quiet).tx)).toBeUndefined();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-trace-'));
    const low = createWaf({ directives: `SecDebugLog ${path.join(dir, 'd.log')}\nSecDebugLogLevel 3`, onWarning: () => undefined });
    expect(traceOf(runTransaction(low).tx)).toBeUndefined();
    low.close();
  });
});

describe('the debug log writes the trace in libmodsecurity v3 words', () => {
  function debugLog(level: number, directives: string, req: TestRequest = {}): string[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-trace-'));
    const file = path.join(dir, 'debug.log');
    const waf = createWaf({ directives: `SecDebugLog ${file}\nSecDebugLogLevel ${level}\n${directives}`, onWarning: () => undefined });
    runTransaction(waf, req);
    waf.close();
    // `[time] [id] [uri] [level] message`
    return fs.readFileSync(file, 'latin1').split('\n').filter(Boolean).map((l) => l.replace(/^\[[^\]]*\] \[[^\]]*\] \[[^\]]*\] /, ''));
  }

  // The expected lines are v3's, as its regression suite (test/test-cases/regression) and its sources word them.
  it('at level 9: phases, rules, transformations, values, results, actions', () => {
    const lines = debugLog(9, `SecRuleEngine On\nSecRule ARGS "@contains test" "id:1,phase:2,t:trim,deny,status:403,tag:'teste',msg:'saw %{MATCHED_VAR}',setvar:ip.x=1,setvar:tx.y=2"`, { uri: '/?a=%20test%20' });
    expect(lines).toEqual(
      expect.arrayContaining([
        '[4] Starting phase REQUEST_HEADERS.  (SecRules 1)',
        '[9] This phase consists of 0 rule(s).',
        '[4] Starting phase REQUEST_BODY. (SecRules 2)',
        '[9] This phase consists of 1 rule(s).',
        '[4] (Rule: 1) Executing operator "Contains" with param "test" against ARGS.',
        '[9]  T (0) t:trim: "test"',
        '[9] Target value: "test" (Variable: ARGS:a)',
        '[4] Running [independent] (non-disruptive) action: setvar',
        '[8] Saving variable: TX:y with value: 2',
        '[4] Rule returned 1.',
        '[4] Running (non-disruptive) action: tag',
        '[9] Rule tag: teste',
        '[9] Saving msg: saw test',
        '[9] Running action: log',
        '[4] Running (disruptive)     action: deny.',
        '[8] Running action deny',
        '[8] Skipping this phase as this request was already intercepted.',
      ]),
    );
    // Order: the value is traced before the operator's result.
    expect(lines.indexOf('[9] Target value: "test" (Variable: ARGS:a)')).toBeLessThan(lines.indexOf('[4] Rule returned 1.'));
  });

  it('at level 4: rules and results, no values', () => {
    const lines = debugLog(4, `SecRule ARGS "@rx x" "id:1,phase:2,pass,t:lowercase"`, { uri: '/?a=X' });
    expect(lines).toContain('[4] (Rule: 1) Executing operator "Rx" with param "x" against ARGS.');
    expect(lines).toContain('[4] Rule returned 1.');
    expect(lines.some((l) => l.includes('Target value') || l.includes(' T (0)'))).toBe(false);
  });

  it('chains, removals, skips and macros in parameters', () => {
    const lines = debugLog(
      9,
      [
        'SecRuleEngine On',
        `SecAction "id:1,phase:1,pass,nolog,setvar:tx.p=abc,ctl:ruleRemoveById=4"`,
        `SecRule ARGS:a "@rx %{tx.p}" "id:2,phase:1,pass,nolog,chain,skip:1"`,
        `SecRule ARGS:b "@streq 1" ""`,
        `SecRule ARGS:a "@rx ." "id:3,phase:1,pass,nolog"`,
        `SecAction "id:4,phase:1,pass,nolog"`,
        `SecAction "id:5,phase:1,pass,nolog,skip:1"`,
        `SecAction "id:6,phase:1,pass,nolog"`,
        `SecRule ARGS "@rx ." "id:7,phase:1,pass,nolog"`,
        'SecRuleRemoveById 7',
      ].join('\n'),
      { uri: '/?a=abc&b=1' },
    );
    // A rule without operator is named by where it is written (v3's Rule::getReference).
    expect(lines.some((l) => /^\[9\] Skipped rule id '.*<directives>:10' due to a `skip' action\. Still 0 to be skipped\.$/.test(l))).toBe(true);
    expect(lines).toEqual(
      expect.arrayContaining([
        '[4] (Rule: 1) Executing unconditional rule...',
        '[4] (Rule: 2) Executing operator "Rx" with param "abc" Was: "%{tx.p}" against ARGS:a.',
        '[4] Executing chained rule.',
        '[4] (Rule: 0) Executing operator "StrEq" with param "1" against ARGS:b.',
        "[9] Skipped rule id '3' due to a `skip' action. Still 0 to be skipped.",
        "[9] Skipped rule id '7'. Removed by an SecRuleRemove directive.",
        '[9] Rule id: 4 was skipped due to a ruleRemoveById action...',
      ]),
    );
  });
});
