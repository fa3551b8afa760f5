import { loadErrors, run, runTx, txVar, waf } from './helpers';

// Reference manual: "setvar: Creates, removes, or updates a variable. Variable names are case-insensitive."
// Examples: setvar:tx.score (creates with value 1), setvar:tx.score=10, setvar:tx.score=+5, setvar:tx.score=-5,
// setvar:!tx.score (removes). Macros expand in names and values. ModSecurity v3 runs setvar for every value that
// matched, parses non-numeric operands of += / -= as 0.
describe('setvar', () => {
  const val = (directives: string, name: string, uri = '/'): string | undefined => txVar(run(directives, { uri }).tx, name);

  test('=value sets, no value sets 1', () => {
    expect(val(`SecAction "id:1,phase:1,pass,nolog,setvar:tx.a=hello"`, 'a')).toBe('hello');
    expect(val(`SecAction "id:1,phase:1,pass,nolog,setvar:tx.flag"`, 'flag')).toBe('1');
  });

  test('=+N adds, =-N subtracts, starting from 0 when absent', () => {
    const cfg = `SecAction "id:1,phase:1,pass,nolog,setvar:tx.s=10"\nSecAction "id:2,phase:1,pass,nolog,setvar:tx.s=+5"\nSecAction "id:3,phase:1,pass,nolog,setvar:tx.s=-3"`;
    expect(val(cfg, 's')).toBe('12');
    expect(val(`SecAction "id:1,phase:1,pass,nolog,setvar:tx.n=+7"`, 'n')).toBe('7');
    expect(val(`SecAction "id:1,phase:1,pass,nolog,setvar:tx.n=-7"`, 'n')).toBe('-7');
  });

  test('non-numeric operands count as 0; a leading number is used', () => {
    expect(val(`SecAction "id:1,phase:1,pass,nolog,setvar:tx.n=abc"\nSecAction "id:2,phase:1,pass,nolog,setvar:tx.n=+2"`, 'n')).toBe('2');
    expect(val(`SecAction "id:1,phase:1,pass,nolog,setvar:tx.n=5"\nSecAction "id:2,phase:1,pass,nolog,setvar:tx.n=+x"`, 'n')).toBe('5');
    expect(val(`SecAction "id:1,phase:1,pass,nolog,setvar:tx.n=5"\nSecAction "id:2,phase:1,pass,nolog,setvar:tx.n=+3abc"`, 'n')).toBe('8');
  });

  test('!tx.name removes the variable', () => {
    const cfg = `SecAction "id:1,phase:1,pass,nolog,setvar:tx.a=1"\nSecAction "id:2,phase:1,pass,nolog,setvar:!tx.a"\nSecRule &TX:a "@eq 0" "id:3,phase:1,pass,log"`;
    const r = run(cfg);
    expect(txVar(r.tx, 'a')).toBeUndefined();
    expect(r.logged).toEqual([3]);
  });

  test('an empty value sets the empty string', () => {
    const r = run(`SecAction "id:1,phase:1,pass,nolog,setvar:tx.e="\nSecRule &TX:e "@eq 1" "id:2,phase:1,pass,log"`);
    expect(txVar(r.tx, 'e')).toBe('');
    expect(r.logged).toEqual([2]);
  });

  test('names are case-insensitive', () => {
    const cfg = `SecAction "id:1,phase:1,pass,nolog,setvar:TX.Score=4"\nSecAction "id:2,phase:1,pass,nolog,setvar:tx.SCORE=+1"\nSecRule TX:score "@eq 5" "id:3,phase:1,pass,log"`;
    expect(run(cfg).logged).toEqual([3]);
  });

  test('macros expand in values (the CRS anomaly scoring form)', () => {
    const cfg = `SecAction "id:1,phase:1,pass,nolog,setvar:tx.critical_anomaly_score=5,setvar:tx.inbound_anomaly_score_pl1=0"\nSecRule ARGS "@rx attack" "id:2,phase:2,pass,nolog,setvar:'tx.inbound_anomaly_score_pl1=+%{tx.critical_anomaly_score}'"`;
    expect(val(cfg, 'inbound_anomaly_score_pl1', '/?a=attack')).toBe('5');
    expect(val(`SecAction "id:1,phase:1,pass,nolog,setvar:'tx.who=%{REMOTE_ADDR} on %{REQUEST_METHOD}'"`, 'who')).toBe('10.0.0.1 on GET');
  });

  test('macros expand in names (the CRS header-name form)', () => {
    const cfg = `SecRule REQUEST_HEADERS_NAMES "@rx ^x-(\\w+)$" "id:1,phase:1,pass,nolog,t:lowercase,capture,setvar:'tx.header_name_%{tx.1}=/%{tx.0}/'"`;
    const r = run(cfg, { headers: [['Host', 'h'], ['X-Forwarded', '1']] });
    expect(txVar(r.tx, 'header_name_forwarded')).toBe('/x-forwarded/');
    expect(val(`SecAction "id:1,phase:1,pass,nolog,setvar:tx.p=pre,setvar:tx.%{tx.p}_x=1"`, 'pre_x')).toBe('1');
  });

  test('runs once for every matching value', () => {
    const r = run(`SecRule ARGS "@rx ." "id:1,phase:2,pass,nolog,setvar:tx.n=+1,setvar:'tx.last=%{MATCHED_VAR}'"`, { uri: '/?a=1&b=2&c=3' });
    expect(txVar(r.tx, 'n')).toBe('3');
    expect(txVar(r.tx, 'last')).toBe('3');
  });

  test('does not run when the rule does not match', () => {
    expect(val(`SecRule ARGS "@rx zzz" "id:1,phase:2,pass,nolog,setvar:tx.n=1"`, 'n', '/?a=1')).toBeUndefined();
  });

  test('runs on pass rules and also on the matching rule of a deny (before the interruption)', () => {
    const r = run(`SecRuleEngine On\nSecRule ARGS "@rx x" "id:1,phase:1,deny,setvar:tx.blocked=yes"`, { uri: '/?a=x' });
    expect(r.interruption?.ruleId).toBe(1);
    expect(txVar(r.tx, 'blocked')).toBe('yes');
  });

  test('writing a persistent collection that no initcol opened is ignored', () => {
    const r = run(`SecAction "id:1,phase:1,pass,nolog,setvar:ip.score=+1"\nSecRule &IP:score "@eq 0" "id:2,phase:1,pass,log"`);
    expect(r.logged).toEqual([2]);
  });

  test('a later rule sees the value through TX:name and %{tx.name}', () => {
    const cfg = `SecAction "id:1,phase:1,pass,nolog,setvar:tx.limit=3"\nSecRule ARGS:n "@gt %{tx.limit}" "id:2,phase:2,pass,log"`;
    expect(run(cfg, { uri: '/?n=4' }).logged).toEqual([2]);
    expect(run(cfg, { uri: '/?n=3' }).logged).toEqual([]);
  });

  test('a collection other than TX and the persistent ones is a load error', () => {
    expect(loadErrors(`SecAction "id:1,phase:1,pass,setvar:args.x=1"`).join('\n')).toMatch(/setvar can write TX, IP, SESSION, USER, GLOBAL or RESOURCE/);
  });

  test('malformed setvar values are load errors', () => {
    expect(loadErrors(`SecAction "id:1,phase:1,pass,setvar:novar"`).join('\n')).toMatch(/setvar expects collection.name/);
    expect(loadErrors(`SecAction "id:1,phase:1,pass,setvar:tx.=1"`).join('\n')).toMatch(/empty variable name/);
    expect(loadErrors(`SecAction "id:1,phase:1,pass,setvar:!tx.a=1"`).join('\n')).toMatch(/deletion.*takes no value/);
  });

  test('every form works on a persistent collection too, and persists', () => {
    const w = waf(`SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"\nSecRule ARGS:op "@streq set" "id:2,phase:1,pass,nolog,setvar:ip.a=10,setvar:ip.b=x,setvar:ip.flag,setvar:'ip.%{ARGS.op}_by=%{REMOTE_ADDR}'"\nSecRule ARGS:op "@streq change" "id:3,phase:1,pass,nolog,setvar:ip.a=+5,setvar:ip.a=-2,setvar:!ip.b"`);
    const T0 = new Date('2026-01-01T00:00:00Z');
    runTx(w, { uri: '/?op=set' }, { now: T0 });
    const mid = runTx(w, { uri: '/?op=change' }, { now: T0 }).tx.collection('IP')!;
    expect([mid.first('a'), mid.first('b'), mid.first('flag'), mid.first('set_by')]).toEqual(['13', undefined, '1', '10.0.0.1']);
    const after = runTx(w, { uri: '/' }, { now: T0 }).tx.collection('IP')!;
    expect([after.first('a'), after.first('b'), after.first('flag'), after.first('set_by')]).toEqual(['13', undefined, '1', '10.0.0.1']);
  });

  test('an unknown macro in an increment adds 0; quoted values keep spaces and commas', () => {
    expect(val(`SecAction "id:1,phase:1,pass,nolog,setvar:tx.n=4,setvar:tx.n=+%{tx.missing}"`, 'n')).toBe('4');
    expect(val(`SecAction "id:1,phase:1,pass,nolog,setvar:'tx.m=hello world, again'"`, 'm')).toBe('hello world, again');
  });

  test('a value with leading zeros is stored as written; arithmetic reads it as a number', () => {
    expect(val(`SecAction "id:1,phase:1,pass,nolog,setvar:tx.z=010"`, 'z')).toBe('010');
    expect(val(`SecAction "id:1,phase:1,pass,nolog,setvar:tx.z=010,setvar:tx.z=+1"`, 'z')).toBe('11');
  });

  test('setvar in a chained rule uses that rule\'s match in %{MATCHED_VAR}', () => {
    const r = run(`SecRule ARGS:a "@rx ." "id:1,phase:2,pass,nolog,chain"\nSecRule ARGS:b "@rx ." "setvar:'tx.seen=%{MATCHED_VAR_NAME}=%{MATCHED_VAR}'"`, { uri: '/?a=1&b=2' });
    expect(txVar(r.tx, 'seen')).toBe('ARGS:b=2');
  });
});
