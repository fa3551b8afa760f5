import { run } from './helpers';

// Reference manual: "msg: Assigns a custom message to the rule or chain in which it appears. The message will be
// logged along with every alert." Macros are expanded (v3: "msg:'%{MATCHED_VAR}'" etc.).
describe('msg', () => {
  test('is recorded and logged as [msg]', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,msg:'Blocked attack'"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.msg).toBe('Blocked attack');
    expect(r.lines[0]).toContain('[msg "Blocked attack"]');
  });

  test('expands MATCHED_VAR, MATCHED_VAR_NAME and TX macros at match time', () => {
    const cfg = `SecAction "id:1,phase:1,pass,nolog,setvar:tx.who=scanner"\nSecRule ARGS "@rx evil" "id:2,phase:2,pass,log,msg:'%{tx.who} sent %{MATCHED_VAR} in %{MATCHED_VAR_NAME}'"`;
    const r = run(cfg, { uri: '/?q=evil' });
    expect(r.tx.matchedRules[1]?.msg).toBe('scanner sent evil in ARGS:q');
    expect(r.lines[0]).toContain('[msg "scanner sent evil in ARGS:q"]');
  });

  test('an undefined macro expands to the empty string', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,msg:'[%{tx.missing}]'"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.msg).toBe('[]');
  });

  test('a rule without msg logs [msg ""]', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.msg).toBe('');
    expect(r.lines[0]).toContain('[msg ""]');
  });

  test('a comma and escaped quote inside the quoted value are kept', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,msg:'a, b \\'c\\''"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.msg).toBe("a, b 'c'");
  });

  test('non-printable bytes and double quotes are hex-escaped in the log line only', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,msg:'v=%{MATCHED_VAR}'"`, { uri: '/?a=x%22%01' });
    expect(r.tx.matchedRules[0]?.msg).toBe('v=x"\u0001');
    expect(r.lines[0]).toContain('[msg "v=x\\x22\\x01"]');
  });

  test('the msg is that of the chain head', () => {
    const r = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,log,msg:'head',chain"\nSecRule ARGS "@rx x" "t:none"`, { uri: '/?a=x' });
    expect(r.tx.matchedRules[0]?.msg).toBe('head');
  });
});
