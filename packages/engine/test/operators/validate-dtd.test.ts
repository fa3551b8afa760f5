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

  it("writes libmodsecurity v3's debug lines (level 4)", () => {
    const lines: string[] = [];
    const debug = (level: number, message: () => string) => void lines.push(`${level} ${message()}`);
    m('', { ...xml('<order qty="1"><xitem>a</xitem></order>'), debug });
    expect(lines).toContain('4 XML Error: No declaration for element xitem');
    expect(lines[lines.length - 1]).toBe('4 XML: DTD validation failed.');
    lines.length = 0;
    m('', { ...xml('<order qty="1"><item>a</item></order>'), debug });
    expect(lines).toEqual(['4 XML: Successfully validated payload against DTD: order.dtd']);
    lines.length = 0;
    compile('validateDTD', 'broken.dtd').m('', { ...xml('<order qty="1"><item>a</item></order>'), debug });
    expect(lines).toEqual(['4 XML: Failed to load DTD: broken.dtd']);
  });
});

