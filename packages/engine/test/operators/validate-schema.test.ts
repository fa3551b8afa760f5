import { join } from 'node:path';
import { createWaf } from '../../src';
import { OperatorCompileError } from '../../src/operators';
import { runTransaction } from '../engine/helpers';
import { compile, dir, xml } from './fixtures/xml-validation';

describe('@validateSchema', () => {
  const { m, warnings } = compile('validateSchema', 'order.xsd');

  it('loads without warning and does not match a valid body', () => {
    expect(warnings).toEqual([]);
    expect(m('[XML document tree]', xml('<order qty="2"><item>a</item><item>b</item></order>'))).toBe(false);
    expect(m('', xml('<?xml version="1.0" encoding="UTF-8"?>\n<order qty="1"><item>caf\xc3\xa9</item></order>'))).toBe(false);
  });

  it("writes libmodsecurity v3's debug lines (level 4): libxml2's errors, the verdict", () => {
    const lines: string[] = [];
    const debug = (level: number, message: () => string) => void lines.push(`${level} ${message()}`);
    m('', { ...xml('<order qty="x"><item>a</item></order>'), debug });
    expect(lines).toEqual([expect.stringMatching(/^4 XML Error: Element 'order', attribute 'qty': 'x' is not a valid value/), '4 XML: Schema validation failed.']);
    lines.length = 0;
    m('', { ...xml('<order qty="1"><item>a</item></order>'), debug });
    m('', { ...xml('<order', false), debug });
    m('', { debug });
    expect(lines).toEqual([
      '4 XML: Successfully validated payload against Schema: order.xsd',
      '4 XML: Schema validation failed because content is not well formed.',
      '4 XML document tree could not be found for schema validation.',
    ]);
  });

  it('matches an invalid body: unexpected element, bad attribute value, missing attribute', () => {
    expect(m('', xml('<order qty="2"><thing/></order>'))).toBe(true);
    expect(m('', xml('<order qty="badval"><item>a</item></order>'))).toBe(true);
    expect(m('', xml('<order><item>a</item></order>'))).toBe(true);
    expect(m('', xml('<order qty="1"><item>a</item><item>b</item><item>c</item><item>d</item></order>'))).toBe(true);
  });

  it('matches when there is nothing well formed to validate (v3: no document tree, or not well formed)', () => {
    expect(m('[XML document tree]', {})).toBe(true);
    expect(m('', xml('<order qty="2"><item>a</item></order>', false))).toBe(true);
    // Well formed for the XML processor's flag but not for libxml2: still a match.
    expect(m('', xml('<order qty="2"><item>a</order>'))).toBe(true);
  });

  it("validates a body with entity references without substituting them, and never reads external ones", () => {
    // libxml2 parses the body as v3's processor does (no entity substitution, no external subset): the schema
    // then sees an entity reference, not the text, and the body is not valid; no input is open to libxml2, so an
    // external entity or DTD (a file, a URL) is never read or fetched.
    const internal = '<!DOCTYPE secret [<!ENTITY x "TOP-SECRET">]><secret>&x;</secret>';
    expect(m('', xml(internal))).toBe(true);
    expect(m('', xml('<secret>TOP-SECRET</secret>'))).toBe(false);
    for (const system of [`file://${join(dir, 'secret.txt')}`, 'secret.txt', 'http://127.0.0.1:9/secret']) {
      expect(m('', xml(`<!DOCTYPE secret [<!ENTITY x SYSTEM "${system}">]><secret>&x;</secret>`))).toBe(true);
      expect(m('', xml(`<!DOCTYPE secret SYSTEM "${system}"><secret>TOP-SECRET</secret>`))).toBe(false);
    }
  });

  it('a validation over its time limit matches, and the next one runs in a fresh worker', () => {
    const hurried = compile('validateSchema', 'order.xsd', { xmlExternalEntity: true, xmlValidationTimeoutMs: 0 }).m;
    expect(hurried('', xml('<order qty="0"/>'))).toBe(true);
    expect(m('', xml('<order qty="2"><item>a</item></order>'))).toBe(false);
  });
});

describe('loading @validateSchema and @validateDTD', () => {
  it.each([
    ['validateSchema', 'missing.xsd'],
    ['validateDTD', 'missing.dtd'],
  ] as const)('@%s refuses a file that does not exist (v3: "XML: File not found")', (name, file) => {
    expect(() => compile(name, file)).toThrow(OperatorCompileError);
    expect(() => compile(name, file)).toThrow(/XML: File not found: missing/);
  });

  it.each([
    ['validateSchema', 'broken.xsd', /XML: Failed to load Schema: broken.xsd\. XML Error: .*matches every request/],
    ['validateDTD', 'broken.dtd', /XML: Failed to load DTD: broken.dtd\. XML Error: .*matches every request/],
  ] as const)('@%s with a file libxml2 cannot parse loads with a warning and always matches, as in v3', (name, file, warning) => {
    const { m, warnings } = compile(name, file);
    expect(warnings).toEqual([expect.stringMatching(warning)]);
    expect(m('', xml('<order qty="2"><item>a</item></order>'))).toBe(true);
  });

  it.each(['validateSchema', 'validateDTD'] as const)(
    '@%s with SecXmlExternalEntity Off loads with a warning and always matches (v3: libxml2 cannot read the file)',
    (name) => {
      const { m, warnings } = compile(name, name === 'validateDTD' ? 'order.dtd' : 'order.xsd', {});
      expect(warnings).toEqual([expect.stringMatching(/SecXmlExternalEntity is Off.*set SecXmlExternalEntity On.*matches every request/)]);
      expect(m('', xml('<order qty="2"><item>a</item></order>'))).toBe(true);
    },
  );
});

describe('XML validation in a transaction', () => {
  const rules = [
    'SecRuleEngine On',
    'SecRequestBodyAccess On',
    'SecXmlExternalEntity On',
    'SecRule REQUEST_HEADERS:Content-Type "^text/xml$" "id:1,phase:1,pass,nolog,ctl:requestBodyProcessor=XML"',
    `SecRule XML "@validateSchema ${join(dir, 'order.xsd')}" "id:2,phase:2,deny,status:403"`,
  ].join('\n');
  const waf = createWaf({ directives: rules, onWarning: () => undefined });
  const post = (body: string, type = 'text/xml') => ({
    method: 'POST',
    headers: [['Host', 'example.com'], ['Content-Type', type], ['Content-Length', String(body.length)]] as Array<[string, string]>,
    body,
  });

  it('passes a valid body, denies an invalid or broken one', () => {
    expect(runTransaction(waf, post('<order qty="1"><item>a</item></order>')).interruption).toBeUndefined();
    expect(runTransaction(waf, post('<order qty="x"><item>a</item></order>')).interruption?.status).toBe(403);
    expect(runTransaction(waf, post('<order qty="1"><item>a</order>')).interruption?.status).toBe(403);
  });

  it('denies a request with no XML body: v3 offers XML ("[XML document tree]") on every request', () => {
    expect(runTransaction(waf, post('a=b', 'application/x-www-form-urlencoded')).interruption?.status).toBe(403);
    expect(runTransaction(waf, {}).interruption?.status).toBe(403);
  });
});
