import type { Directive, SecActionNode, SecRuleNode } from '../src';
import { parse, print } from '../src';

function only(text: string): Directive {
  const r = parse(text);
  expect(r.diagnostics).toEqual([]);
  expect(r.ast.directives).toHaveLength(1);
  return r.ast.directives[0] as Directive;
}

function rule(text: string): SecRuleNode {
  const d = only(text);
  if (d.kind !== 'SecRule') throw new Error(`expected a SecRule, got ${d.kind}`);
  return d;
}

describe('directives', () => {
  test('names are case-insensitive and canonicalised; the written name is kept', () => {
    const d = rule('secrule ARGS "@RX a" "ID:1,PHASE:2"');
    expect([d.name, d.rawName]).toEqual(['SecRule', 'secrule']);
    expect([d.operator.name, d.operator.rawName]).toEqual(['rx', 'RX']);
    expect(d.actions.map((a) => [a.name, a.rawName])).toEqual([
      ['id', 'ID'],
      ['phase', 'PHASE'],
    ]);
  });

  test('a whole rule with its location', () => {
    const d = rule('  SecRule REQUEST_HEADERS:User-Agent "@pm a b" "id:10,phase:1,deny"');
    expect(d.loc).toEqual({ file: '<input>', line: 1, column: 3, endLine: 1, endColumn: 67 });
    expect(d.variables).toEqual([
      {
        name: 'REQUEST_HEADERS',
        rawName: 'REQUEST_HEADERS',
        negated: false,
        count: false,
        selector: { kind: 'key', value: 'User-Agent', quoted: false },
        loc: { file: '<input>', line: 1, column: 11, endLine: 1, endColumn: 36 },
      },
    ]);
    expect(d.operator).toMatchObject({ name: 'pm', negated: false, implicit: false, argument: 'a b' });
    expect(d.operator.loc).toMatchObject({ line: 1, column: 39, endColumn: 45 });
  });

  test('SecRule without actions', () => {
    expect(rule('SecRule ARGS "@rx a"').actions).toEqual([]);
  });

  test('SecAction, SecDefaultAction, SecMarker', () => {
    expect(only('SecAction "id:1,pass,nolog"')).toMatchObject({ kind: 'SecAction', actions: [{ name: 'id' }, { name: 'pass' }, { name: 'nolog' }] });
    expect(only('SecDefaultAction "phase:2,log,auditlog,pass"')).toMatchObject({ kind: 'SecDefaultAction', name: 'SecDefaultAction' });
    expect(only('SecMarker "END-HOST-CHECK"')).toMatchObject({ kind: 'SecMarker', label: 'END-HOST-CHECK' });
    expect(only('SecMarker BEGIN')).toMatchObject({ kind: 'SecMarker', label: 'BEGIN' });
  });

  test('settings keep their arguments unquoted', () => {
    expect(only('SecRuleEngine DetectionOnly')).toMatchObject({ kind: 'Setting', name: 'SecRuleEngine', args: ['DetectionOnly'] });
    expect(only('SecComponentSignature "OWASP_CRS/4.28.0"')).toMatchObject({ kind: 'Setting', args: ['OWASP_CRS/4.28.0'] });
    expect(only("secauditlogparts 'ABIJDEFHZ'")).toMatchObject({ name: 'SecAuditLogParts', rawName: 'secauditlogparts', args: ['ABIJDEFHZ'] });
  });

  test('SecRuleRemoveById / ByTag / ByMsg', () => {
    expect(only('SecRuleRemoveById 1 2 100-200 "300 400"')).toMatchObject({
      kind: 'RuleRemove',
      by: 'id',
      ids: [
        { from: 1, to: 1 },
        { from: 2, to: 2 },
        { from: 100, to: 200 },
        { from: 300, to: 300 },
        { from: 400, to: 400 },
      ],
    });
    expect(only("SecRuleRemoveByTag 'attack-sqli'")).toMatchObject({ kind: 'RuleRemove', by: 'tag', pattern: 'attack-sqli' });
    expect(only('SecRuleRemoveByMsg "FAIL"')).toMatchObject({ kind: 'RuleRemove', by: 'msg', pattern: 'FAIL' });
  });

  test('SecRuleUpdateTargetById / ByTag / ByMsg, with the optional replaced target', () => {
    const d = only('SecRuleUpdateTargetById 942100 "!ARGS:foo|ARGS:bar"');
    expect(d).toMatchObject({ kind: 'RuleUpdateTarget', by: 'id', ids: [{ from: 942100, to: 942100 }] });
    if (d.kind !== 'RuleUpdateTarget') throw new Error('kind');
    expect(d.variables.map((v) => [v.negated, v.name, v.selector])).toEqual([
      [true, 'ARGS', { kind: 'key', value: 'foo', quoted: false }],
      [false, 'ARGS', { kind: 'key', value: 'bar', quoted: false }],
    ]);
    expect(d.replace).toBeUndefined();
    const t = only('SecRuleUpdateTargetByTag "attack-xss" "ARGS:x" "ARGS"');
    expect(t).toMatchObject({ by: 'tag', pattern: 'attack-xss', replace: [{ name: 'ARGS' }] });
    expect(only('SecRuleUpdateTargetByMsg "Some msg" ARGS')).toMatchObject({ by: 'msg', pattern: 'Some msg' });
  });

  test('SecRuleUpdateActionById with and without a chain offset', () => {
    expect(only('SecRuleUpdateActionById 900100 "t:none,pass"')).toMatchObject({
      kind: 'RuleUpdateAction',
      ids: [{ from: 900100, to: 900100 }],
      actions: [{ name: 't', value: 'none' }, { name: 'pass' }],
    });
    const d = only('SecRuleUpdateActionById 900100:2 "t:none"');
    expect(d).toMatchObject({ chainOffset: 2 });
  });

  test('Include is kept with its pattern (not followed by default for text)', () => {
    expect(only('Include "rules/*.conf"')).toMatchObject({ kind: 'Include', pattern: 'rules/*.conf', files: [] });
  });
});

describe('targets', () => {
  const vars = (list: string) => rule(`SecRule ${list} "@rx a"`).variables;

  test('exclusion, count, key, quoted key and regex selectors', () => {
    expect(vars("ARGS|!ARGS:foo|&TX:bar|REQUEST_HEADERS:'User-Agent'|TX:/^rfi_parameter_/").map((v) => [v.negated, v.count, v.name, v.selector])).toEqual([
      [false, false, 'ARGS', undefined],
      [true, false, 'ARGS', { kind: 'key', value: 'foo', quoted: false }],
      [false, true, 'TX', { kind: 'key', value: 'bar', quoted: false }],
      [false, false, 'REQUEST_HEADERS', { kind: 'key', value: 'User-Agent', quoted: true }],
      [false, false, 'TX', { kind: 'regex', pattern: '^rfi_parameter_' }],
    ]);
  });

  test('a regex selector may contain `/` and `|`; it closes at `/` before `|` or the end', () => {
    expect(vars('"ARGS_NAMES:/a|b/c/|ARGS"').map((v) => v.selector)).toEqual([{ kind: 'regex', pattern: 'a|b/c' }, undefined]);
    expect(vars('"!ARGS_NAMES:/^[\\w]+\\[[\\w\\-]+\\]\\[[\\w\\-]*?\\]$/"')[0]?.selector).toEqual({
      kind: 'regex',
      pattern: '^[\\w]+\\[[\\w\\-]+\\]\\[[\\w\\-]*?\\]$',
    });
  });

  test('XML selectors are XPath, never regexes', () => {
    expect(vars('XML:/*|XML://@*|ARGS').map((v) => v.selector)).toEqual([
      { kind: 'xpath', path: '/*' },
      { kind: 'xpath', path: '//@*' },
      undefined,
    ]);
  });

  test("a quoted key may contain `|` and `\\'`", () => {
    expect(vars("\"ARGS:'a|b\\'c'|ARGS\"")[0]?.selector).toEqual({ kind: 'key', value: "a|b'c", quoted: true });
  });

  test('variable names are canonicalised', () => {
    expect(vars('request_headers:host')[0]).toMatchObject({ name: 'REQUEST_HEADERS', rawName: 'request_headers' });
  });

  test('locations of each target, through the quotes', () => {
    const v = vars('"ARGS|!ARGS:x"');
    expect(v.map((x) => [x.loc.column, x.loc.endColumn])).toEqual([
      [10, 13],
      [15, 21],
    ]);
  });
});

describe('operators', () => {
  const op = (s: string) => rule(`SecRule ARGS "${s}"`).operator;

  test('explicit, negated, implicit and negated implicit', () => {
    expect(op('@streq POST')).toMatchObject({ name: 'streq', negated: false, implicit: false, argument: 'POST' });
    expect(op('!@rx ^a')).toMatchObject({ name: 'rx', negated: true, implicit: false, argument: '^a' });
    expect(op('^abc$')).toMatchObject({ name: 'rx', rawName: '', negated: false, implicit: true, argument: '^abc$' });
    expect(op('!^abc$')).toMatchObject({ name: 'rx', negated: true, implicit: true, argument: '^abc$' });
  });

  test('no argument, and `\\"` unescaped in the argument', () => {
    expect(op('@unconditionalMatch')).toMatchObject({ name: 'unconditionalMatch', argument: '' });
    expect(op('@rx a\\"b')).toMatchObject({ argument: 'a"b' });
  });

  test('operator aliases resolve to the canonical name', () => {
    expect(op('@pmf x.data')).toMatchObject({ name: 'pmFromFile', rawName: 'pmf' });
  });

  test('macros in the argument are split at load time', () => {
    expect(op('@ge %{tx.inbound_anomaly_score_threshold}').argumentMacro).toEqual({
      text: '%{tx.inbound_anomaly_score_threshold}',
      parts: [{ collection: 'TX', key: 'inbound_anomaly_score_threshold', raw: '%{tx.inbound_anomaly_score_threshold}' }],
    });
    expect(op('@endsWith .%{request_headers.host}').argumentMacro.parts).toEqual(['.', { collection: 'REQUEST_HEADERS', key: 'host', raw: '%{request_headers.host}' }]);
  });
});

describe('actions', () => {
  const acts = (s: string) => rule(`SecRule ARGS "@rx a" "${s}"`).actions;

  test('bare and single-quoted values, commas and macros inside quotes', () => {
    const a = acts("id:1,msg:'a, b %{tx.0}',tag:'x',log,t:none");
    expect(a.map((x) => [x.name, x.value, x.quoted])).toEqual([
      ['id', '1', false],
      ['msg', 'a, b %{tx.0}', true],
      ['tag', 'x', true],
      ['log', undefined, false],
      ['t', 'none', false],
    ]);
    expect(a[1]?.macro?.parts).toEqual(['a, b ', { collection: 'TX', key: '0', raw: '%{tx.0}' }]);
  });

  test("`\\'` inside a quoted value, and blanks around entries", () => {
    const a = acts("  id:1 ,   msg:'it\\'s' ,pass  ");
    expect(a.map((x) => [x.name, x.value])).toEqual([
      ['id', '1'],
      ['msg', "it's"],
      ['pass', undefined],
    ]);
  });

  test('setvar forms', () => {
    const a = acts("setvar:'tx.score=+%{tx.critical_anomaly_score}',setvar:tx.a=-5,setvar:TX.b=x,setvar:tx.c,setvar:!tx.d,setvar:'tx.header_name_%{tx.0}=%{tx.0}'");
    expect(a.map((x) => x.setvar)).toEqual([
      {
        collection: 'TX',
        key: { text: 'score', parts: ['score'] },
        op: 'add',
        value: { text: '%{tx.critical_anomaly_score}', parts: [{ collection: 'TX', key: 'critical_anomaly_score', raw: '%{tx.critical_anomaly_score}' }] },
      },
      { collection: 'TX', key: { text: 'a', parts: ['a'] }, op: 'subtract', value: { text: '5', parts: ['5'] } },
      { collection: 'TX', key: { text: 'b', parts: ['b'] }, op: 'set', value: { text: 'x', parts: ['x'] } },
      { collection: 'TX', key: { text: 'c', parts: ['c'] }, op: 'set' },
      { collection: 'TX', key: { text: 'd', parts: ['d'] }, op: 'delete' },
      {
        collection: 'TX',
        key: { text: 'header_name_%{tx.0}', parts: ['header_name_', { collection: 'TX', key: '0', raw: '%{tx.0}' }] },
        op: 'set',
        value: { text: '%{tx.0}', parts: [{ collection: 'TX', key: '0', raw: '%{tx.0}' }] },
      },
    ]);
  });

  test('ctl options, with targets parsed for ruleRemoveTarget*', () => {
    const a = acts("ctl:ruleRemoveById=1-999999,ctl:ruleRemoveTargetByTag=xss-perf-disable;REQUEST_FILENAME,ctl:'ruleRemoveTargetById=942100;ARGS:pwd|!ARGS:x'");
    expect(a[0]?.ctl).toEqual({ option: 'ruleRemoveById', rawOption: 'ruleRemoveById', value: '1-999999' });
    expect(a[1]?.ctl?.target?.selector).toBe('xss-perf-disable');
    expect(a[1]?.ctl?.target?.variables.map((v) => v.name)).toEqual(['REQUEST_FILENAME']);
    expect(a[2]?.ctl?.target?.selector).toBe('942100');
    expect(a[2]?.ctl?.target?.variables.map((v) => [v.negated, v.name, v.selector])).toEqual([
      [false, 'ARGS', { kind: 'key', value: 'pwd', quoted: false }],
      [true, 'ARGS', { kind: 'key', value: 'x', quoted: false }],
    ]);
  });

  test('transformation aliases and action locations', () => {
    const r = rule('SecRule ARGS "@rx a" "t:normalisePath,\\\n    id:5"');
    expect(r.actions[0]).toMatchObject({ name: 't', value: 'normalisePath' });
    expect(r.actions[1]?.loc).toEqual({ file: '<input>', line: 2, column: 5, endLine: 2, endColumn: 8 });
  });
});

describe('continuations', () => {
  test('the next physical line is appended verbatim', () => {
    const r = rule('SecRule ARGS "@rx a" \\\n  "id:1,\\\n  msg:\'x \\\ny\'"');
    expect(r.actions.map((a) => a.value)).toEqual(['1', 'x y']);
  });

  test('continuation inside a directive name and an unquoted argument', () => {
    expect(only('SecMar\\\nker ab\\\ncd')).toMatchObject({ name: 'SecMarker', label: 'abcd' });
  });

  test('CRLF line ends', () => {
    const r = parse('SecMarker A\r\nSecRule ARGS "@rx a" \\\r\n  "id:1"\r\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.ast.directives.map((d) => d.kind)).toEqual(['SecMarker', 'SecRule']);
    expect((r.ast.directives[1] as SecRuleNode).actions[0]).toMatchObject({ name: 'id', value: '1' });
  });
});

describe('chains', () => {
  test('a chain owns the next SecRule or SecAction, recursively, and they leave the top level', () => {
    const r = parse(`
SecRule ARGS "@rx a" "id:1,chain"
  SecRule ARGS "@rx b" "chain"
  SecAction "setvar:tx.x=1"
SecMarker M
SecRule ARGS "@rx c" "id:2"
`);
    expect(r.diagnostics).toEqual([]);
    expect(r.ast.directives.map((d) => d.kind)).toEqual(['SecRule', 'SecMarker', 'SecRule']);
    const head = r.ast.directives[0] as SecRuleNode;
    const second = head.chained as SecRuleNode;
    expect(second.operator.argument).toBe('b');
    expect((second.chained as SecActionNode).kind).toBe('SecAction');
    expect((second.chained as SecActionNode).chained).toBeUndefined();
  });

  test('a chain on the last rule is dangling', () => {
    const r = parse('SecRule ARGS "@rx a" "id:1,chain"\n\nSecRule ARGS "@rx b" "id:2,chain"\n');
    expect(r.diagnostics.map((d) => [d.code, d.loc.line, d.loc.column])).toEqual([['dangling-chain', 3, 28]]);
  });
});

describe('directive arguments', () => {
  test("single-quoted arguments unescape \\' and keep other backslashes", () => {
    expect(only("SecRuleRemoveByTag 'it\\'s \\d'")).toMatchObject({ pattern: "it's \\d" });
    expect(only('SecRuleRemoveByMsg "say \\"hi\\" \\\\"')).toMatchObject({ pattern: 'say "hi" \\\\' });
  });

  test('a value ending in a backslash survives printing', () => {
    const first = parse('SecMarker A\\ \n');
    expect(first.diagnostics).toEqual([]);
    expect(first.ast.directives[0]).toMatchObject({ label: 'A\\' });
    const printed = print(first.ast);
    expect(parse(printed).ast.directives[0]).toMatchObject({ label: 'A\\' });
  });
});
