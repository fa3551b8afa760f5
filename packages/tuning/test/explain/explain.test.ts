import { createWaf } from '@rampart/engine';
import { explainRequest, explainWaf, formatExplainJson, formatExplainText, parseExplainJson, requestFromRaw, type ExplainRecord, type ExplainRule } from '../../src';

const RULES = `
SecRuleEngine On
SecDefaultAction "phase:2,log,auditlog,pass"
SecAction "id:1,phase:1,pass,nolog,setvar:tx.score=0"
SecRule REQUEST_HEADERS:User-Agent "@contains scanner" "id:10,phase:1,pass,log,msg:'Scanner',tag:'paranoia-level/1',severity:WARNING,setvar:tx.score=+3"
SecRule ARGS:name "@streq ann" "id:102,phase:2,pass,log,msg:'chain head',chain"
  SecRule REQUEST_METHOD "@streq POST" "t:none"
SecRule ARGS "@rx (?i)union\\s+select" "id:100,phase:2,deny,status:403,log,msg:'SQL injection',tag:'attack-sqli',tag:'paranoia-level/2',severity:CRITICAL,t:none,t:urlDecodeUni,t:lowercase,setvar:tx.score=+5"
SecRule ARGS "@contains zz" "id:101,phase:2,pass,nolog"
`;

function request(body: string, ua = 'Mozilla/5.0'): ReturnType<typeof requestFromRaw> {
  return requestFromRaw(`POST /form?x=1 HTTP/1.1\r\nHost: shop\r\nUser-Agent: ${ua}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
}

function rule(record: ExplainRecord, id: number): ExplainRule | undefined {
  for (const p of record.phases) for (const r of p.rules) if (r.id === id) return r;
  return undefined;
}

describe('explainRequest', () => {
  const waf = createWaf({ directives: RULES, onWarning: () => undefined });
  afterAll(() => waf.close());

  it('shows the value a rule saw, each transformation, what matched where, the scores and the deciding rule', async () => {
    const body = 'name=ann&comment=1%20UNION%20%20Select%20x';
    const record = await explainRequest(waf, request(body, 'scanner/1.0'));
    const r100 = rule(record, 100)!;
    expect(r100).toMatchObject({ id: 100, msg: 'SQL injection', paranoiaLevel: 2, severity: 2, matched: true, logged: true, interrupted: true, status: 403, disruptive: 'deny' });
    expect(r100.tags).toEqual(['attack-sqli', 'paranoia-level/2']);
    const matched = r100.steps[0]!.values.filter((v) => v.matched);
    expect(matched).toHaveLength(1);
    const v = matched[0]!;
    expect(v.variable).toBe('ARGS:comment');
    // The engine decodes the body's arguments once; t:urlDecodeUni has nothing left to do, t:lowercase has.
    expect(v.raw).toBe('1 UNION  Select x');
    expect(v.transformations).toEqual([
      { name: 't:urlDecodeUni', value: '1 UNION  Select x' },
      { name: 't:lowercase', value: '1 union  select x' },
    ]);
    expect(v.value).toBe('1 union  select x');
    expect(v.spans).toEqual([2, 13]);
    expect(v.value.slice(2, 15)).toBe('union  select');
    // Where the raw value is in the request (as libmodsecurity counts: v<offset>,<length>).
    expect(v.origins!.length).toBeGreaterThanOrEqual(2);
    // Values that did not match are counted, not kept.
    expect(r100.steps[0]!.valuesOmitted).toBe(2);
    expect(r100.changes).toEqual([{ kind: 'set', collection: 'TX', key: 'score', value: '8', previous: '3' }]);
    expect(rule(record, 10)!.changes).toEqual([{ kind: 'set', collection: 'TX', key: 'score', value: '3', previous: '0' }]);
    expect(record.verdict).toMatchObject({ interrupted: true, status: 403, action: 'deny', ruleId: 100, phase: 2, engine: 'On', loggedRuleIds: [10, 102, 100] });
    expect(record.scores).toEqual({});
    // The chain 102: head and chained rule, each with the value it matched.
    const r102 = rule(record, 102)!;
    expect(r102.steps.map((s) => [s.position, s.operator.name, s.values.map((x) => x.variable)])).toEqual([
      [0, 'streq', ['ARGS:name']],
      [1, 'streq', ['REQUEST_METHOD']],
    ]);
    // 101 matched nothing and was not asked for: not in the record.
    expect(rule(record, 101)).toBeUndefined();
    expect(record.phases.map((p) => p.phase)).toEqual([1, 2, 5]);
    expect(record.phases[1]!.stopped).toBe('interrupted');

    const text = formatExplainText(record);
    expect(text).toContain('100  PL2  CRITICAL  SQL injection');
    expect(text).toContain('ARGS:comment = "1 UNION  Select x"');
    expect(text).toMatch(/t:urlDecodeUni +\(unchanged\)/);
    expect(text).toMatch(/t:lowercase +"1 union  select x"/);
    expect(text).toContain('matched "union  select" at 2-14');
    expect(text).toContain('TX:score  "3" -> "8"');
    expect(text).toContain('Verdict: interrupted, deny with status 403, by rule 100 in phase 2');
    expect(text).toContain("Logged rules (the error log's [id]s): 10, 102, 100");
    // SecAction 1 matched without logging or scoring: counted, not shown.
    expect(text).not.toMatch(/^ {2}1 /m);
    expect(text).toContain("Phase 1 (request headers): 2 rules ran, 2 matched (1 of them without logging or scoring: setup and bookkeeping; --all '*' shows them)");
  });

  it('with all on a variable, keeps the rules that looked at it without matching, and each value they saw', async () => {
    const record = await explainRequest(waf, request('name=bob&comment=hello'), { all: 'ARGS:comment' });
    const r101 = rule(record, 101)!;
    expect(r101.matched).toBe(false);
    expect(r101.steps[0]!.values).toEqual([{ variable: 'ARGS:comment', transformations: [], value: 'hello', matched: false }]);
    // Values of other variables are counted only.
    expect(r101.steps[0]!.valuesOmitted).toBe(2);
    expect(rule(record, 100)!.steps[0]!.values[0]!.transformations.map((t) => t.name)).toEqual(['t:urlDecodeUni', 't:lowercase']);
    // A rule that never looked at ARGS:comment is not kept.
    expect(rule(record, 10)).toBeUndefined();
    expect(record.verdict).toMatchObject({ interrupted: false, loggedRuleIds: [] });
    const text = formatExplainText(record, { all: 'ARGS:comment' });
    expect(text).toContain('101  (no msg)');
    expect(text).toMatch(/ARGS:comment\n +@contains zz\n +no match/);
    expect(text).toContain('Verdict: passed (no rule interrupted the transaction; engine On)');
  });

  it("with all '*', keeps every rule that ran and every rule skipped, with the reason", async () => {
    const skipping = createWaf({
      directives: `SecRuleEngine On
SecAction "id:1,phase:1,pass,nolog,skipAfter:END"
SecRule ARGS "@rx x" "id:2,phase:1,deny"
SecMarker END
SecRule ARGS "@rx nothing" "id:3,phase:1,deny"`,
      onWarning: () => undefined,
    });
    try {
      const record = await explainRequest(skipping, requestFromRaw('GET /?a=x HTTP/1.1\r\nHost: h\r\n\r\n'), { all: true });
      const rules = record.phases[0]!.rules.map((r) => [r.id, r.matched, r.skipped]);
      expect(rules).toEqual([
        [1, true, undefined],
        [2, false, 'skipAfter END'],
        [3, false, undefined],
      ]);
      expect(rule(record, 3)!.steps[0]!.values).toEqual([{ variable: 'ARGS:a', transformations: [], value: 'x', matched: false }]);
      expect(formatExplainText(record, { all: true })).toContain('not run: skipAfter END');
    } finally {
      skipping.close();
    }
  });

  it('lists a multiMatch rule that logs once per match, as the error log does', async () => {
    const multi = createWaf({ directives: 'SecRule ARGS "@rx a" "id:7,phase:1,pass,log,multiMatch,t:none,t:lowercase"', onWarning: () => undefined });
    try {
      const record = await explainRequest(multi, requestFromRaw('GET /?x=a&y=A HTTP/1.1\r\nHost: h\r\n\r\n'));
      expect(record.verdict.loggedRuleIds).toEqual([7, 7]);
      expect(rule(record, 7)!.messages).toBe(2);
      expect(formatExplainText(record)).toContain('logged 2 messages: one per match (multiMatch)');
    } finally {
      multi.close();
    }
  });

  it('in DetectionOnly, says which rule would have interrupted', async () => {
    const detect = createWaf({ directives: RULES.replace('SecRuleEngine On', 'SecRuleEngine DetectionOnly'), onWarning: () => undefined });
    try {
      const record = await explainRequest(detect, request('comment=union+select+1'));
      expect(record.verdict).toMatchObject({ interrupted: false, engine: 'DetectionOnly', ruleId: 100, wouldInterrupt: { ruleId: 100, action: 'deny' } });
      expect(formatExplainText(record)).toContain('Verdict: passed, because the engine is DetectionOnly; with SecRuleEngine On, rule 100 would deny');
    } finally {
      detect.close();
    }
  });

  it('writes JSON in ASCII whose strings give back the request bytes, and reads it back', async () => {
    const record = await explainRequest(waf, request('comment=caf%C3%A9+union+select'));
    const json = formatExplainJson(record, 0);
    expect(json).not.toContain('\n');
    expect(/^[\x20-\x7e]*$/.test(json)).toBe(true);
    const back = parseExplainJson(json);
    expect(back).toEqual(JSON.parse(JSON.stringify(record)));
    expect(rule(back, 100)!.steps[0]!.values.find((v) => v.matched)!.raw).toBe('caf\xc3\xa9 union select');
    expect(() => parseExplainJson('{"format":"other"}')).toThrow(/not a rampart explain record/);
  });
});

describe('explainWaf', () => {
  it('compiles the configuration without its audit and debug logs', () => {
    const dir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'rampart-explain-'));
    const audit = `${dir}/audit.log`;
    const waf = explainWaf({ directives: `SecRuleEngine On\nSecAuditEngine On\nSecAuditLog ${audit}\nSecDebugLog ${dir}/debug.log\nSecDebugLogLevel 9\nSecRule ARGS "@rx x" "id:5,phase:1,deny"`, baseDir: dir });
    try {
      expect(waf.auditLog).toBeUndefined();
      expect(waf.debugLog).toBeUndefined();
    } finally {
      waf.close();
    }
  });
});
