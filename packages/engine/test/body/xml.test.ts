import { compileXPath, evaluateXPath, parseXml, XPathUnsupportedError, type XmlDocument } from '../../src/body';

const doc = (xml: string): XmlDocument => {
  const r = parseXml(xml);
  if (r.document === undefined) throw new Error(`parse failed: ${r.detail ?? ''}`);
  return r.document;
};

const SOAP = '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<!-- a comment -->\n' +
  '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="urn:m">\n' +
  '  <soap:Body id="b1">\n' +
  '    <m:Get m:kind="one" plain="p">x &amp; y<![CDATA[<raw>]]></m:Get>\n' +
  '    <item n="1">first</item><item n="2">second</item>\n' +
  '    <!-- ignored in string values --><?pi also ignored?>\n' +
  '  </soap:Body>\n' +
  '</soap:Envelope>\n';
const NS = { soap: 'http://schemas.xmlsoap.org/soap/envelope/', m: 'urn:m' };

describe('evaluateXPath: the forms CRS uses', () => {
  const d = doc(SOAP);

  it('XML:/* gives one value: the whole text of the root element, whitespace included', () => {
    expect(evaluateXPath(d, '/*')).toEqual(['\n  \n    x & y<raw>\n    firstsecond\n    \n  \n']);
  });

  it('XML://@* gives every attribute value, in document order (namespace declarations are not attributes)', () => {
    expect(evaluateXPath(d, '//@*')).toEqual(['b1', 'one', 'p', '1', '2']);
  });
});

describe('evaluateXPath: the documented subset', () => {
  const d = doc(SOAP);

  it('absolute paths with namespace prefixes bound through xmlns', () => {
    expect(evaluateXPath(d, '/soap:Envelope/soap:Body/m:Get', NS)).toEqual(['x & y<raw>']);
    expect(evaluateXPath(d, '/soap:Envelope/soap:Body/@id', new Map(Object.entries(NS)))).toEqual(['b1']);
  });

  it('an unbound prefix selects nothing; unprefixed names match only no-namespace elements', () => {
    expect(evaluateXPath(d, '/soap:Envelope')).toEqual([]);
    expect(evaluateXPath(d, '/Envelope')).toEqual([]);
    expect(evaluateXPath(d, '//item')).toEqual(['first', 'second']);
  });

  it('//name, text(), @name, prefix:*, predicates', () => {
    expect(evaluateXPath(d, '//m:Get/text()', NS)).toEqual(['x & y', '<raw>']);
    expect(evaluateXPath(d, '//item/@n')).toEqual(['1', '2']);
    expect(evaluateXPath(d, '//m:*', NS)).toEqual(['x & y<raw>']);
    expect(evaluateXPath(d, '//m:Get/@m:*', NS)).toEqual(['one']);
    expect(evaluateXPath(d, '//item[2]')).toEqual(['second']);
    expect(evaluateXPath(d, '//item[last()]')).toEqual(['second']);
    expect(evaluateXPath(d, "//item[@n='1']")).toEqual(['first']);
    expect(evaluateXPath(d, '//soap:Body[item="second"]/@id', NS)).toEqual(['b1']);
    expect(evaluateXPath(d, '//item[@n]/..', NS).length).toBe(1);
    expect(evaluateXPath(d, '//comment()')).toEqual([' a comment ', ' ignored in string values ']);
    expect(evaluateXPath(d, '/')).toEqual(['\n  \n    x & y<raw>\n    firstsecond\n    \n  \n']);
  });

  it('refuses what is not supported or selects no nodes, at compile time', () => {
    for (const path of ['count(//a)', "'x'", '', '/a/', '//a[$v]', "//a[id('x')]", "//a[lang('en')]", 'following::a', '//a[nope()]', '//a[contains(.)]']) {
      const r = compileXPath(path);
      expect(r.ok).toBe(false);
    }
    expect(() => evaluateXPath(d, 'count(//a)')).toThrow(XPathUnsupportedError);
  });
});

describe('parseXml: well-formedness errors (REQBODY_ERROR)', () => {
  const bad: Array<[string, string]> = [
    ['', 'Document is empty'],
    ['   ', 'Document is empty'],
    ['not xml', 'Start tag expected'],
    ['<a><b></a>', 'Opening and ending tag mismatch: b and a'],
    ['<a>', 'Premature end of data'],
    ['<a x="1" x="2"/>', 'Attribute x redefined'],
    ['<a x="<"/>', "Unescaped '<' not allowed in attributes values"],
    ['<a/><b/>', 'Extra content at the end of the document'],
    ['<a/>text', 'Extra content at the end of the document'],
    ['<a>]]></a>', "Sequence ']]>' not allowed in content"],
    ['<a><!-- x -- y --></a>', 'Double hyphen within comment'],
    ['<a>&undefined;</a>', "Entity 'undefined' not defined"],
    ['<a>&#0;</a>', 'xmlParseCharRef: invalid xmlChar value'],
    ['<a>\xe9</a>', 'Input is not proper UTF-8'],
    ['<a x=1/>', 'AttValue: " or \' expected'],
  ];
  it.each(bad)('%j', (xml, detail) => {
    const r = parseXml(xml);
    expect(r.document).toBeUndefined();
    expect(r.error).toBe('XML parsing error: XML: Failed to parse document.');
    expect(r.detail).toBe(detail);
  });

  it('accepts a BOM, an XML declaration, a DOCTYPE and entities', () => {
    const d = doc('\xef\xbb\xbf<?xml version="1.0"?><!DOCTYPE r [<!ENTITY who "world">]><r a="&who;">hi &who;&#x21;</r>');
    expect(evaluateXPath(d, '/r')).toEqual(['hi world!']);
    expect(evaluateXPath(d, '//@*')).toEqual(['world']);
  });

  it('converts an ISO-8859-1 document to UTF-8 bytes', () => {
    const d = doc('<?xml version="1.0" encoding="ISO-8859-1"?><r>\xe9</r>');
    expect(evaluateXPath(d, '/r')).toEqual(['\xc3\xa9']);
  });

  it('normalises attribute whitespace and newlines in text', () => {
    const d = doc('<r a="x\ty\nz">1\r\n2</r>');
    expect(evaluateXPath(d, '/r/@a')).toEqual(['x y z']);
    expect(evaluateXPath(d, '/r')).toEqual(['1\n2']);
  });
});

describe('parseXml: hostile documents', () => {
  it('billion laughs ends in an error within bounded memory and time', () => {
    let dtd = '<!ENTITY lol0 "lol">';
    for (let i = 1; i <= 9; i++) dtd += `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`;
    const started = Date.now();
    const r = parseXml(`<?xml version="1.0"?><!DOCTYPE lolz [${dtd}]><lolz>&lol9;</lolz>`);
    expect(r.error).toBe('XML parsing error: XML: Failed to parse document.');
    expect(r.detail).toBe('Maximum entity amplification factor exceeded');
    expect(Date.now() - started).toBeLessThan(15_000); // a hang guard, loose enough for a loaded CI machine
  });

  it('a self-referencing entity is a loop', () => {
    const r = parseXml('<!DOCTYPE r [<!ENTITY a "x&b;"><!ENTITY b "&a;">]><r>&a;</r>');
    expect(r.detail).toBe('Detected an entity reference loop');
  });

  it('XXE with file:// and http:// entities: nothing is read or fetched, the references expand to nothing', () => {
    const xml = '<?xml version="1.0"?><!DOCTYPE r [' +
      '<!ENTITY file SYSTEM "file:///etc/passwd">' +
      '<!ENTITY web SYSTEM "http://127.0.0.1:1/evil.dtd">' +
      '<!ENTITY % pe SYSTEM "http://127.0.0.1:1/pe.dtd"> %pe;' +
      ']><r>[&file;][&web;]</r>';
    const r = parseXml(xml);
    expect(r.error).toBeUndefined();
    expect(evaluateXPath(r.document as XmlDocument, '/r')).toEqual(['[][]']);
  });

  it('an external entity in an attribute value is an error', () => {
    const r = parseXml('<!DOCTYPE r [<!ENTITY f SYSTEM "file:///etc/passwd">]><r a="&f;"/>');
    expect(r.detail).toBe("Attribute references external entity 'f'");
  });

  it('an external DTD is not loaded, and undeclared entities then expand to nothing', () => {
    const r = parseXml('<!DOCTYPE r SYSTEM "http://127.0.0.1:1/x.dtd"><r>a&ent;b</r>');
    expect(evaluateXPath(r.document as XmlDocument, '/r')).toEqual(['ab']);
  });

  it('100k-deep nesting stops at the depth limit without recursion', () => {
    const xml = '<a>'.repeat(100_000) + '</a>'.repeat(100_000);
    const r = parseXml(xml);
    expect(r.detail).toBe('Excessive depth in document: 256');
    const ok = parseXml('<a>'.repeat(1000) + 'x' + '</a>'.repeat(1000), { depthLimit: 2000 });
    expect(evaluateXPath(ok.document as XmlDocument, '/*')).toEqual(['x']);
    expect(evaluateXPath(ok.document as XmlDocument, '//a').length).toBe(1000);
  });
});

describe('parseXml: seeded fuzz', () => {
  it('never throws on random markup soup', () => {
    const pieces = ['<a>', '</a>', '<b x="1">', '</b>', '<c/>', '&amp;', '&e;', '&#65;', '<!--', '-->', '<![CDATA[',
      ']]>', '<?p q?>', 'text', ' ', '"', "'", '<', '>', '&', '\xff', '<!DOCTYPE r [<!ENTITY e "&e;">]>'];
    let seed = 11;
    const next = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 0x100000000;
    };
    let parsed = 0;
    for (let run = 0; run < 2000; run++) {
      let body = '';
      const count = 1 + Math.floor(next() * 25);
      for (let i = 0; i < count; i++) body += pieces[Math.floor(next() * pieces.length)] ?? '';
      const r = parseXml(body);
      if (r.document !== undefined) {
        parsed++;
        expect(evaluateXPath(r.document, '/*')).toHaveLength(1);
      } else {
        expect(r.error).toBe('XML parsing error: XML: Failed to parse document.');
      }
    }
    expect(parsed).toBeGreaterThan(0);
  });
});

describe('parseXml: attribute-value normalisation (XML 1.0 §3.3.3)', () => {
  const attrs = (xml: string): string[] => {
    const r = parseXml(xml);
    expect(r.error).toBeUndefined();
    return evaluateXPath(r.document!, '//@*', new Map());
  };

  test('literal TAB, CR, LF become spaces; CR LF counts once', () => {
    expect(attrs('<a x="1\t2\r\n3\n4"/>')).toEqual(['1 2 3 4']);
  });

  test('characters written as references are kept (CRS 932300 looks for CR LF there)', () => {
    expect(attrs('<a probe="&#13;&#10;MAIL FROM:&lt;a@b.com&gt;"/>')).toEqual(['\r\nMAIL FROM:<a@b.com>']);
    expect(attrs('<a x="&#x9;tab"/>')).toEqual(['\ttab']);
  });
});
