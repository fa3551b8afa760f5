import { compileXPath, evaluateXPath, parseXml, type XmlDocument } from '../../src/body';

// XPath 1.0 as libxml2 evaluates it for libmodsecurity v3's XML:<xpath> targets: predicates are expressions.
const doc = (xml: string): XmlDocument => {
  const r = parseXml(xml);
  if (r.document === undefined) throw new Error(`parse failed: ${r.detail ?? ''}`);
  return r.document;
};

// The document of libmodsecurity v3's regression cases (action-ctl_request_body_processor, variable-XML).
const BOOKSTORE = doc(
  '<?xml version="1.0" encoding="UTF-8"?>\n<bookstore>\n' +
  '<book><title lang="en">Everyday Italian</title><author>Giada De Laurentiis</author><year>2005</year><price>30.00</price></book>\n' +
  '<book><title lang="it">Harry Potter</title><price>29.99</price></book>\n' +
  '<some-tag>aaa</some-tag>\n<empty-price><price/></empty-price>\n' +
  '</bookstore>',
);

describe('XPath predicates', () => {
  it('[text()] keeps the nodes that have a text child (v3 regression action-ctl_request_body_processor)', () => {
    expect(evaluateXPath(BOOKSTORE, '/bookstore/book/price[text()]')).toEqual(['30.00', '29.99']);
    expect(evaluateXPath(BOOKSTORE, '//price[text()]')).toEqual(['30.00', '29.99']);
    expect(evaluateXPath(BOOKSTORE, '//price[not(text())]')).toEqual(['']);
  });

  it("[local-name()='x'] tests the element's name (v3 regression variable-XML)", () => {
    expect(evaluateXPath(BOOKSTORE, "//bookstore/*[local-name()='some-tag']")).toEqual(['aaa']);
    expect(evaluateXPath(BOOKSTORE, "//*[name()='title']/@lang")).toEqual(['en', 'it']);
    expect(evaluateXPath(BOOKSTORE, "//*[starts-with(local-name(), 'some')]")).toEqual(['aaa']);
  });

  it('comparisons with node-sets hold when they hold for some node; numbers compare as numbers', () => {
    expect(evaluateXPath(BOOKSTORE, '//book[price > 29.995]/title')).toEqual(['Everyday Italian']);
    expect(evaluateXPath(BOOKSTORE, '//book[price < 30]/title')).toEqual(['Harry Potter']);
    expect(evaluateXPath(BOOKSTORE, "//book[price = '30.00']/title")).toEqual(['Everyday Italian']);
    expect(evaluateXPath(BOOKSTORE, '//book[price = 30]/title')).toEqual(['Everyday Italian']);
    expect(evaluateXPath(BOOKSTORE, "//book[title != 'Harry Potter']/year")).toEqual(['2005']);
    expect(evaluateXPath(BOOKSTORE, '//book[author]/title')).toEqual(['Everyday Italian']);
  });

  it('and, or, position(), last(), count(), contains(), string-length(), normalize-space()', () => {
    expect(evaluateXPath(BOOKSTORE, '//book[position() > 1]/title')).toEqual(['Harry Potter']);
    expect(evaluateXPath(BOOKSTORE, '//book[last() - 1]/title')).toEqual(['Everyday Italian']);
    expect(evaluateXPath(BOOKSTORE, '//book[count(*) = 4]/price')).toEqual(['30.00']);
    expect(evaluateXPath(BOOKSTORE, "//title[contains(., 'Potter') or @lang = 'en']")).toEqual(['Everyday Italian', 'Harry Potter']);
    expect(evaluateXPath(BOOKSTORE, "//title[contains(., 'Potter') and @lang = 'en']")).toEqual([]);
    expect(evaluateXPath(BOOKSTORE, '//title[string-length() = 12]')).toEqual(['Harry Potter']);
    expect(evaluateXPath(doc('<r><a>  x   y </a></r>'), "//a[normalize-space() = 'x y']")).toEqual(['  x   y ']);
  });

  it('positions count per context node along the axis, nearest first on reverse axes', () => {
    const d = doc('<r><s><i>1</i><i>2</i></s><s><i>3</i><i>4</i></s></r>');
    expect(evaluateXPath(d, '//s/i[1]')).toEqual(['1', '3']);
    expect(evaluateXPath(d, '(//i)[1]')).toEqual(['1']);
    expect(evaluateXPath(d, '//i[.=4]/preceding-sibling::i[1]')).toEqual(['3']);
    expect(evaluateXPath(d, '//i[.=1]/following-sibling::*')).toEqual(['2']);
    expect(evaluateXPath(d, '//i[.=3]/ancestor::*[last()]')).toEqual(['1234']);
    expect(evaluateXPath(d, '//s[i = 3]/descendant::i')).toEqual(['3', '4']);
  });

  it('unions and explicit axes select nodes in document order', () => {
    expect(evaluateXPath(BOOKSTORE, '//year | //author')).toEqual(['Giada De Laurentiis', '2005']);
    expect(evaluateXPath(BOOKSTORE, 'child::bookstore/child::some-tag')).toEqual(['aaa']);
    expect(evaluateXPath(BOOKSTORE, '//title/attribute::lang')).toEqual(['en', 'it']);
  });

  it('the operator names and * are read by position (XPath 1.0 section 3.7)', () => {
    const d = doc('<r><and>2</and><div>3</div><mod>4</mod></r>');
    expect(evaluateXPath(d, '/r/and')).toEqual(['2']);
    expect(evaluateXPath(d, '/r[and * div = 6]/mod')).toEqual(['4']);
    expect(evaluateXPath(d, '/r[mod mod 3 = 1 and div div 3 = 1]/*[2]')).toEqual(['3']);
    expect(evaluateXPath(d, '/r[-and = -2]/and')).toEqual(['2']);
  });

  it('a prefix in a predicate must be bound too; a wrongly typed argument selects nothing (libxml2 fails)', () => {
    const d = doc('<r xmlns:m="urn:m"><m:a>1</m:a><a>2</a></r>');
    expect(evaluateXPath(d, '/r/*[self::m:a]', { m: 'urn:m' })).toEqual(['1']);
    expect(evaluateXPath(d, '/r/*[self::m:a]')).toEqual([]);
    expect(evaluateXPath(d, "/r/a[count('x') = 0]")).toEqual([]);
  });

  it('load-time checks: function names and argument counts', () => {
    expect(compileXPath("//a[substring('abc', 2)]").ok).toBe(true);
    const bad = compileXPath('//a[substring()]');
    expect(bad.ok ? '' : bad.error).toMatch(/substring\(\) takes 2 to 3 argument/);
    const unknown = compileXPath('//a[nope()]');
    expect(unknown.ok ? '' : unknown.error).toMatch(/the function nope\(\) is not supported/);
  });

  it('string functions count UTF-8 characters of the byte strings, as libxml2 does', () => {
    // é is two bytes in the engine's byte strings
    const d = doc('<r><a>h\xc3\xa9llo</a></r>');
    expect(evaluateXPath(d, '//a[string-length() = 5]')).toEqual(['h\xc3\xa9llo']);
    expect(evaluateXPath(d, "//a[substring(., 2, 1) = '\xc3\xa9']")).toEqual(['h\xc3\xa9llo']);
    expect(evaluateXPath(d, "//a[translate(., '\xc3\xa9', 'e') = 'hello']")).toEqual(['h\xc3\xa9llo']);
  });
});
