import { createWaf, findVariableDefinition } from '../../src';
import { runTransaction } from '../engine/helpers';

// libmodsecurity v3 (transaction.cc processRequestBody): each header as `Name: value\n`, then `\n\n`, then the body,
// set once phase 2 lets the body in.
describe('FULL_REQUEST and FULL_REQUEST_LENGTH', () => {
  const req = { method: 'POST', uri: '/', headers: [['Host', 'h'], ['Content-Type', 'application/x-www-form-urlencoded']] as Array<[string, string]>, body: 'a=1' };
  const expected = 'Host: h\nContent-Type: application/x-www-form-urlencoded\n\n\na=1';

  it('are the header lines, two line feeds and the body, from phase 2 on', () => {
    const waf = createWaf({
      directives: [
        'SecRequestBodyAccess On',
        'SecRule FULL_REQUEST "@rx ^$" "id:1,phase:1,pass,log"',
        'SecRule FULL_REQUEST "@rx ^Host: h\\nContent-Type: [^\\n]+\\n\\n\\na=1$" "id:2,phase:2,pass,log"',
        `SecRule FULL_REQUEST_LENGTH "@eq ${expected.length}" "id:3,phase:2,pass,log"`,
      ].join('\n'),
      onWarning: () => undefined,
    });
    const { tx } = runTransaction(waf, req);
    expect(tx.matchedRules.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(findVariableDefinition('FULL_REQUEST')!.read(tx)).toBe(expected);
    expect(tx.vars.get('FULL_REQUEST_LENGTH')).toBe(String(expected.length));
  });
});
