import { ConfigLoadError, createWaf, lenientCodes, type WafOptions } from '../../src';
import { runTransaction, type TestRequest } from './helpers';

function go(waf: ReturnType<typeof createWaf>, req: TestRequest = {}) {
  const { tx, interruption } = runTransaction(waf, req);
  return { tx, interruption, matched: tx.matchedRules.map((r) => r.id), lines: tx.logLines };
}

/** Loads with warnings collected; returns them, or the load errors as a thrown ConfigLoadError. */
function load(directives: string, options: Partial<WafOptions> = {}): { warnings: string[]; waf: ReturnType<typeof createWaf> } {
  const warnings: string[] = [];
  const waf = createWaf({ directives, onWarning: (w) => warnings.push(`${w.loc ? `${w.loc.line}:${w.loc.column} ` : ''}${w.message}`), ...options });
  return { warnings, waf };
}

function strictErrors(directives: string): string[] {
  try {
    createWaf({ directives, strict: true, onWarning: () => undefined });
  } catch (e) {
    if (e instanceof ConfigLoadError) return e.problems.map((p) => `${p.loc ? `${p.loc.line}:${p.loc.column} ` : ''}${p.message}`);
    throw e;
  }
  return [];
}

describe('what libmodsecurity v3 loads, Rampart loads with a warning (and refuses in strict mode)', () => {
  test('a chain on the last rule: the per-match actions run, the chain never completes', () => {
    const conf = 'SecRuleEngine On\nSecRule ARGS "@rx a" "id:1,phase:1,deny,setvar:tx.seen=1,chain"';
    const { warnings, waf } = load(conf);
    expect(warnings.join('\n')).toMatch(/^2:\d+ the last rule has a chain action but no rule follows it \[dangling-chain\] \(loaded as libmodsecurity v3 loads it: the chain never completes/m);
    const r = go(waf, { uri: '/?x=a' });
    expect(r.interruption).toBeUndefined();
    expect(r.matched).toEqual([]);
    expect(r.tx.collection('TX')!.get('seen')[0]?.value).toBe('1');
    expect(strictErrors(conf).join()).toMatch(/^2:\d+ .*\[dangling-chain\] \(refused in strict mode\)/);
  });

  test('an action list left open at the end of the line ends there', () => {
    const conf = 'SecRuleEngine On\nSecRule ARGS "@rx a" "id:1,phase:1,deny,status:401\nSecRule ARGS "@rx b" "id:2,phase:1,deny,status:402"';
    const { warnings, waf } = load(conf);
    expect(warnings.join('\n')).toMatch(/^2:22 unterminated double quote \[unterminated-quote\] \(loaded/m);
    expect(go(waf, { uri: '/?x=a' }).interruption?.status).toBe(401);
    expect(go(waf, { uri: '/?x=b' }).interruption?.status).toBe(402);
    expect(strictErrors(conf).join()).toMatch(/unterminated-quote/);
  });

  test('an unterminated operator is still refused', () => {
    expect(() => load('SecRule ARGS "@rx a\nSecAction "id:2,pass"')).toThrow(/unterminated double quote/);
  });

  test('a SecAction without id runs, with id 0 in its log line', () => {
    const { warnings, waf } = load('SecRuleEngine On\nSecAction "phase:1,deny,status:401,log"');
    expect(warnings.join()).toMatch(/SecAction has no id.*\[secaction-without-id\]/);
    const r = go(waf);
    expect(r.interruption?.status).toBe(401);
    expect(r.lines.join()).toMatch(/\[id "0"\]/);
    expect(strictErrors('SecAction "phase:1,pass"').join()).toMatch(/secaction-without-id/);
  });

  test('a SecRule without id stays an error, as in libmodsecurity', () => {
    expect(() => load('SecRule ARGS "@rx a" "phase:1,pass"')).toThrow(/rule has no id/);
  });

  test('an id or another phase on a chained rule is ignored: the chain is the head\'s', () => {
    const conf = 'SecRuleEngine On\nSecRule ARGS "@rx a" "id:1,phase:1,deny,chain"\nSecRule ARGS "@rx a" "id:2,phase:2"';
    const { warnings, waf } = load(conf);
    expect(warnings.join('\n')).toMatch(/chained-rule-id/);
    expect(warnings.join('\n')).toMatch(/chained-rule-phase/);
    const r = go(waf, { uri: '/?x=a' });
    expect(r.interruption).toMatchObject({ status: 403, ruleId: 1 });
    expect(waf.rule(2)).toBeUndefined();
  });

  test('every lenient code is listed for tools', () => {
    expect(lenientCodes).toEqual(expect.arrayContaining(['dangling-chain', 'unterminated-quote', 'secaction-without-id', 'chained-rule-id', 'chained-rule-phase', 'default-action-without-phase']));
  });
});

describe('SecDefaultAction as libmodsecurity v3 reads it', () => {
  test('block is not a disruptive action there: deny,block keeps deny', () => {
    const { waf } = load('SecRuleEngine On\nSecDefaultAction "phase:1,log,block,deny,status:400"\nSecRule REQUEST_URI "@contains a" "id:5,phase:1,block"');
    expect(go(waf, { uri: '/a' }).interruption?.status).toBe(400);
  });

  test('a default with only block is refused', () => {
    expect(() => load('SecDefaultAction "phase:1,log,block,status:404"')).toThrow(/needs a disruptive action/);
  });

  test('a second default for the same phase is refused', () => {
    expect(() => load('SecDefaultAction "phase:2,log,pass"\nSecDefaultAction "phase:2,log,deny"')).toThrow(/phase 2 was given already at .*:1: one per phase/);
  });

  test('without a phase it is phase 1\'s', () => {
    const { warnings, waf } = load('SecRuleEngine On\nSecDefaultAction "log,deny,status:401"\nSecRule REQUEST_URI "@contains a" "id:5,phase:1,block"\nSecRule REQUEST_URI "@contains b" "id:6,phase:2,block"');
    expect(warnings.join()).toMatch(/default-action-without-phase/);
    expect(go(waf, { uri: '/a' }).interruption?.status).toBe(401);
    expect(go(waf, { uri: '/b' }).interruption).toBeUndefined();
  });
});

describe('msg, logdata and status on a chained rule', () => {
  test('apply to the chain when the head has none (the head\'s own win)', () => {
    const { waf } = load(
      'SecRuleEngine On\nSecRule REQUEST_URI "@rx ^/" "id:1,phase:1,deny,log,chain"\nSecRule ARGS "@rx x" "status:437,msg:\'in chain %{MATCHED_VAR}\',logdata:\'d\'"',
    );
    const r = go(waf, { uri: '/?a=x' });
    expect(r.interruption?.status).toBe(437);
    expect(r.lines.join()).toMatch(/\[msg "in chain x"\] \[data "d"\]/);
  });

  test('the head\'s status and msg win over a chained rule\'s', () => {
    const { waf } = load('SecRuleEngine On\nSecRule REQUEST_URI "@rx ^/" "id:2,phase:1,deny,status:438,msg:\'head\',log,chain"\nSecRule ARGS "@rx x" "status:439,msg:\'member\'"');
    const r = go(waf, { uri: '/?a=x' });
    expect(r.interruption?.status).toBe(438);
    expect(r.lines.join()).toMatch(/\[msg "head"\]/);
  });
});

describe('targets and macros with the selectors libmodsecurity v3 reads', () => {
  test("TX.partial and ARGS:'/re/' select as TX:partial and ARGS:/re/, in targets and exclusions", () => {
    const { waf } = load(
      'SecRuleEngine On\nSecAction "id:1,phase:1,pass,nolog,setvar:tx.partial=abc"\nSecRule TX.partial "@streq abc" "id:2,phase:1,pass,log"\n' +
        "SecRule ARGS:'/^k/'|!ARGS:'/y$/' \"@rx v\" \"id:3,phase:1,pass,log\"",
    );
    expect(go(waf, { uri: '/?k1=v' }).matched).toEqual([1, 2, 3]);
    expect(go(waf, { uri: '/?ky=v&other=v&k1=v' }).tx.matchedRules.find((r) => r.id === 3)?.matchedVarName).toBe('ARGS:k1');
    expect(go(waf, { uri: '/?ky=v' }).matched).toEqual([1, 2]);
  });

  test('%{TX:/re/} expands to the first TX entry whose key matches, ignoring case', () => {
    const { waf } = load(
      'SecRuleEngine On\nSecAction "id:1,phase:1,pass,nolog,setvar:tx.restricted_headers=/name1/"\n' +
        'SecRule REQUEST_HEADERS_NAMES "@within %{TX:/esTrictEd_headers/}" "id:2,phase:1,deny,status:437"\n' +
        'SecAction "id:3,phase:1,pass,log,msg:\'[%{tx:/^nomatch/}]\'"',
    );
    expect(go(waf, { headers: [['name1', 'x']] }).interruption?.status).toBe(437);
    expect(go(waf, { headers: [['Host', 'x']] }).lines.join()).toMatch(/\[msg "\[\]"\]/);
  });
});

describe('what libmodsecurity v3 refuses', () => {
  test('WEBSERVER_ERROR_LOG (nothing ever fills it) is refused with the reason', () => {
    expect(() => load('SecRule WEBSERVER_ERROR_LOG "@contains error" "id:1,phase:3,pass"')).toThrow(/WEBSERVER_ERROR_LOG is not supported \(libmodsecurity v3 refuses it too\)/);
  });
});

describe('the error-log line as libmodsecurity v3 writes it', () => {
  test("names the chain's last operator, with its parameter's macros expanded", () => {
    const { waf } = load(
      'SecRuleEngine On\nSecAction "id:1,phase:1,pass,nolog,setvar:tx.bad=attack"\nSecRule ARGS "@rx ^%{tx.bad}$" "id:2,phase:1,pass,log"\n' +
        'SecRule REQUEST_URI "@rx ^/" "id:3,phase:1,pass,log,chain"\nSecRule ARGS:p "@within %{tx.bad}s" ""',
    );
    const lines = go(waf, { uri: '/?p=attack' }).lines;
    expect(lines.find((l) => l.includes('[id "2"]'))).toMatch(/Matched "Operator `Rx' with parameter `\^attack\$' against variable `ARGS:p'/);
    expect(lines.find((l) => l.includes('[id "3"]'))).toMatch(/Matched "Operator `Within' with parameter `attacks' against variable `ARGS:p'/);
  });
});
