import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadErrors, run, runAudited, runTx, tempDir, waf, ON } from './helpers';

// Reference manual: "ctl: Changes ModSecurity configuration on transient, per-transaction basis. Any changes made
// using this action will affect only the transaction in which the action is executed." Options: auditEngine,
// auditLogParts, debugLogLevel, forceRequestBodyVariable, requestBodyAccess, requestBodyLimit,
// requestBodyProcessor, responseBodyAccess, responseBodyLimit, ruleEngine, ruleRemoveById, ruleRemoveByMsg,
// ruleRemoveByTag, ruleRemoveTargetById, ruleRemoveTargetByMsg, ruleRemoveTargetByTag, hashEngine,
// hashEnforcement. The change applies from the rule's match on: rules that already ran are not undone.
describe('ctl', () => {
  const form: Array<[string, string]> = [['Host', 'h'], ['Content-Type', 'application/x-www-form-urlencoded']];

  describe('ruleEngine', () => {
    test('Off: the following phases run no rule; a later deny of the same phase does not interrupt', () => {
      const r = run(ON + `SecAction "id:1,phase:1,pass,nolog,ctl:ruleEngine=Off"\nSecAction "id:2,phase:1,deny,log"\nSecAction "id:3,phase:2,deny"\nSecAction "id:4,phase:5,pass"`);
      expect(r.interruption).toBeUndefined();
      expect(r.matched).toEqual([1, 2]);
      expect(r.tx.settings.ruleEngine).toBe('Off');
    });

    test('DetectionOnly: later disruptive rules only log', () => {
      const r = run(ON + `SecAction "id:1,phase:1,pass,nolog,ctl:ruleEngine=DetectionOnly"\nSecAction "id:2,phase:2,deny,log"`);
      expect(r.interruption).toBeUndefined();
      expect(r.logged).toEqual([2]);
      expect(r.lines[0]).toMatch(/^ModSecurity: Warning\./);
    });

    test('On under SecRuleEngine DetectionOnly makes later rules interrupt', () => {
      const r = run(`SecRuleEngine DetectionOnly\nSecRule ARGS:strict "@rx ." "id:1,phase:1,pass,nolog,ctl:ruleEngine=On"\nSecAction "id:2,phase:2,deny"`, { uri: '/?strict=1' });
      expect(r.interruption?.ruleId).toBe(2);
      expect(run(`SecRuleEngine DetectionOnly\nSecRule ARGS:strict "@rx ." "id:1,phase:1,pass,nolog,ctl:ruleEngine=On"\nSecAction "id:2,phase:2,deny"`).interruption).toBeUndefined();
    });

    test('the change is per transaction', () => {
      const w = waf(ON + `SecRule ARGS:off "@rx ." "id:1,phase:1,pass,nolog,ctl:ruleEngine=Off"\nSecAction "id:2,phase:2,deny"`);
      expect(runTx(w, { uri: '/?off=1' }).interruption).toBeUndefined();
      expect(runTx(w, { uri: '/' }).interruption?.ruleId).toBe(2);
    });

    test('a value other than On, Off, DetectionOnly is a load error', () => {
      expect(loadErrors(`SecAction "id:1,phase:1,pass,ctl:ruleEngine=Maybe"`).join('\n')).toMatch(/ctl:ruleEngine takes On, Off or DetectionOnly/);
    });
  });

  describe('ruleRemoveById', () => {
    const later = `SecAction "id:10,phase:2,pass,log"\nSecAction "id:15,phase:2,pass,log"\nSecAction "id:20,phase:2,pass,log"\nSecAction "id:30,phase:2,pass,log"`;

    test('a single id', () => {
      expect(run(`SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveById=15"\n` + later).logged).toEqual([10, 20, 30]);
    });

    test('a range', () => {
      expect(run(`SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveById=10-20"\n` + later).logged).toEqual([30]);
    });

    test('several ids and ranges separated by spaces', () => {
      expect(run(`SecAction "id:1,phase:1,pass,nolog,ctl:'ruleRemoveById=10 25-30'"\n` + later).logged).toEqual([15, 20]);
    });

    test('only when the rule matches, and only for this transaction', () => {
      const w = waf(`SecRule ARGS:rm "@rx ." "id:1,phase:1,pass,nolog,ctl:ruleRemoveById=10"\n` + later);
      expect(runTx(w, { uri: '/?rm=1' }).matched).toEqual([1, 15, 20, 30]);
      expect(runTx(w, { uri: '/' }).matched).toEqual([10, 15, 20, 30]);
    });

    test('a removed deny rule does not interrupt (the CRS exclusion pattern)', () => {
      const r = run(ON + `SecRule REQUEST_FILENAME "@streq /admin" "id:1,phase:1,pass,nolog,ctl:ruleRemoveById=942100"\nSecRule ARGS "@rx select" "id:942100,phase:2,deny"`, { uri: '/admin?q=select' });
      expect(r.interruption).toBeUndefined();
    });

    test('rules that already ran are not undone', () => {
      expect(run(`SecAction "id:10,phase:1,pass,log"\nSecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveById=10"`).logged).toEqual([10]);
    });

    test('a bad id list is a load error', () => {
      expect(loadErrors(`SecAction "id:1,phase:1,pass,ctl:ruleRemoveById=abc"`).join('\n')).toMatch(/expected a rule id or id range/);
      expect(loadErrors(`SecAction "id:1,phase:1,pass,ctl:ruleRemoveById=20-10"`).join('\n')).toMatch(/ends before it starts/);
    });
  });

  describe('ruleRemoveByTag and ruleRemoveByMsg', () => {
    const rules = `SecRule ARGS "@rx ." "id:10,phase:2,pass,log,tag:'attack-sqli',msg:'SQL Injection'"\nSecRule ARGS "@rx ." "id:20,phase:2,pass,log,tag:'attack-xss',tag:'paranoia-level/1',msg:'XSS'"`;

    test('ruleRemoveByTag removes every rule with the tag', () => {
      expect(run(`SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveByTag=attack-sqli"\n` + rules, { uri: '/?a=1' }).logged).toEqual([20]);
      expect(run(`SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveByTag=paranoia-level/1"\n` + rules, { uri: '/?a=1' }).logged).toEqual([10]);
    });

    test('ruleRemoveByTag with an unknown tag removes nothing', () => {
      expect(run(`SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveByTag=attack-rce"\n` + rules, { uri: '/?a=1' }).logged).toEqual([10, 20]);
    });

    test('ruleRemoveByMsg removes the rules with that msg', () => {
      expect(run(`SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveByMsg=XSS"\n` + rules, { uri: '/?a=1' }).logged).toEqual([10]);
      expect(run(`SecAction "id:1,phase:1,pass,nolog,ctl:'ruleRemoveByMsg=SQL Injection'"\n` + rules, { uri: '/?a=1' }).logged).toEqual([20]);
    });
  });

  describe('ruleRemoveTarget*', () => {
    const target = `SecRule ARGS "@rx attack" "id:942100,phase:2,pass,log,tag:'attack-sqli',msg:'SQLi',logdata:'%{MATCHED_VAR_NAME}'"`;

    test('ById with a key removes that argument only', () => {
      const cfg = `SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveTargetById=942100;ARGS:password"\n` + target;
      expect(run(cfg, { uri: '/?password=attack' }).logged).toEqual([]);
      const r = run(cfg, { uri: '/?password=attack&q=attack' });
      expect(r.logged).toEqual([942100]);
      expect(r.tx.matchedRules[1]?.data).toBe('ARGS:q');
    });

    test('ById: the key is case-insensitive', () => {
      const cfg = `SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveTargetById=942100;ARGS:PassWord"\n` + target;
      expect(run(cfg, { uri: '/?password=attack' }).logged).toEqual([]);
    });

    test('ById with a regex selector', () => {
      const cfg = `SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveTargetById=942100;ARGS:/^pass/"\n` + target;
      expect(run(cfg, { uri: '/?password=attack&passwd=attack' }).logged).toEqual([]);
      expect(run(cfg, { uri: '/?password=attack&user=attack' }).logged).toEqual([942100]);
    });

    test('ById with a range of ids', () => {
      const cfg = `SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveTargetById=942000-942999;ARGS:q"\n` + target;
      expect(run(cfg, { uri: '/?q=attack' }).logged).toEqual([]);
    });

    test('ById does not affect other rules', () => {
      const cfg = `SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveTargetById=942100;ARGS:q"\n` + target + `\nSecRule ARGS "@rx attack" "id:942200,phase:2,pass,log"`;
      expect(run(cfg, { uri: '/?q=attack' }).logged).toEqual([942200]);
    });

    test('ById with a whole collection removes all of it', () => {
      const cfg = `SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveTargetById=942100;ARGS"\n` + target;
      expect(run(cfg, { uri: '/?a=attack&b=attack' }).logged).toEqual([]);
    });

    test('ByTag', () => {
      const cfg = `SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveTargetByTag=attack-sqli;ARGS:q"\n` + target;
      expect(run(cfg, { uri: '/?q=attack' }).logged).toEqual([]);
      expect(run(cfg, { uri: '/?r=attack' }).logged).toEqual([942100]);
      const other = `SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveTargetByTag=attack-xss;ARGS:q"\n` + target;
      expect(run(other, { uri: '/?q=attack' }).logged).toEqual([942100]);
    });

    test('ByTag with a regex selector and a scalar target (CRS 941010 pattern)', () => {
      const cfg = `SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveTargetByTag=attack-sqli;ARGS:/^x_/"\n` + target;
      expect(run(cfg, { uri: '/?x_a=attack&x_b=attack' }).logged).toEqual([]);
      const scalar = `SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveTargetByTag=xss-perf-disable;REQUEST_FILENAME"\nSecRule REQUEST_FILENAME "@rx attack" "id:941100,phase:2,pass,log,tag:'xss-perf-disable'"`;
      expect(run(scalar, { uri: '/attack' }).logged).toEqual([]);
    });

    test('ByMsg', () => {
      const cfg = `SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveTargetByMsg=SQLi;ARGS:q"\n` + target;
      expect(run(cfg, { uri: '/?q=attack' }).logged).toEqual([]);
      expect(run(cfg, { uri: '/?z=attack' }).logged).toEqual([942100]);
    });

    test('several targets separated by |', () => {
      const cfg = `SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveTargetById=942100;ARGS:a|ARGS:b"\n` + target;
      expect(run(cfg, { uri: '/?a=attack&b=attack' }).logged).toEqual([]);
      expect(run(cfg, { uri: '/?a=attack&c=attack' }).logged).toEqual([942100]);
    });

    test('the removal applies to chained rules of the selected chain', () => {
      const cfg = `SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveTargetById=50;ARGS:b"\nSecRule ARGS:a "@rx x" "id:50,phase:2,pass,log,chain"\nSecRule ARGS "@rx y"`;
      expect(run(cfg, { uri: '/?a=x&b=y' }).logged).toEqual([]);
      expect(run(cfg, { uri: '/?a=x&c=y' }).logged).toEqual([50]);
    });

    test('a missing ;TARGET is a load error', () => {
      expect(loadErrors(`SecAction "id:1,phase:1,pass,ctl:ruleRemoveTargetById=942100"`).join('\n')).toMatch(/expects ID;TARGETS|needs '<selector>;<TARGET>'/);
    });
  });

  describe('audit logging', () => {
    test('auditEngine=On writes a record under SecAuditEngine Off', () => {
      const cfg = `SecAuditEngine Off\nSecRule ARGS:audit "@rx ." "id:1,phase:1,pass,nolog,ctl:auditEngine=On"`;
      expect(runAudited(cfg, { uri: '/?audit=1' }).audit).toMatch(/---[0-9A-Za-z]{8}---A--/);
      expect(runAudited(cfg, { uri: '/' }).audit).toBe('');
    });

    test('auditEngine=Off suppresses the record under SecAuditEngine On', () => {
      const cfg = `SecAuditEngine On\nSecRule ARGS:quiet "@rx ." "id:1,phase:1,pass,nolog,ctl:auditEngine=Off"`;
      expect(runAudited(cfg, { uri: '/?quiet=1' }).audit).toBe('');
      expect(runAudited(cfg, { uri: '/' }).audit).not.toBe('');
    });

    test('auditEngine=RelevantOnly writes only relevant transactions', () => {
      const cfg = `SecAuditEngine On\nSecAction "id:1,phase:1,pass,nolog,ctl:auditEngine=RelevantOnly"\nSecRule ARGS:bad "@rx ." "id:2,phase:2,pass,log"`;
      expect(runAudited(cfg, { uri: '/' }).audit).toBe('');
      expect(runAudited(cfg, { uri: '/?bad=1' }).audit).toContain('[id "2"]');
    });

    test('auditLogParts replaces, adds (+) or removes (-) parts', () => {
      const base = `SecAuditEngine On\nSecAuditLogParts ABFHZ\n`;
      const parts = (action: string): string => run(base + `SecAction "id:1,phase:1,pass,nolog,ctl:auditLogParts=${action}"`).tx.settings.auditLogParts;
      expect(parts('ABZ')).toBe('ABZ');
      expect(parts('+E')).toBe('ABFHZE');
      expect(parts('-F')).toBe('ABHZ');
      expect(parts('+B')).toBe('ABFHZ');
    });

    test('auditLogParts changes the sections written', () => {
      const cfg = `SecAuditEngine On\nSecAuditLogParts ABHZ\nSecAction "id:1,phase:1,pass,nolog,ctl:auditLogParts=-B"`;
      const { audit } = runAudited(cfg, {});
      expect(audit).toMatch(/-A--/);
      expect(audit).not.toMatch(/-B--/);
      expect(audit).toMatch(/-H--/);
    });

    test('bad values are load errors', () => {
      expect(loadErrors(`SecAction "id:1,phase:1,pass,ctl:auditEngine=Sometimes"`).join('\n')).toMatch(/ctl:auditEngine takes On, Off or RelevantOnly/);
      expect(loadErrors(`SecAction "id:1,phase:1,pass,ctl:auditLogParts=XYZ"`).join('\n')).toMatch(/ctl:auditLogParts takes parts A-K and Z/);
    });
  });

  describe('request body', () => {
    test('requestBodyAccess=On parses the body under SecRequestBodyAccess Off', () => {
      const cfg = `SecRequestBodyAccess Off\nSecRule REQUEST_URI "@beginsWith /api" "id:1,phase:1,pass,nolog,ctl:requestBodyAccess=On"\nSecRule ARGS_POST:a "@streq x" "id:2,phase:2,pass,log"`;
      expect(run(cfg, { method: 'POST', uri: '/api', headers: form, body: 'a=x' }).logged).toEqual([2]);
      expect(run(cfg, { method: 'POST', uri: '/other', headers: form, body: 'a=x' }).logged).toEqual([]);
    });

    test('requestBodyAccess=Off skips the body', () => {
      const cfg = `SecRequestBodyAccess On\nSecAction "id:1,phase:1,pass,nolog,ctl:requestBodyAccess=Off"\nSecRule ARGS_POST:a "@streq x" "id:2,phase:2,pass,log"`;
      expect(run(cfg, { method: 'POST', headers: form, body: 'a=x' }).logged).toEqual([]);
    });

    test('requestBodyLimit lowers the limit for this transaction (Reject answers 403, as libmodsecurity v3)', () => {
      const cfg = ON + `SecRequestBodyAccess On\nSecRequestBodyLimitAction Reject\nSecRule REQUEST_URI "@beginsWith /upload" "id:1,phase:1,pass,nolog,ctl:requestBodyLimit=10"`;
      expect(run(cfg, { method: 'POST', uri: '/upload', headers: form, body: 'a=01234567890123' }).interruption?.status).toBe(403);
      expect(run(cfg, { method: 'POST', uri: '/other', headers: form, body: 'a=01234567890123' }).interruption).toBeUndefined();
      expect(run(cfg, { method: 'POST', uri: '/upload', headers: form, body: 'a=1' }).interruption).toBeUndefined();
    });

    test('requestBodyProcessor=JSON', () => {
      const cfg = `SecRequestBodyAccess On\nSecRule REQUEST_HEADERS:Content-Type "@rx ^application/json" "id:1,phase:1,pass,nolog,ctl:requestBodyProcessor=JSON"\nSecRule ARGS:json.user.name "@streq bob" "id:2,phase:2,pass,log"\nSecRule REQBODY_PROCESSOR "@streq JSON" "id:3,phase:2,pass,log"`;
      const r = run(cfg, { method: 'POST', headers: [['Host', 'h'], ['Content-Type', 'application/json']], body: '{"user":{"name":"bob"}}' });
      expect(r.logged).toEqual([2, 3]);
    });

    test('requestBodyProcessor=XML', () => {
      const cfg = `SecRequestBodyAccess On\nSecRule REQUEST_HEADERS:Content-Type "@rx xml" "id:1,phase:1,pass,nolog,ctl:requestBodyProcessor=XML"\nSecRule XML:/a/b "@streq c" "id:2,phase:2,pass,log"`;
      expect(run(cfg, { method: 'POST', headers: [['Host', 'h'], ['Content-Type', 'application/xml']], body: '<a><b>c</b></a>' }).logged).toEqual([2]);
    });

    test('requestBodyProcessor=URLENCODED for a body sent without a form Content-Type', () => {
      const cfg = `SecRequestBodyAccess On\nSecAction "id:1,phase:1,pass,nolog,ctl:requestBodyProcessor=URLENCODED"\nSecRule ARGS_POST:a "@streq x" "id:2,phase:2,pass,log"`;
      expect(run(cfg, { method: 'POST', headers: [['Host', 'h'], ['Content-Type', 'text/plain']], body: 'a=x' }).logged).toEqual([2]);
      expect(run(cfg.replace('ctl:requestBodyProcessor=URLENCODED', 'setvar:tx.none=1'), { method: 'POST', headers: [['Host', 'h'], ['Content-Type', 'text/plain']], body: 'a=x' }).logged).toEqual([]);
    });

    test('requestBodyProcessor=MULTIPART', () => {
      const body = '--XyZ\r\nContent-Disposition: form-data; name="field"\r\n\r\nvalue1\r\n--XyZ--\r\n';
      const cfg = `SecRequestBodyAccess On\nSecAction "id:1,phase:1,pass,nolog,ctl:requestBodyProcessor=MULTIPART"\nSecRule ARGS_POST:field "@streq value1" "id:2,phase:2,pass,log"`;
      expect(run(cfg, { method: 'POST', headers: [['Host', 'h'], ['Content-Type', 'multipart/form-data; boundary=XyZ']], body }).logged).toEqual([2]);
    });

    test('the processor name is case-insensitive; an unknown one is a load error', () => {
      const cfg = `SecRequestBodyAccess On\nSecAction "id:1,phase:1,pass,nolog,ctl:requestBodyProcessor=json"\nSecRule ARGS:json.a "@streq 1" "id:2,phase:2,pass,log"`;
      expect(run(cfg, { method: 'POST', headers: [['Host', 'h'], ['Content-Type', 'application/json']], body: '{"a":1}' }).logged).toEqual([2]);
      expect(loadErrors(`SecAction "id:1,phase:1,pass,ctl:requestBodyProcessor=YAML"`).join('\n')).toMatch(/ctl:requestBodyProcessor takes URLENCODED, MULTIPART, JSON, XML/);
    });

    test('forceRequestBodyVariable=On fills REQUEST_BODY for a body no processor handles', () => {
      const rule = `SecRule REQUEST_BODY "@streq raw data" "id:2,phase:2,pass,log"`;
      const req = { method: 'POST', headers: [['Host', 'h'], ['Content-Type', 'text/plain']] as Array<[string, string]>, body: 'raw data' };
      expect(run(`SecRequestBodyAccess On\nSecAction "id:1,phase:1,pass,nolog,ctl:forceRequestBodyVariable=On"\n` + rule, req).logged).toEqual([2]);
      expect(run(`SecRequestBodyAccess On\n` + rule, req).logged).toEqual([]);
    });

    test('bad values are load errors', () => {
      expect(loadErrors(`SecAction "id:1,phase:1,pass,ctl:requestBodyAccess=maybe"`).join('\n')).toMatch(/ctl:requestBodyAccess takes On or Off/);
      expect(loadErrors(`SecAction "id:1,phase:1,pass,ctl:requestBodyLimit=10k"`).join('\n')).toMatch(/ctl:requestBodyLimit takes a number of bytes/);
      expect(loadErrors(`SecAction "id:1,phase:1,pass,ctl:forceRequestBodyVariable=yes"`).join('\n')).toMatch(/takes On or Off/);
    });
  });

  describe('response body', () => {
    const page = { response: { headers: [['Content-Type', 'text/html']] as Array<[string, string]>, body: '<html>secret-token</html>' } };

    test('responseBodyAccess=On inspects RESPONSE_BODY under SecResponseBodyAccess Off', () => {
      const cfg = `SecResponseBodyAccess Off\nSecAction "id:1,phase:1,pass,nolog,ctl:responseBodyAccess=On"\nSecRule RESPONSE_BODY "@contains secret-token" "id:2,phase:4,pass,log"`;
      expect(run(cfg, page).logged).toEqual([2]);
      expect(run(cfg.replace('ctl:responseBodyAccess=On', 'setvar:tx.x=1'), page).logged).toEqual([]);
    });

    test('responseBodyAccess=Off skips it', () => {
      const cfg = `SecResponseBodyAccess On\nSecAction "id:1,phase:3,pass,nolog,ctl:responseBodyAccess=Off"\nSecRule RESPONSE_BODY "@contains secret-token" "id:2,phase:4,pass,log"`;
      expect(run(cfg, page).logged).toEqual([]);
    });

    test('responseBodyLimit lowers the limit (ProcessPartial inspects the first bytes only)', () => {
      const cfg = `SecResponseBodyAccess On\nSecResponseBodyLimitAction ProcessPartial\nSecAction "id:1,phase:1,pass,nolog,ctl:responseBodyLimit=10"\nSecRule RESPONSE_BODY "@contains secret-token" "id:2,phase:4,pass,log"\nSecRule RESPONSE_BODY "@streq <html>secr" "id:3,phase:4,pass,log"`;
      expect(run(cfg, page).logged).toEqual([3]);
    });

    test('bad values are load errors', () => {
      expect(loadErrors(`SecAction "id:1,phase:1,pass,ctl:responseBodyAccess=2"`).join('\n')).toMatch(/ctl:responseBodyAccess takes On or Off/);
      expect(loadErrors(`SecAction "id:1,phase:1,pass,ctl:responseBodyLimit=-1"`).join('\n')).toMatch(/ctl:responseBodyLimit takes a number of bytes/);
    });
  });

  describe('debugLogLevel', () => {
    test('raises the debug log level for this transaction only', () => {
      const dir = tempDir();
      const file = path.join(dir, 'debug.log');
      try {
        const w = waf(`SecDebugLog ${file}\nSecDebugLogLevel 0\nSecRule ARGS:debug "@rx ." "id:1,phase:1,pass,nolog,ctl:debugLogLevel=9"\nSecAction "id:2,phase:2,pass,nolog"`);
        const quiet = runTx(w, { uri: '/' });
        expect(quiet.tx.settings.debugLogLevel).toBe(0);
        const size = fs.existsSync(file) ? fs.statSync(file).size : 0;
        const loud = runTx(w, { uri: '/?debug=1' });
        expect(loud.tx.settings.debugLogLevel).toBe(9);
        w.close();
        expect(size).toBe(0);
        const text = fs.readFileSync(file, 'latin1');
        expect(text).toContain('[test-tx] [/?debug=1] [4] Starting phase REQUEST_BODY.');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    test('a level outside 0-9 is a load error', () => {
      expect(loadErrors(`SecAction "id:1,phase:1,pass,ctl:debugLogLevel=10"`).join('\n')).toMatch(/ctl:debugLogLevel takes 0-9/);
    });
  });

  describe('refused and unknown options', () => {
    test.each([
      ['hashEngine=On', /ctl:hashEngine is not supported: the HMAC token feature/],
      ['hashEnforcement=On', /ctl:hashEnforcement is not supported/],
      ['responseBodyProcessor=JSON', /ctl:responseBodyProcessor is not supported: response body processors/],
      ['forceResponseBodyVariable=On', /ctl:forceResponseBodyVariable is not supported/],
      ['noSuchOption=1', /unknown ctl option 'noSuchOption'/],
    ])('ctl:%s is a load error', (option, message) => {
      expect(loadErrors(`SecAction "id:1,phase:1,pass,ctl:${option}"`).join('\n')).toMatch(message);
    });

    test('ctl without option=value is a load error', () => {
      expect(loadErrors(`SecAction "id:1,phase:1,pass,ctl:ruleEngine"`).join('\n')).toMatch(/ctl expects option=value/);
    });
  });

  describe('placement', () => {
    test('several ctl actions in one rule all apply', () => {
      const cfg = ON + `SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveById=10,ctl:ruleRemoveByTag=t20,ctl:ruleEngine=DetectionOnly"\nSecAction "id:10,phase:2,pass,log"\nSecAction "id:20,phase:2,pass,log,tag:t20"\nSecAction "id:30,phase:2,deny,log"`;
      const r = run(cfg);
      expect(r.logged).toEqual([30]);
      expect(r.interruption).toBeUndefined();
    });

    test('a ctl in a chained rule applies when the whole chain matches', () => {
      const cfg = `SecRule REQUEST_METHOD "@streq POST" "id:1,phase:1,pass,nolog,chain"\nSecRule REQUEST_FILENAME "@streq /api" "ctl:ruleRemoveById=10"\nSecAction "id:10,phase:2,pass,log"`;
      expect(run(cfg, { method: 'POST', uri: '/api' }).logged).toEqual([]);
      expect(run(cfg, { method: 'GET', uri: '/api' }).logged).toEqual([10]);
      expect(run(cfg, { method: 'POST', uri: '/other' }).logged).toEqual([10]);
    });

    test('a ctl in a rule that does not match changes nothing', () => {
      const r = run(ON + `SecRule ARGS:never "@rx ." "id:1,phase:1,pass,nolog,ctl:ruleEngine=Off"\nSecAction "id:2,phase:2,deny"`);
      expect(r.interruption?.ruleId).toBe(2);
      expect(r.tx.settings.ruleEngine).toBe('On');
    });

    test('ctl runs under DetectionOnly too (it is not disruptive)', () => {
      const r = run(`SecRuleEngine DetectionOnly\nSecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveById=2"\nSecAction "id:2,phase:2,deny,log"`);
      expect(r.matched).toEqual([1]);
    });
  });
});
