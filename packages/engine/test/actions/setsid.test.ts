import { runTx, waf } from './helpers';

// Reference manual: "setsid: Special-purpose action that initializes the SESSION collection using the session
// token provided." Example: SecRule REQUEST_COOKIES:PHPSESSID !^$ "nolog,pass,id:121,setsid:%{REQUEST_COOKIES.
// PHPSESSID}". It also sets SESSIONID.
describe('setsid', () => {
  const T0 = new Date('2026-01-01T00:00:00Z');
  const cfg = `SecRule REQUEST_COOKIES:PHPSESSID "!@rx ^$" "id:1,phase:1,pass,nolog,setsid:%{REQUEST_COOKIES.PHPSESSID}"\nSecRule &SESSION:KEY "@eq 1" "id:3,phase:1,pass,nolog,setvar:session.views=+1"\nSecRule SESSIONID "@rx ." "id:2,phase:1,pass,log,msg:'sid %{SESSIONID} views %{session.views}'"`;
  const cookie = (v: string): { headers: Array<[string, string]> } => ({ headers: [['Host', 'h'], ['Cookie', `PHPSESSID=${v}`]] });

  test('sets SESSIONID and opens the SESSION record of that id', () => {
    const w = waf(cfg);
    const r1 = runTx(w, cookie('abc123'), { now: T0 });
    expect(r1.tx.vars.get('SESSIONID')).toBe('abc123');
    expect(r1.tx.matchedRules.find((m) => m.id === 2)?.msg).toBe('sid abc123 views 1');
    expect(r1.tx.collection('SESSION')!.first('KEY')).toBe('abc123');
    const r2 = runTx(w, cookie('abc123'), { now: new Date(T0.getTime() + 1000) });
    expect(r2.tx.matchedRules.find((m) => m.id === 2)?.msg).toBe('sid abc123 views 2');
  });

  test("a '%' after the macro belongs to it (`setsid:%{REQUEST_COOKIES:PHPSESSID}%`, libmodsecurity v3's lexer)", () => {
    const r = runTx(waf(`SecRule REQUEST_COOKIES:PHPSESSID "@rx ." "id:1,phase:1,pass,nolog,setsid:%{REQUEST_COOKIES:PHPSESSID}%,setvar:tx.k%{REQUEST_COOKIES:PHPSESSID}%=1"`), cookie('whee'), { now: T0 });
    expect(r.tx.vars.get('SESSIONID')).toBe('whee');
    expect(r.tx.collection('TX')!.first('kwhee')).toBe('1');
  });

  test('another session id gets another record', () => {
    const w = waf(cfg);
    runTx(w, cookie('one'), { now: T0 });
    const r = runTx(w, cookie('two'), { now: T0 });
    expect(r.tx.collection('SESSION')!.first('views')).toBe('1');
  });

  test('without the cookie nothing is opened', () => {
    const r = runTx(waf(cfg), {}, { now: T0 });
    expect(r.tx.vars.get('SESSIONID')).toBeUndefined();
    expect(r.tx.collection('SESSION')).toBeUndefined();
    expect(r.matched).toEqual([]);
    expect(r.tx.collection('SESSION')).toBeUndefined();
  });
});
