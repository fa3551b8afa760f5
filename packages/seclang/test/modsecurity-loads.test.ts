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

describe('selectors as libmodsecurity v3 reads them', () => {
  const targets = (list: string) => {
    const d = parse(`SecRule ${list} "@rx a" "id:1"\n`);
    expect(d.diagnostics).toEqual([]);
    return (d.ast.directives[0] as { variables: unknown[] }).variables;
  };

  test('a dot after the name is the selector: TX.partial, ip.counter', () => {
    expect(targets('TX.partial|ARGS:a')).toEqual([
      expect.objectContaining({ name: 'TX', selector: { kind: 'key', value: 'partial', quoted: false } }),
      expect.objectContaining({ name: 'ARGS', selector: { kind: 'key', value: 'a', quoted: false } }),
    ]);
  });

  test("a quoted key between slashes is a regex: ARGS:'/^k/'", () => {
    expect(targets("ARGS:'/^k/'|!ARGS:'/.*y$/'|ARGS:'/'")).toEqual([
      expect.objectContaining({ selector: { kind: 'regex', pattern: '^k' } }),
      expect.objectContaining({ negated: true, selector: { kind: 'regex', pattern: '.*y$' } }),
      expect.objectContaining({ selector: { kind: 'key', value: '/', quoted: true } }),
    ]);
  });
});
