import { buildRequest, encodeFormBody, queryEscape, queryUnescape, type StageInput } from '../src';
import { crsTest } from './helpers/paths';

const ACCEPT = 'text/xml,application/xml,application/xhtml+xml,text/html;q=0.9,text/plain;q=0.8,image/png,*/*;q=0.5';
const input = (id: string, stage = 0): StageInput => {
  const s = crsTest(id).stages[stage];
  if (!s) throw new Error(`no stage ${stage} in ${id}`);
  return s.input;
};
const crlf = (...lines: string[]): string => lines.join('\r\n');

describe('request building (go-ftw v2.3.0 wire format)', () => {
  it('GET: headers sorted by name, Connection added, no Content-Length', () => {
    expect(buildRequest(input('911100-1'))).toBe(
      crlf('GET /get HTTP/1.1', `Accept: ${ACCEPT}`, 'Host: localhost', 'User-Agent: OWASP CRS test agent', 'Connection: close', '', ''),
    );
  });

  it('POST without Content-Type: form Content-Type added, body form-encoded, Content-Length last', () => {
    expect(buildRequest(input('942100-1'))).toBe(
      crlf(
        'POST /post HTTP/1.1',
        `Accept: ${ACCEPT}`,
        'Host: localhost',
        'User-Agent: OWASP CRS test agent',
        'Content-Type: application/x-www-form-urlencoded',
        'Connection: close',
        'Content-Length: 17',
        '',
        'var=1234+OR+1%3D1',
      ),
    );
  });

  it('a body that is already escaped (or has a bad escape) is sent unchanged', () => {
    expect(buildRequest(input('921110-2')).endsWith('\r\n\r\nvar=aaa%0aGET+/+HTTP/1.1')).toBe(true);
    expect(buildRequest({ method: 'POST', data: 'x=new %w20$' })).toBe(
      crlf('POST / HTTP/1.1', 'Content-Type: application/x-www-form-urlencoded', 'Connection: close', 'Content-Length: 11', '', 'x=new %w20$'),
    );
  });

  it('form encoding only when the Content-Type is exactly the form type (no charset)', () => {
    const withCharset = buildRequest({ method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' }, data: 'a=b c' });
    expect(withCharset.endsWith('\r\n\r\na=b c')).toBe(true);
    const upper = buildRequest({ method: 'POST', headers: { 'content-type': 'APPLICATION/X-WWW-FORM-URLENCODED' }, data: 'a=b c' });
    expect(upper.endsWith('\r\n\r\na=b+c')).toBe(true);
    expect(upper).not.toContain('Content-Type: application/x-www-form-urlencoded');
  });

  it('autocomplete false: nothing added, body raw (920181-1, chunked by hand)', () => {
    expect(buildRequest(input('920181-1'))).toBe(
      crlf(
        'POST /anything HTTP/1.1',
        `Accept: ${ACCEPT}`,
        'Content-Length: 7',
        'Content-Type: application/x-www-form-urlencoded',
        'Host: localhost',
        'Transfer-Encoding: chunked',
        'User-Agent: OWASP CRS test agent',
        '',
        '7',
        'foo=bar',
        '0',
        '',
        '',
      ),
    );
  });

  it('encoded_request is sent byte for byte; other fields are ignored', () => {
    const raw = buildRequest(input('920620-1'));
    expect(raw).toBe(
      crlf('GET /get HTTP/1.1', 'Host: localhost', 'User-Agent: OWASP CRS test agent', `Accept: ${ACCEPT}`, 'Content-Type: application/json', 'Content-Type: application/xml', '', ''),
    );
    // 922130-1 carries a 0x0e byte in a multipart header: binary-exact.
    const multipart = buildRequest(input('922130-1'));
    expect(multipart).toContain('\r\n--boundary\r\n\x0eContent-Disposition');
    expect(multipart.endsWith('--boundary--')).toBe(true);
    expect(() => buildRequest({ encodedRequest: 'R0VU', data: 'x' })).toThrow(/choose between data and encoded_request/);
    expect(() => buildRequest({ encodedRequest: 'not base64!' })).toThrow(/not valid base64/);
  });

  it('multipart: every LF becomes CRLF and Content-Length counts the result', () => {
    const body = [
      '--boundary',
      'Content-Disposition: form-data; name="file"; filename="1.php"',
      '',
      '<?php var_dump(file_get_contents("/etc/passwd")); ?>',
      '--boundary--',
      '',
    ].join('\r\n');
    expect(buildRequest(input('922130-3'))).toBe(
      crlf(
        'POST /post HTTP/1.1',
        'Accept: */*',
        'Content-Type: multipart/form-data; boundary=boundary',
        'Host: localhost',
        'User-Agent: OWASP CRS test agent',
        'Connection: close',
        `Content-Length: ${body.length}`,
        '',
        body,
      ),
    );
    // Also without autocompletion, and CRLF already present becomes CR CR LF, as bytes.ReplaceAll does.
    expect(buildRequest({ autocompleteHeaders: false, headers: { 'Content-Type': 'Multipart/Form-Data; boundary=x' }, data: 'a\r\nb\n' })).toBe(
      crlf('GET / HTTP/1.1', 'Content-Type: Multipart/Form-Data; boundary=x', '', 'a\r\r\nb\r\n'),
    );
  });

  it('templates in data are rendered (920400-2: repeat 152)', () => {
    const raw = buildRequest(input('920400-2'));
    const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
    expect(body).toBe(
      ['----------111111', 'Content-Disposition: form-data; name="smallfile"; filename="file.txt"', 'Content-Type: text/plain', '1'.repeat(152), '----------111111--', ''].join('\r\n'),
    );
    expect(raw).toContain(`\r\nContent-Length: ${body.length}\r\n`);
    // 920400-1 sets its own Content-Length (64200): it is kept, and the body is longer than that.
    const big = buildRequest(input('920400-1'));
    expect(big).toContain('\r\nContent-Length: 64200\r\n');
    expect(big.match(/Content-Length/g)).toHaveLength(1);
    expect(big.length - big.indexOf('\r\n\r\n') - 4).toBe(64341);
  });

  it('method, URI and version are sent verbatim; version "" leaves a trailing space', () => {
    expect(buildRequest(input('920100-12')).startsWith('\tGET /get HTTP/1.1\r\n')).toBe(true);
    expect(buildRequest(input('920430-5')).startsWith('GET / \r\n')).toBe(true);
    expect(buildRequest(input('920100-13')).startsWith('GET \\index.html HTTP\\1.0\r\n')).toBe(true);
  });

  it('header names sort in byte order (upper case first); lookups are case-insensitive', () => {
    const raw = buildRequest(input('920450-3'));
    expect(raw.split('\r\n').slice(1, 5)).toEqual([`Accept: ${ACCEPT}`, 'Host: localhost', 'User-Agent: OWASP CRS test agent', 'lock-token: test']);
    expect(buildRequest({ headers: { connection: 'keep-alive' } })).toBe(crlf('GET / HTTP/1.1', 'connection: keep-alive', '', ''));
  });

  it('Content-Length for empty bodies follows go-ftw`s method regexp quirk', () => {
    const cl = (method: string): boolean => buildRequest({ method }).includes('Content-Length: 0');
    expect(['POST', 'PUT', 'PATCH', 'DELETE', 'POSTX', 'XPUTX', 'XPATCHX', 'XDELETE'].map(cl)).toEqual(Array(8).fill(true));
    expect(['GET', 'HEAD', 'OPTIONS', 'DELETEX', 'XPOST'].map(cl)).toEqual(Array(5).fill(false));
  });

  it('non-ASCII text goes out as UTF-8 bytes', () => {
    const raw = buildRequest({ uri: '/é', headers: { 'X-A': 'ü' }, data: 'k=ä', method: 'POST' });
    expect(raw.startsWith('POST /\xc3\xa9 HTTP/1.1\r\n')).toBe(true);
    expect(raw).toContain('X-A: \xc3\xbc\r\n');
    expect(raw.endsWith('k=%C3%A4')).toBe(true);
  });
});

describe('Go url escaping', () => {
  it('QueryEscape / QueryUnescape', () => {
    expect(queryEscape('a b&c=d/\xe9~_.-')).toBe('a+b%26c%3Dd%2F%E9~_.-');
    expect(queryUnescape('a+b%41')).toBe('a bA');
    expect(queryUnescape('%4')).toBeUndefined();
    expect(queryUnescape('%zz')).toBeUndefined();
  });

  it('encodeFormBody splits on & then the first =, and drops one trailing &', () => {
    expect(encodeFormBody('a=1=2&b c&=x')).toBe('a=1%3D2&b+c&=x');
    expect(encodeFormBody('a=b&')).toBe('a=b');
    expect(encodeFormBody('a&&b')).toBe('a&&b');
    expect(encodeFormBody('a=%41')).toBe('a=%41');
    expect(encodeFormBody('a+b')).toBe('a+b');
  });
});
