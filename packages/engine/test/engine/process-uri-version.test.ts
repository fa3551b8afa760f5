import { createWaf } from '../../src';

// libmodsecurity's C API takes the bare version (`msc_process_uri(tx, uri, "GET", "1.1")`) and prefixes
// `HTTP/` itself; code ported from it passes `1.1` to processUri, which must then mean `HTTP/1.1` everywhere
// (REQUEST_PROTOCOL, REQUEST_LINE, the audit record's sections B and F).
describe('processUri: the protocol as `HTTP/1.1` or as the bare version', () => {
  const waf = createWaf({ directives: 'SecRuleEngine On\nSecRule REQUEST_PROTOCOL "@streq HTTP/1.1" "id:1,phase:1,pass,log"', onWarning: () => undefined });

  const variables = (protocol: string): Record<string, string | undefined> => {
    const tx = waf.newTransaction({ id: 'v' });
    tx.processConnection('10.0.0.1', 1234, '10.0.0.2', 80);
    tx.processUri('/a?b=1', 'GET', protocol);
    tx.addRequestHeader('Host', 'h');
    tx.processRequestHeaders();
    return {
      protocol: tx.vars.get('REQUEST_PROTOCOL'),
      line: tx.vars.get('REQUEST_LINE'),
      matched: tx.matchedRules.map((m) => m.id).join(','),
    };
  };

  it.each([
    ['HTTP/1.1', 'HTTP/1.1'],
    ['1.1', 'HTTP/1.1'],
    ['1.0', 'HTTP/1.0'],
    ['2.0', 'HTTP/2.0'],
    ['2', 'HTTP/2'],
  ])('%s gives REQUEST_PROTOCOL %s', (given, expected) => {
    const v = variables(given);
    expect(v.protocol).toBe(expected);
    expect(v.line).toBe(`GET /a?b=1 ${expected}`);
    expect(v.matched).toBe(expected === 'HTTP/1.1' ? '1' : '');
  });

  it('anything else is kept as given', () => {
    expect(variables('HTTP/3').protocol).toBe('HTTP/3');
    expect(variables('').protocol).toBe('');
    expect(variables('1.1.1').protocol).toBe('1.1.1');
  });
});
