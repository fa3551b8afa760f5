import { createWaf } from '../../src';
import { run } from './helpers';

// Reference manual: "setenv: Creates, removes, and updates environment variables that can be accessed by the
// implementation." Example: setenv:tag=suspicious. ModSecurity v3 exposes them to rules as ENV:name; macros expand.
describe('setenv', () => {
  const env = (directives: string, name: string, uri = '/'): string | undefined => run(directives, { uri }).tx.collection('ENV')!.first(name);

  test('name=value sets ENV:name', () => {
    const r = run(`SecAction "id:1,phase:1,pass,nolog,setenv:tag=suspicious"\nSecRule ENV:tag "@streq suspicious" "id:2,phase:1,pass,log"`);
    expect(r.tx.collection('ENV')!.first('tag')).toBe('suspicious');
    expect(r.logged).toEqual([2]);
  });

  test('macros expand in the value and the name', () => {
    expect(env(`SecRule ARGS:u "@rx ." "id:1,phase:1,pass,nolog,setenv:'user=%{MATCHED_VAR}'"`, 'user', '/?u=alice')).toBe('alice');
    expect(env(`SecAction "id:1,phase:1,pass,nolog,setvar:tx.n=k,setenv:env_%{tx.n}=v"`, 'env_k')).toBe('v');
  });

  test('a name without value sets 1', () => {
    expect(env(`SecAction "id:1,phase:1,pass,nolog,setenv:flag"`, 'flag')).toBe('1');
  });

  test('!name removes the variable', () => {
    const r = run(`SecAction "id:1,phase:1,pass,nolog,setenv:a=1"\nSecAction "id:2,phase:1,pass,nolog,setenv:!a"\nSecRule &ENV:a "@eq 0" "id:3,phase:1,pass,log"`);
    expect(r.logged).toEqual([3]);
  });

  test('does not run when the rule does not match', () => {
    expect(env(`SecRule ARGS "@rx zzz" "id:1,phase:1,pass,nolog,setenv:x=1"`, 'x', '/?a=1')).toBeUndefined();
  });

  test('changes stay in the transaction: the WAF environment is not modified', () => {
    const w = createWaf({ directives: `SecAction "id:1,phase:1,pass,nolog,setenv:HOME=/tmp/x"`, environment: { HOME: '/root' }, onWarning: () => undefined });
    const t1 = w.newTransaction();
    expect(t1.collection('ENV')!.first('HOME')).toBe('/root');
    t1.processConnection('10.0.0.1', 1, '10.0.0.2', 80);
    t1.processUri('/', 'GET', 'HTTP/1.1');
    t1.processRequestHeaders();
    expect(t1.collection('ENV')!.first('HOME')).toBe('/tmp/x');
    expect(w.newTransaction().collection('ENV')!.first('HOME')).toBe('/root');
  });
});
