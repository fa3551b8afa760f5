import { loadErrors, run } from './helpers';

// Reference manual: "xmlns: Configures an XML namespace, which will be used in the execution of XPath expressions."
// Example: SecRule REQUEST_HEADERS:Content-Type "text/xml" "phase:1,id:52,pass,ctl:requestBodyProcessor=XML,
// ctl:requestBodyAccess=On" / SecRule XML:/soap:Envelope/soap:Body/q:getInput/id() "123" "phase:2,id:53,
// deny,xmlns:soap=http://schemas.xmlsoap.org/soap/envelope/,xmlns:q=http://www.www.com". libxml2 fails an XPath
// with an unbound prefix, so without xmlns the target yields nothing.
describe('xmlns', () => {
  const body =
    '<?xml version="1.0"?>\n' +
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:q="urn:quotes">' +
    '<soap:Body><q:getQuote><q:symbol>ACME</q:symbol></q:getQuote><symbol>plain</symbol></soap:Body></soap:Envelope>';
  const req = { method: 'POST', uri: '/ws', headers: [['Host', 'h'], ['Content-Type', 'text/xml']] as Array<[string, string]>, body };
  const xmlOn = `SecRequestBodyAccess On\nSecRule REQUEST_HEADERS:Content-Type "@rx ^text/xml" "id:1,phase:1,pass,nolog,ctl:requestBodyProcessor=XML"\n`;

  test('prefixes bound by xmlns select namespaced elements', () => {
    const cfg = xmlOn + `SecRule XML:/soap:Envelope/soap:Body/q:getQuote/q:symbol "@streq ACME" "id:2,phase:2,pass,log,xmlns:soap=http://schemas.xmlsoap.org/soap/envelope/,xmlns:q=urn:quotes,msg:'%{MATCHED_VAR_NAME}'"`;
    const r = run(cfg, req);
    expect(r.logged).toEqual([2]);
    expect(r.tx.matchedRules[1]?.msg).toBe('XML:/soap:Envelope/soap:Body/q:getQuote/q:symbol');
  });

  test('the prefix used in the rule need not be the one in the document: the URI decides', () => {
    const cfg = xmlOn + `SecRule XML://s:Body/x:getQuote/x:symbol "@streq ACME" "id:2,phase:2,pass,log,xmlns:s=http://schemas.xmlsoap.org/soap/envelope/,xmlns:x=urn:quotes"`;
    expect(run(cfg, req).logged).toEqual([2]);
  });

  test('a prefix bound to another URI selects nothing', () => {
    const cfg = xmlOn + `SecRule XML://q:symbol "@rx ." "id:2,phase:2,pass,log,xmlns:q=urn:other"`;
    expect(run(cfg, req).logged).toEqual([]);
  });

  test('without xmlns a prefixed XPath yields no value (so &XML counts 0)', () => {
    const cfg = xmlOn + `SecRule XML://q:symbol "@rx ." "id:2,phase:2,pass,log"\nSecRule &XML://q:symbol "@eq 0" "id:3,phase:2,pass,log"`;
    expect(run(cfg, req).logged).toEqual([3]);
  });

  test('an unprefixed name matches only elements in no namespace', () => {
    const cfg = xmlOn + `SecRule XML://symbol "@rx ." "id:2,phase:2,pass,log,msg:'%{MATCHED_VAR}'"`;
    const r = run(cfg, req);
    expect(r.tx.matchedRules.map((m) => m.msg)).toEqual(['', 'plain']);
  });

  test('xmlns of the chain head applies to the XPath of a chained rule', () => {
    const cfg = xmlOn + `SecRule REQUEST_METHOD "@streq POST" "id:2,phase:2,pass,log,xmlns:q=urn:quotes,chain"\nSecRule XML://q:symbol "@streq ACME"`;
    expect(run(cfg, req).logged).toEqual([2]);
  });

  test('a quoted URI is accepted', () => {
    const cfg = xmlOn + `SecRule XML://q:symbol "@streq ACME" "id:2,phase:2,pass,log,xmlns:q='urn:quotes'"`;
    expect(run(cfg, req).logged).toEqual([2]);
  });

  test('the namespace is recorded on the rule', () => {
    const r = run(xmlOn + `SecRule XML://q:symbol "@rx ." "id:2,phase:2,pass,xmlns:q=urn:quotes"`);
    expect([...r.tx.waf.rule(2)!.xmlNamespaces]).toEqual([['q', 'urn:quotes']]);
  });

  test('without the XML body processor there are no XML values', () => {
    const cfg = `SecRequestBodyAccess On\nSecRule XML://q:symbol "@rx ." "id:2,phase:2,pass,log,xmlns:q=urn:quotes"`;
    expect(run(cfg, req).logged).toEqual([]);
  });

  test('xmlns without prefix=URI is a load error', () => {
    expect(loadErrors(`SecAction "id:1,phase:2,pass,xmlns:urn:x"`).join('\n')).toMatch(/xmlns needs prefix=URI/);
    expect(loadErrors(`SecAction "id:1,phase:2,pass,xmlns:=urn:x"`).join('\n')).toMatch(/xmlns needs prefix=URI/);
  });

  test('xmlns with a relative namespace URI is a load error (v3 regression action-xmlns 3)', () => {
    const errors = loadErrors(`SecAction "id:1,phase:2,pass,xmlns:soap='schemas.xmlsoap.org/soap/envelope/'"`).join('\n');
    expect(errors).toMatch(/xmlns:soap: the namespace 'schemas.xmlsoap.org\/soap\/envelope\/' is not an absolute URI/);
    expect(loadErrors(`SecAction "id:1,phase:2,pass,xmlns:q=''"`).join('\n')).toMatch(/no URI/);
  });

  test('any absolute URI is a namespace name (v3 takes only http://)', () => {
    for (const uri of ['http://a.example/ns', 'https://a.example/ns', 'urn:quotes']) {
      expect(loadErrors(`SecAction "id:1,phase:2,pass,xmlns:q=${uri}"`)).toEqual([]);
    }
  });
});
