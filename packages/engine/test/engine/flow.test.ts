import { run } from './helpers';

const ON = 'SecRuleEngine On\n';

describe('phases and interruptions', () => {
  test('deny interrupts with 403 and stops later rules', () => {
    const r = run(ON + `SecRule ARGS:a "@streq x" "id:1,phase:1,deny"\nSecRule ARGS "@rx ." "id:2,phase:2,pass"`, { uri: '/?a=x' });
    expect(r.interruption).toMatchObject({ status: 403, ruleId: 1, action: 'deny' });
    expect(r.matched).toEqual([1]);
  });

  test('status sets the deny code', () => {
    const r = run(ON + `SecRule REQUEST_METHOD "@streq POST" "id:1,phase:1,deny,status:405"`, { method: 'POST' });
    expect(r.interruption?.status).toBe(405);
  });

  test('DetectionOnly logs but never interrupts', () => {
    const r = run(`SecRuleEngine DetectionOnly\nSecRule ARGS:a "@streq x" "id:1,phase:1,deny,log"\nSecRule ARGS:a "@streq x" "id:2,phase:2,deny,log"`, { uri: '/?a=x' });
    expect(r.interruption).toBeUndefined();
    expect(r.logged).toEqual([1, 2]);
    expect(r.lines[0]).toMatch(/^ModSecurity: Warning\. /);
  });

  test('Off runs no rule', () => {
    const r = run(`SecRuleEngine Off\nSecRule ARGS:a "@streq x" "id:1,phase:1,deny"`, { uri: '/?a=x' });
    expect(r.matched).toEqual([]);
  });

  test('block takes the disruptive action of the phase default', () => {
    const cfg = ON + `SecDefaultAction "phase:2,log,auditlog,deny,status:418"\nSecRule ARGS "@rx evil" "id:1,phase:2,block"`;
    expect(run(cfg, { uri: '/?q=evil' }).interruption).toMatchObject({ status: 418, ruleId: 1 });
    const passing = ON + `SecDefaultAction "phase:2,log,auditlog,pass"\nSecRule ARGS "@rx evil" "id:1,phase:2,block"`;
    expect(run(passing, { uri: '/?q=evil' }).interruption).toBeUndefined();
  });

  test('a rule without disruptive action does not take the default one: only block does (libmodsecurity v3; v2 differed)', () => {
    const cfg = ON + `SecDefaultAction "phase:1,log,deny,status:401"\nSecRule ARGS "@rx evil" "id:1,phase:1"\nSecRule ARGS "@rx bad" "id:2,phase:1,block"`;
    const r = run(cfg, { uri: '/?q=evil' });
    expect(r.interruption).toBeUndefined();
    // The default's other actions (log, status) still apply to the rule.
    expect(r.logged).toEqual([1]);
    expect(run(cfg, { uri: '/?q=bad' }).interruption?.status).toBe(401);
  });

  test('redirect answers 302 with the expanded location', () => {
    const r = run(ON + `SecRule ARGS:to "@rx ." "id:1,phase:1,redirect:'https://example.com/%{ARGS.to}'"`, { uri: '/?to=home' });
    expect(r.interruption).toMatchObject({ status: 302, action: 'redirect', url: 'https://example.com/home' });
  });

  test('allow skips remaining request rules; allow:phase only the current phase', () => {
    const all = run(ON + `SecRule REMOTE_ADDR "@ipMatch 10.0.0.0/8" "id:1,phase:1,allow"\nSecRule ARGS "@rx ." "id:2,phase:2,deny"`, { uri: '/?a=1' });
    expect(all.interruption).toBeUndefined();
    expect(all.matched).toEqual([1]);
    const phase = run(ON + `SecRule REMOTE_ADDR "@ipMatch 10.0.0.0/8" "id:1,phase:1,allow:phase"\nSecRule ARGS "@rx ." "id:3,phase:1,deny"\nSecRule ARGS "@rx ." "id:2,phase:2,deny"`, { uri: '/?a=1' });
    expect(phase.interruption?.ruleId).toBe(2);
  });

  test('phase 5 rules run after an interruption', () => {
    const r = run(ON + `SecRule ARGS "@rx ." "id:1,phase:1,deny"\nSecAction "id:2,phase:5,pass,log"`, { uri: '/?a=1' });
    expect(r.matched).toEqual([1, 2]);
  });
});

describe('rule flow', () => {
  test('chains match only when every link matches; logged under the head id', () => {
    const cfg = `SecRule REQUEST_METHOD "@streq POST" "id:1,phase:2,pass,log,msg:'post with a',chain"\nSecRule ARGS:a "@rx ." "t:none"`;
    expect(run(cfg, { method: 'POST', uri: '/?a=1' }).logged).toEqual([1]);
    expect(run(cfg, { method: 'GET', uri: '/?a=1' }).logged).toEqual([]);
    expect(run(cfg, { method: 'POST', uri: '/' }).logged).toEqual([]);
    const lines = run(cfg, { method: 'POST', uri: '/?a=1' }).lines;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('[id "1"]');
  });

  test('MATCHED_VARS of the head are visible to the chained rule', () => {
    const cfg = `SecRule ARGS "@rx ^abc" "id:1,phase:2,pass,log,chain"\nSecRule MATCHED_VARS "@rx def$" "t:none"`;
    expect(run(cfg, { uri: '/?x=abcdef' }).logged).toEqual([1]);
    expect(run(cfg, { uri: '/?x=abc&y=def' }).logged).toEqual([]);
  });

  test('skipAfter jumps to the marker; skip counts rules', () => {
    const cfg = `SecAction "id:1,phase:1,pass,nolog,skipAfter:END"\nSecAction "id:2,phase:1,pass,log"\nSecMarker END\nSecAction "id:3,phase:1,pass,log"\nSecAction "id:4,phase:1,pass,nolog,skip:1"\nSecAction "id:5,phase:1,pass,log"\nSecAction "id:6,phase:1,pass,log"`;
    expect(run(cfg).logged).toEqual([3, 6]);
  });

  test('skipAfter to a missing marker skips the rest of the phase only', () => {
    const cfg = `SecAction "id:1,phase:1,pass,nolog,skipAfter:NOWHERE"\nSecAction "id:2,phase:1,pass,log"\nSecAction "id:3,phase:2,pass,log"`;
    expect(run(cfg).logged).toEqual([3]);
  });

  test('nolog matches are recorded but not logged', () => {
    const r = run(`SecAction "id:1,phase:1,pass,nolog"`);
    expect(r.matched).toEqual([1]);
    expect(r.lines).toEqual([]);
  });
});

describe('variables, macros and setvar', () => {
  test('setvar =, =+, =-, ! on TX with macros in names and values', () => {
    const cfg = [
      `SecAction "id:1,phase:1,pass,nolog,setvar:tx.score=5,setvar:'tx.name_%{tx.score}=hello'"`,
      `SecAction "id:2,phase:1,pass,nolog,setvar:tx.score=+%{tx.score},setvar:tx.score=-3,setvar:!tx.gone"`,
      `SecRule TX:score "@eq 7" "id:3,phase:1,pass,log,msg:'score %{tx.score} %{TX.NAME_5}'"`,
    ].join('\n');
    const r = run(cfg);
    expect(r.logged).toEqual([3]);
    expect(r.tx.matchedRules[2]!.msg).toBe('score 7 hello');
  });

  test('setvar runs for every matching value', () => {
    const r = run(`SecRule ARGS "@rx ." "id:1,phase:2,pass,nolog,setvar:tx.n=+1"\nSecRule TX:n "@eq 3" "id:2,phase:2,pass,log"`, { uri: '/?a=1&b=2&c=3' });
    expect(r.logged).toEqual([2]);
  });

  test('& counts, ! excludes, regex selectors are case-insensitive on keys', () => {
    const base = { uri: '/?foo=1&Foo=2&bar=3&baz=4' };
    expect(run(`SecRule &ARGS:foo "@eq 2" "id:1,phase:2,pass,log"`, base).logged).toEqual([1]);
    expect(run(`SecRule &ARGS "@eq 4" "id:1,phase:2,pass,log"`, base).logged).toEqual([1]);
    expect(run(`SecRule ARGS|!ARGS:foo "@rx ^[12]$" "id:1,phase:2,pass,log"`, base).logged).toEqual([]);
    expect(run(`SecRule ARGS:/^BA/ "@rx ^4$" "id:1,phase:2,pass,log"`, base).logged).toEqual([1]);
    expect(run(`SecRule &ARGS:/^ba/ "@eq 2" "id:1,phase:2,pass,log"`, base).logged).toEqual([1]);
  });

  test('TX keys are case-insensitive across setvar, targets and macros', () => {
    const r = run(`SecAction "id:1,phase:1,pass,nolog,setvar:TX.Mixed_Case=abc"\nSecRule TX:mixed_case "@streq abc" "id:2,phase:1,pass,log,msg:'%{tx.MIXED_CASE}'"`);
    expect(r.tx.matchedRules[1]!.msg).toBe('abc');
  });

  test('request line variables are derived as ModSecurity derives them', () => {
    const r = run(`SecAction "id:1,phase:1,pass,nolog"`, { uri: '/a%20b/c.php?x=%41&y' });
    const v = r.tx.vars;
    expect(v.get('REQUEST_URI')).toBe('/a b/c.php?x=A&y');
    expect(v.get('REQUEST_URI_RAW')).toBe('/a%20b/c.php?x=%41&y');
    expect(v.get('REQUEST_FILENAME')).toBe('/a b/c.php');
    expect(v.get('REQUEST_BASENAME')).toBe('c.php');
    expect(v.get('QUERY_STRING')).toBe('x=%41&y');
    expect(v.get('REQUEST_LINE')).toBe('GET /a%20b/c.php?x=%41&y HTTP/1.1');
    expect(r.tx.collection('ARGS_GET')!.entries()).toEqual([{ key: 'x', value: 'A' }, { key: 'y', value: '' }]);
  });

  test('REQUEST_FILENAME, REQUEST_BASENAME and PATH_INFO are cut at the raw ? before decoding (CVE-2024-1019)', () => {
    const r = run(`SecAction "id:1,phase:1,pass,nolog"`, { uri: '/x%3f.php?a=1' });
    const v = r.tx.vars;
    expect(v.get('REQUEST_FILENAME')).toBe('/x?.php');
    expect(v.get('PATH_INFO')).toBe('/x?.php');
    expect(v.get('REQUEST_BASENAME')).toBe('x?.php');
    expect(v.get('QUERY_STRING')).toBe('a=1');
    const deny = `SecRuleEngine On\nSecRule REQUEST_FILENAME "@endsWith .php" "id:1,phase:1,deny"`;
    expect(run(deny, { uri: '/x%3f.php' }).interruption?.status).toBe(403);
    expect(run(deny, { uri: '/x%3F.php?y' }).interruption?.status).toBe(403);
    expect(run(deny, { uri: '/x.html?.php' }).interruption).toBeUndefined();
  });

  test('cookies and headers are collections with case-insensitive keys', () => {
    const r = run(`SecRule REQUEST_COOKIES:SESSION "@streq abc" "id:1,phase:1,pass,log"\nSecRule REQUEST_HEADERS:user-agent "@contains curl" "id:2,phase:1,pass,log"`, {
      headers: [['Host', 'h'], ['User-Agent', 'curl/8'], ['Cookie', 'session=abc; other=1']],
    });
    expect(r.logged).toEqual([1, 2]);
  });

  test('capture sets TX:0-9 from regex groups', () => {
    const r = run(`SecRule ARGS:q "@rx (\\d+)-(\\w+)" "id:1,phase:2,pass,log,capture,logdata:'%{TX.0}|%{TX.1}|%{TX.2}'"`, { uri: '/?q=x12-ab' });
    expect(r.tx.matchedRules[0]!.data).toBe('12-ab|12|ab');
  });

  test('multiMatch runs the operator after every transformation', () => {
    const rule = (mm: string) => `SecRule ARGS:q "@streq <A>" "id:1,phase:2,pass,log,t:none,t:lowercase${mm}"`;
    expect(run(rule(''), { uri: '/?q=%3CA%3E' }).logged).toEqual([]);
    expect(run(rule(',multiMatch'), { uri: '/?q=%3CA%3E' }).logged).toEqual([1]);
  });

  test('t:none drops transformations inherited from SecDefaultAction', () => {
    const cfg = (t: string) => `SecDefaultAction "phase:2,log,pass,t:lowercase"\nSecRule ARGS:q "@streq ABC" "id:1,phase:2${t}"`;
    expect(run(cfg(''), { uri: '/?q=ABC' }).logged).toEqual([]);
    expect(run(cfg(',t:none'), { uri: '/?q=ABC' }).logged).toEqual([1]);
  });
});

describe('ctl and exception directives', () => {
  test('ctl:ruleRemoveById with ranges removes later rules for this transaction only', () => {
    const cfg = `SecRule ARGS:off "@streq 1" "id:1,phase:1,pass,nolog,ctl:ruleRemoveById=10-20"\nSecAction "id:15,phase:2,pass,log"\nSecAction "id:25,phase:2,pass,log"`;
    expect(run(cfg, { uri: '/?off=1' }).logged).toEqual([25]);
    expect(run(cfg, { uri: '/?off=0' }).logged).toEqual([15, 25]);
  });

  test('ctl:ruleRemoveByTag and ruleRemoveTargetById', () => {
    const cfg = [
      `SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveByTag=noisy,ctl:ruleRemoveTargetById=30;ARGS:secret"`,
      `SecAction "id:20,phase:2,pass,log,tag:'noisy'"`,
      `SecRule ARGS "@rx ." "id:30,phase:2,pass,log"`,
    ].join('\n');
    expect(run(cfg, { uri: '/?secret=1' }).logged).toEqual([]);
    expect(run(cfg, { uri: '/?secret=1&other=1' }).logged).toEqual([30]);
  });

  test('ctl:ruleRemoveTargetByTag with a regex key', () => {
    const cfg = `SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveTargetByTag=t1;ARGS:/^json\\./"\nSecRule ARGS "@rx x" "id:30,phase:2,pass,log,tag:'t1'"`;
    expect(run(cfg, { uri: '/?json.a=x' }).logged).toEqual([]);
    expect(run(cfg, { uri: '/?json.a=x&b=x' }).logged).toEqual([30]);
  });

  test('ctl:ruleEngine switches the engine for one transaction', () => {
    const cfg = ON + `SecRule ARGS:mode "@streq detect" "id:1,phase:1,pass,nolog,ctl:ruleEngine=DetectionOnly"\nSecRule ARGS "@rx attack" "id:2,phase:2,deny"`;
    expect(run(cfg, { uri: '/?mode=detect&q=attack' }).interruption).toBeUndefined();
    expect(run(cfg, { uri: '/?q=attack' }).interruption?.ruleId).toBe(2);
  });

  test('SecRuleRemoveById / ByTag / ByMsg', () => {
    const rules = `SecAction "id:1,phase:1,pass,log,tag:'a'"\nSecAction "id:2,phase:1,pass,log,msg:'remove me'"\nSecAction "id:3,phase:1,pass,log"`;
    expect(run(rules + '\nSecRuleRemoveById 3').logged).toEqual([1, 2]);
    expect(run(rules + '\nSecRuleRemoveById 1-2').logged).toEqual([3]);
    expect(run(rules + "\nSecRuleRemoveByTag 'a'").logged).toEqual([2, 3]);
    expect(run(rules + "\nSecRuleRemoveByMsg 'remove'").logged).toEqual([1, 3]);
  });

  test('SecRuleUpdateTargetById adds exclusions and targets', () => {
    const rule = `SecRule ARGS "@rx x" "id:10,phase:2,pass,log"`;
    expect(run(rule + '\nSecRuleUpdateTargetById 10 "!ARGS:skip"', { uri: '/?skip=x' }).logged).toEqual([]);
    expect(run(rule + '\nSecRuleUpdateTargetById 10 "REQUEST_HEADERS:X-Test"', { headers: [['X-Test', 'x']] }).logged).toEqual([10]);
  });

  test('SecRuleUpdateActionById replaces the disruptive action', () => {
    const cfg = ON + `SecRule ARGS "@rx x" "id:10,phase:2,pass,log"\nSecRuleUpdateActionById 10 "deny,status:409"`;
    expect(run(cfg, { uri: '/?a=x' }).interruption?.status).toBe(409);
  });
});

describe('error log lines', () => {
  test('native format with id before msg, data, severity, tags and unique id', () => {
    const r = run(`SecRule ARGS:q "@rx (at+ack)" "id:942100,phase:2,pass,log,capture,msg:'Attack',logdata:'Matched Data: %{TX.0} found within %{MATCHED_VAR_NAME}: %{MATCHED_VAR}',severity:'CRITICAL',tag:'attack-x',ver:'OWASP_CRS/4.28.0'"`, { uri: '/?q=attack' });
    const line = r.lines[0]!;
    expect(line).toMatch(/^ModSecurity: Warning\. Matched "Operator `Rx' with parameter `\(at\+ack\)' against variable `ARGS:q' \(Value: `attack' \)/);
    expect(line.indexOf('[id "942100"]')).toBeLessThan(line.indexOf('[msg "Attack"]'));
    expect(line).toContain('[data "Matched Data: attack found within ARGS:q: attack"]');
    expect(line).toContain('[severity "2"]');
    expect(line).toContain('[tag "attack-x"]');
    expect(line).toContain('[ver "OWASP_CRS/4.28.0"]');
    expect(line).toContain('[unique_id "test-tx"]');
    expect(line).not.toMatch(/[\r\n]/);
  });

  test('an interrupting rule logs Access denied with the code and phase', () => {
    const r = run(ON + `SecRule ARGS "@rx x" "id:5,phase:1,deny,status:403,log"`, { uri: '/?a=x' });
    expect(r.lines[0]).toMatch(/^ModSecurity: Access denied with code 403 \(phase 1\)\. /);
  });
});

describe('asynchronous operators (@rbl)', () => {
  const { createWaf } = require('../../src') as typeof import('../../src');
  const rules = `SecRuleEngine On\nSecRule REMOTE_ADDR "@rbl bl.example.org" "id:1,phase:1,deny,status:403"\nSecAction "id:2,phase:1,pass,log"`;
  const listed = new Set(['2.0.0.10.bl.example.org']);
  const dnsResolve = async (name: string): Promise<string[]> => (listed.has(name) ? ['127.0.0.2'] : []);

  function tx(ip: string) {
    const waf = createWaf({ directives: rules, dnsResolve, onWarning: () => undefined });
    const t = waf.newTransaction();
    t.processConnection(ip, 1, '10.0.0.1', 80);
    t.processUri('/', 'GET', 'HTTP/1.1');
    return t;
  }

  test('the async phase methods await DNS and continue the phase after it', async () => {
    const hit = tx('10.0.0.2');
    expect(await hit.processRequestHeadersAsync()).toMatchObject({ status: 403, ruleId: 1 });
    const clean = tx('10.0.0.3');
    expect(await clean.processRequestHeadersAsync()).toBeUndefined();
    expect(clean.matchedRules.map((r) => r.id)).toEqual([2]);
  });

  test('the sync phase methods refuse clearly instead of skipping the rule', () => {
    expect(() => tx('10.0.0.3').processRequestHeaders()).toThrow(/asynchronous operator.*Async/);
  });
});

describe('target exclusions on scalar variables', () => {
  test('ctl:ruleRemoveTargetByTag removes a whole scalar variable (CRS 941010)', () => {
    const cfg = [
      `SecRule REQUEST_FILENAME "!@validateByteRange 20,45-47,48-57,65-90,95,97-122" "id:941010,phase:1,pass,t:none,nolog,ctl:ruleRemoveTargetByTag=xss-perf-disable;REQUEST_FILENAME"`,
      `SecRule REQUEST_FILENAME|ARGS "@pm document.cookie" "id:941180,phase:2,pass,log,tag:'xss-perf-disable'"`,
    ].join('\n');
    expect(run(cfg, { uri: '/get/javascript-manual/document.cookie' }).logged).toEqual([]);
    expect(run(cfg, { uri: '/get/javascript-manual/document.cookie?a=document.cookie' }).logged).toEqual([941180]);
    expect(run(cfg, { uri: '/get/<x>/document.cookie' }).logged).toEqual([941180]);
  });

  test('SecRuleUpdateTargetById can exclude a scalar', () => {
    expect(run(`SecRule REQUEST_URI|ARGS "@rx x" "id:1,phase:1,pass,log"\nSecRuleUpdateTargetById 1 "!REQUEST_URI"`, { uri: '/x' }).logged).toEqual([]);
  });
});
