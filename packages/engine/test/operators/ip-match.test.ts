import { compileOperator, OperatorCompileError } from '../../src/operators';

describe('@ipMatch', () => {
  // Vectors from owasp-modsecurity/secrules-language-tests ipMatch.json (as copied by Coraza).
  it.each([
    ['10.10.10.10', '10.10.10.10', true],
    ['10.10.10.10', '10.10.10.11', false],
    ['10.10.10.0/21', '10.10.10.11', true],
    ['10.10.10.0/21', '10.10.7.254', false],
    ['10.10.10.0/21', '10.10.8.1', true],
    ['10.10.10.0/21', '10.10.16.1', false],
    ['10.10.10.0/21', '10.10.15.254', true],
    ['192.168.1.0/24', '192.168.1.254', true],
    ['156.149.249.1/8', '10.10.10.11', false],
    ['156.149.249.1/8', '156.149.152.152', true],
    ['10.0.0.0/24', '10.10.10.11', false],
    ['10.0.0.0/8', '10.10.10.11', true],
    ['10.0.0.0/4', '10.10.10.11', true],
    ['10.0.0.0/2', '10.10.10.11', true],
    ['2001:db8::/32', '2001:0db8:ffff:ffff:ffff:ffff:ff00:00ff', true],
    ['2001:db8::/63', '2001:0db8:ffff:ffff:ffff:ffff:ff00:00ff', false],
    ['::1', '0000:0000:0000:0000:0000:0000:0000:0001', true],
    ['0000:0000:0000:0000:0000:0000:0000:0001', '::1', true],
    ['::', '0:0:0:0:0:0:0:0', true],
    ['::/43', '0000:0000:001f:ffff:ffff:ffff:ffff:ffff', true],
    ['::/43', '0000:0000:0020:0000:0000:0000:0000:0000', false],
    ['::/71', '0000:0000:0000:0000:01ff:ffff:ffff:ffff', true],
    ['::/71', '0000:0000:0000:0000:0200:0000:0000:0000', false],
    ['2001:DB8:0:0:8:800:200C:417A', '2001:db8::8:800:200c:417a', true],
    ['FF01::101', 'ff01:0000:0000:0000:0000:0000:0000:0101', true],
    ['fe80::217:f2ff:fe07:ed62', 'fe80:0000:0000:0000:0217:f2ff:fe07:ed62', true],
    ['fe80::/127', 'fe80::1', true],
    ['fe80::/127', 'fe80::2', false],
    ['::ffff:10.0.0.0/120', '::ffff:10.0.0.7', true],
  ])('@ipMatch %j on %j -> %s', (param, input, expected) => {
    expect(compileOperator('ipMatch', param)(input)).toBe(expected);
  });

  it('takes a comma-separated list of IPv4 and IPv6 entries (CRS 905100)', () => {
    const m = compileOperator('ipMatch', '127.0.0.1,::1');
    expect(m('127.0.0.1')).toBe(true);
    expect(m('::1')).toBe(true);
    expect(m('127.0.0.2')).toBe(false);
    expect(compileOperator('ipMatch', '10.0.0.0/8, 192.168.0.0/16')('192.168.3.4')).toBe(true);
  });

  it('keeps IPv4 and IPv6 apart, like ModSecurity', () => {
    expect(compileOperator('ipMatch', '10.0.0.0/8')('::ffff:10.0.0.1')).toBe(false);
    expect(compileOperator('ipMatch', '::/0')('10.0.0.1')).toBe(false);
    expect(compileOperator('ipMatch', '0.0.0.0/0')('1.2.3.4')).toBe(true);
  });

  it('does not match input that is not an address', () => {
    const m = compileOperator('ipMatch', '0.0.0.0/0,::/0');
    for (const input of ['', 'abc', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.4\x00', '1:2:3', '::1::2', '\xff']) {
      expect(m(input)).toBe(false);
    }
  });

  it('refuses malformed entries at load time', () => {
    expect(() => compileOperator('ipMatch', '10.0.0.0/100')).toThrow(OperatorCompileError);
    expect(() => compileOperator('ipMatch', '10.0.0.0/100')).toThrow(/prefix length must be 0-32/);
    expect(() => compileOperator('ipMatch', '10.0.0.300')).toThrow(/not an IPv4 or IPv6/);
    expect(() => compileOperator('ipMatch', '::1/129')).toThrow(/0-128/);
    expect(() => compileOperator('ipMatch', '')).toThrow(/at least one address/);
  });
});
