import { run, txVar } from './helpers';

// Reference manual: "capture: When used together with the regular expression operator (@rx), the capture action
// will create copies of the regular expression captures and place them into the transaction variable collection.
// ... Up to 10 captures will be copied on a successful pattern match, each with a name consisting of a digit from
// 0 to 9. The TX.0 variable always contains the entire area that the regular expression matched."
describe('capture', () => {
  test('TX:0 is the whole match, TX:1.. the groups', () => {
    const r = run(`SecRule ARGS:d "@rx (\\d{4})-(\\d{2})-(\\d{2})" "id:1,phase:2,pass,nolog,capture"`, { uri: '/?d=on+2024-05-17.' });
    expect(txVar(r.tx, '0')).toBe('2024-05-17');
    expect(txVar(r.tx, '1')).toBe('2024');
    expect(txVar(r.tx, '2')).toBe('05');
    expect(txVar(r.tx, '3')).toBe('17');
    expect(txVar(r.tx, '4')).toBeUndefined();
  });

  test('without capture TX:0 is not set', () => {
    const r = run(`SecRule ARGS "@rx (a)" "id:1,phase:2,pass,nolog"`, { uri: '/?x=a' });
    expect(txVar(r.tx, '0')).toBeUndefined();
    expect(txVar(r.tx, '1')).toBeUndefined();
  });

  test('only TX:0 to TX:9 are filled', () => {
    const re = '(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)';
    const r = run(`SecRule ARGS "@rx ${re}" "id:1,phase:2,pass,nolog,capture"`, { uri: '/?x=abcdefghijk' });
    expect(txVar(r.tx, '9')).toBe('i');
    expect(txVar(r.tx, '10')).toBeUndefined();
  });

  test('captures are usable in the same rule (msg, logdata, setvar) and in later rules', () => {
    const cfg = `SecRule ARGS:u "@rx ^(\\w+)@(\\w+)" "id:1,phase:2,pass,log,capture,msg:'user %{TX.1}',logdata:'domain %{tx.2}',setvar:'tx.user=%{TX.1}'"\nSecRule TX:2 "@streq example" "id:2,phase:2,pass,log"`;
    const r = run(cfg, { uri: '/?u=bob@example' });
    expect(r.tx.matchedRules[0]).toMatchObject({ msg: 'user bob', data: 'domain example' });
    expect(txVar(r.tx, 'user')).toBe('bob');
    expect(r.logged).toEqual([1, 2]);
  });

  test('@pm with capture puts the matched phrase in TX:0', () => {
    const r = run(`SecRule ARGS "@pm alpha beta" "id:1,phase:2,pass,nolog,capture"`, { uri: '/?q=xx+beta+yy' });
    expect(txVar(r.tx, '0')).toBe('beta');
  });

  test('a negated operator captures nothing', () => {
    const r = run(`SecRule ARGS "!@rx (z)" "id:1,phase:2,pass,log,capture"`, { uri: '/?q=abc' });
    expect(r.logged).toEqual([1]);
    expect(txVar(r.tx, '0')).toBeUndefined();
  });

  test('a later capturing match overwrites the earlier captures', () => {
    const cfg = `SecRule ARGS:a "@rx (\\d+)" "id:1,phase:2,pass,nolog,capture"\nSecRule ARGS:b "@rx (\\d+)" "id:2,phase:2,pass,nolog,capture"`;
    const r = run(cfg, { uri: '/?a=11&b=22' });
    expect(txVar(r.tx, '1')).toBe('22');
  });

  test('the chained rule can use the head captures in its operator', () => {
    const cfg = `SecRule REQUEST_HEADERS:Host "@rx ^([^:]+)" "id:1,phase:1,pass,log,capture,chain"\nSecRule REQUEST_HEADERS:Referer "!@contains %{tx.1}"`;
    expect(run(cfg, { headers: [['Host', 'example.com'], ['Referer', 'http://evil.net/']] }).logged).toEqual([1]);
    expect(run(cfg, { headers: [['Host', 'example.com'], ['Referer', 'http://example.com/']] }).logged).toEqual([]);
  });
});
