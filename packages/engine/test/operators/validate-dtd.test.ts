import { compile, xml } from './fixtures/xml-validation';

describe('@validateDTD', () => {
  const { m, warnings } = compile('validateDTD', 'order.dtd');

  it('validates against the configured DTD, not the one the body names', () => {
    expect(warnings).toEqual([]);
    expect(m('', xml('<order qty="2"><item>a</item></order>'))).toBe(false);
    expect(m('', xml('<!DOCTYPE order SYSTEM "other.dtd"><order qty="2"><item>a</item></order>'))).toBe(false);
    expect(m('', xml('<order><item>a</item></order>'))).toBe(true);
    expect(m('', xml('<order qty="1"><xitem>a</xitem></order>'))).toBe(true);
    expect(m('', xml('<order qty="1"/>'))).toBe(true);
    expect(m('', {})).toBe(true);
  });
});

