import { requestUriOf } from '../../src/request/request-uri';
import { run } from '../engine/helpers';

// libmodsecurity v3 (Transaction::processURI) sets REQUEST_URI from the uri-decoded target, where v2 (Apache)
// kept it raw; REQUEST_URI_RAW keeps the bytes as received.
describe('REQUEST_URI is the decoded target, as libmodsecurity v3 sets it', () => {
  it('decodes %XX in the path and the query string, keeps + and a malformed %', () => {
    expect(requestUriOf('/a%20b/c.php?x=%41&y=%27+1')).toBe("/a b/c.php?x=A&y='+1");
    expect(requestUriOf('/a%2fb%zz%4')).toBe('/a/b%zz%4');
  });

  it('keeps only the path of an absolute-form target, judged after decoding', () => {
    expect(requestUriOf('http://example.com/p?q=1')).toBe('/p?q=1');
    expect(requestUriOf('http%3a//example.com/p')).toBe('/p');
    // no path after the host, or no `//` right after the first colon: kept whole
    expect(requestUriOf('http://example.com')).toBe('http://example.com');
    expect(requestUriOf('a:b://c/d')).toBe('a:b://c/d');
    expect(requestUriOf('')).toBe('');
  });

  it('the transaction drops the fragment and decodes; REQUEST_URI_RAW stays raw', () => {
    const r = run(`SecAction "id:1,phase:1,pass,nolog"`, { uri: '/a%2Fb?x=%3Cs%3E#frag%20' });
    expect(r.tx.vars.get('REQUEST_URI')).toBe('/a/b?x=<s>');
    expect(r.tx.vars.get('REQUEST_URI_RAW')).toBe('/a%2Fb?x=%3Cs%3E#frag%20');
  });

  it('a rule on REQUEST_URI sees the decoded bytes without asking for t:urlDecode', () => {
    const deny = `SecRuleEngine On\nSecRule REQUEST_URI "@contains /admin/" "id:1,phase:1,deny"`;
    expect(run(deny, { uri: '/%61dmin%2f' }).interruption?.status).toBe(403);
    expect(run(deny, { uri: '/public/' }).interruption).toBeUndefined();
  });
});
