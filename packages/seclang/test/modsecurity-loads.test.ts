import { parse } from '../src';

describe('errors that libmodsecurity v3 loads anyway carry modsecurityLoads (the risk)', () => {
  test('a chain on the last rule', () => {
    const d = parse('SecRule ARGS "@rx a" "id:1,phase:2,pass,chain"\n').diagnostics;
    expect(d).toEqual([expect.objectContaining({ severity: 'error', code: 'dangling-chain', modsecurityLoads: expect.stringMatching(/never completes/) })]);
  });

  test('an action list left open at the end of the line, not an operator', () => {
    const actions = parse('SecRule ARGS "@rx a" "id:1,phase:2,pass\nSecAction "id:2,pass\n').diagnostics;
    expect(actions.map((x) => [x.code, x.loc.line, x.modsecurityLoads !== undefined])).toEqual([
      ['unterminated-quote', 1, true],
      ['unterminated-quote', 2, true],
    ]);
    expect(actions[0]!.message).toBe('unterminated double quote');
    const operator = parse('SecRule ARGS "@rx a\n').diagnostics;
    expect(operator[0]).toMatchObject({ code: 'unterminated-quote' });
    expect(operator.every((x) => x.modsecurityLoads === undefined)).toBe(true);
  });

  test('other errors do not', () => {
    expect(parse('SecRule ARGS "@rx a" "id:1,nosuchaction"\n').diagnostics.every((x) => x.modsecurityLoads === undefined)).toBe(true);
  });
});
