import { createWaf } from '../../src';

/**
 * The load-time analysis behind "one round trip per phase": which persistent collections each rule (each
 * chain, on its first rule) reads, counts, writes or expands in a macro.
 */
const IP = 1;
const SESSION = 2;
const USER = 4;
const GLOBAL = 8;
const RESOURCE = 16;

function uses(directives: string): Map<number, number> {
  const waf = createWaf({ directives, onWarning: () => undefined });
  const out = new Map<number, number>();
  for (let phase = 1; phase <= 5; phase++) for (const rule of waf.rulesForPhase(phase)) if (rule.id !== 0) out.set(rule.id, rule.persistentUse);
  return out;
}

describe('which persistent collections a rule uses (known at load time)', () => {
  test('targets, counts and selectors', () => {
    const u = uses(`SecRule IP:requests "@gt 10" "id:1,phase:1,pass,nolog"
SecRule &SESSION:user "@eq 0" "id:2,phase:1,pass,nolog"
SecRule ARGS|USER "@rx x" "id:3,phase:2,pass,nolog"
SecRule GLOBAL:/^alert/|RESOURCE "@rx x" "id:4,phase:2,pass,nolog"
SecRule ARGS|REQUEST_HEADERS|TX:score "@rx x" "id:5,phase:2,pass,nolog"`);
    expect(u.get(1)).toBe(IP);
    expect(u.get(2)).toBe(SESSION);
    expect(u.get(3)).toBe(USER);
    expect(u.get(4)).toBe(GLOBAL | RESOURCE);
    expect(u.get(5)).toBe(0);
  });

  test('macros in any action or in the operator argument, in either spelling', () => {
    const u = uses(`SecAction "id:1,phase:1,pass,nolog,setvar:'tx.n=%{ip.requests}'"
SecRule REQUEST_HEADERS:X "@lt %{SESSION:limit}" "id:2,phase:1,pass,nolog"
SecRule ARGS "@rx x" "id:3,phase:2,block,msg:'user %{user.name}',logdata:'%{global.alerts}'"
SecRule ARGS "@rx x" "id:4,phase:2,pass,log,tag:'rsc/%{resource.kind}'"
SecAction "id:5,phase:1,pass,nolog,setsid:%{ip.session_key}"
SecAction "id:6,phase:1,pass,nolog,setvar:'tx.%{ip.name}=1'"
SecAction "id:7,phase:1,pass,nolog,setvar:'tx.n=%{tx.m}',msg:'%{REMOTE_ADDR}'"`);
    expect([1, 2, 3, 4, 5, 6, 7].map((id) => u.get(id))).toEqual([IP, SESSION, USER | GLOBAL, RESOURCE, IP, IP, 0]);
  });

  test('setvar, expirevar and deprecatevar on a persistent collection; TX writes do not count', () => {
    const u = uses(`SecAction "id:1,phase:1,pass,nolog,setvar:ip.requests=+1"
SecAction "id:2,phase:1,pass,nolog,setvar:!session.flag"
SecAction "id:3,phase:1,pass,nolog,expirevar:user.blocked=60"
SecAction "id:4,phase:5,pass,nolog,deprecatevar:global.score=20/300"
SecAction "id:5,phase:1,pass,nolog,setvar:tx.score=+5,expirevar:tx.x=10"`);
    expect([1, 2, 3, 4, 5].map((id) => u.get(id))).toEqual([IP, SESSION, USER, GLOBAL, 0]);
  });

  test('opening a record is no use of it: initcol, setsid, setuid and setrsc with plain keys use nothing', () => {
    const u = uses(`SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR},initcol:global=global"
SecRule REQUEST_COOKIES:sid "@rx ." "id:2,phase:1,pass,nolog,setsid:%{REQUEST_COOKIES.sid}"
SecRule ARGS:user "@rx ." "id:3,phase:2,pass,nolog,setuid:%{ARGS.user},setrsc:%{REQUEST_FILENAME}"`);
    expect([1, 2, 3].map((id) => u.get(id))).toEqual([0, 0, 0]);
  });

  test('a chain\'s first rule carries what every rule of the chain uses', () => {
    const u = uses(`SecRule REQUEST_URI "@rx ^/login" "id:1,phase:2,deny,chain"
  SecRule ARGS:user "@rx ." "chain"
    SecRule IP:failed "@gt 5" "setvar:session.locked=1"`);
    expect(u.get(1)).toBe(IP | SESSION);
  });

  test('SecRuleUpdateTargetById, SecRuleUpdateActionById and SecDefaultAction count too', () => {
    const u = uses(`SecDefaultAction "phase:2,pass,log,logdata:'%{resource.kind}'"
SecRule ARGS "@rx x" "id:1,phase:1,pass,nolog"
SecRule ARGS "@rx x" "id:2,phase:1,pass,nolog"
SecRule ARGS "@rx x" "id:3,phase:2,pass,nolog"
SecRuleUpdateTargetById 1 IP:requests
SecRuleUpdateActionById 2 "setvar:user.seen=1"`);
    expect([1, 2, 3].map((id) => u.get(id))).toEqual([IP, USER, RESOURCE]);
  });
});

describe('which opens may be read ahead (keys made only of request constants)', () => {
  function readAhead(directives: string): Map<number, string[]> {
    const waf = createWaf({ directives, onWarning: () => undefined });
    const out = new Map<number, string[]>();
    for (let phase = 1; phase <= 5; phase++) {
      for (const rule of waf.rulesForPhase(phase)) if (rule.id !== 0) out.set(rule.id, (rule.readAheadOpens ?? []).map((o) => o.collection));
    }
    return out;
  }

  test('request constants and plain text are; TX, persistent collections, MATCHED_VAR and ARGS are not', () => {
    const r = readAhead(`SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}_%{REQUEST_HEADERS.User-Agent},initcol:global=global"
SecRule REQUEST_COOKIES:sid "@rx ." "id:2,phase:1,pass,nolog,setsid:%{REQUEST_COOKIES.sid}"
SecAction "id:3,phase:1,pass,nolog,setrsc:%{REQUEST_FILENAME}"
SecAction "id:4,phase:1,pass,nolog,initcol:ip=%{tx.real_ip}"
SecRule REQUEST_COOKIES:/^sess/ "@rx ." "id:5,phase:1,pass,nolog,setsid:%{MATCHED_VAR}"
SecAction "id:6,phase:1,pass,nolog,setuid:%{ip.account}"
SecRule ARGS:user "@rx ." "id:7,phase:2,pass,nolog,setuid:%{ARGS.user}"`);
    expect([1, 2, 3, 4, 5, 6, 7].map((id) => r.get(id))).toEqual([['IP', 'GLOBAL'], ['SESSION'], ['RESOURCE'], [], [], [], []]);
  });

  test('a chain\'s first rule carries the opens of the whole chain', () => {
    const r = readAhead(`SecRule REQUEST_URI "@rx ^/app" "id:1,phase:1,pass,nolog,chain"
  SecRule REQUEST_HEADERS:X-User "@rx ." "setuid:%{REQUEST_HEADERS.X-User}"`);
    expect(r.get(1)).toEqual(['USER']);
  });
});
