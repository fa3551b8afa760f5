import { buildRequest, parseHttpRequest, type FrontEndResult, type ParsedHttpRequest } from '../src';
import { crsTestFiles } from './helpers/paths';

function request(raw: string): ParsedHttpRequest {
  const r = parseHttpRequest(raw);
  if (r.kind !== 'request') throw new Error(`expected a request, got ${JSON.stringify(r)}`);
  return r.request;
}

/** Stages the front end answers by itself although the test only checks logs (a pass either way for go-ftw). */
const ALSO_REJECTED = ['920100-7', '920290-2', '920430-4'];

describe('front end (httpd 2.4, HttpProtocolOptions Strict)', () => {
  it('answers exactly the status-400 stages of crs-regression.md 5.4 itself, and lets every other stage through', () => {
    const rejected: string[] = [];
    const expected400: string[] = [];
    const noResponse: string[] = [];
    let accepted = 0;
    for (const f of crsTestFiles()) {
      for (const t of f.tests) {
        t.stages.forEach((s, i) => {
          const id = t.stages.length > 1 ? `${t.id}/${i}` : t.id;
          if (s.output.status === 400) expected400.push(id);
          const r: FrontEndResult = parseHttpRequest(buildRequest(s.input));
          if (r.kind === 'request') {
            // Strict parsing: the request line is always exactly METHOD SP URI SP PROTOCOL.
            expect(r.request.requestLine).toBe(`${r.request.method} ${r.request.uri} ${r.request.protocol}`);
            accepted++;
          }
          if (r.kind === 'response') {
            expect(r.status).toBe(400);
            rejected.push(id);
          } else if (r.kind === 'no-response') noResponse.push(id);
        });
      }
    }
    expect(expected400).toHaveLength(22);
    expect(rejected.sort()).toEqual([...expected400, ...ALSO_REJECTED].sort());
    expect(noResponse).toEqual(['920430-5']);
    expect(accepted).toBe(5009 - 26);
  });

  it('parses a request: method, URI, protocol, ordered headers, body by Content-Length', () => {
    const r = request('POST /a?b=c HTTP/1.1\r\nHost: localhost\r\nX-B: 1\r\nx-a:  2 \r\nContent-Length: 3\r\n\r\nabcdef');
    expect(r).toEqual({
      method: 'POST',
      uri: '/a?b=c',
      protocol: 'HTTP/1.1',
      requestLine: 'POST /a?b=c HTTP/1.1',
      headers: [['Host', 'localhost'], ['X-B', '1'], ['x-a', '2'], ['Content-Length', '3']],
      body: 'abc',
      connection: { clientIp: '127.0.0.1', clientPort: 50000, serverIp: '127.0.0.1', serverPort: 80 },
    });
  });

  it('merges repeated fields into the first, as httpd does (920620-1)', () => {
    const r = request('GET / HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nAccept: */*\r\ncontent-type: application/xml\r\n\r\n');
    expect(r.headers).toEqual([['Host', 'h'], ['Content-Type', 'application/json, application/xml'], ['Accept', '*/*']]);
  });

  it('de-chunks and drops Content-Length when Transfer-Encoding is chunked (920181-1)', () => {
    const r = request('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nfoo\r\n4;ext=1\r\n=bar\r\n0\r\n\r\n');
    expect(r.body).toBe('foo=bar');
    expect(r.headers).toEqual([['Host', 'h'], ['Transfer-Encoding', 'chunked']]);
    expect(parseHttpRequest('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')).toMatchObject({ kind: 'response', status: 400 });
    expect(parseHttpRequest('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n')).toMatchObject({ kind: 'response', status: 400 });
    expect(parseHttpRequest('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab')).toMatchObject({ kind: 'no-response' });
  });

  it('a body beyond Content-Length is not part of the request; a short body never completes', () => {
    expect(request('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\nignored').body).toBe('');
    expect(request('POST / HTTP/1.1\r\nHost: h\r\n\r\nno length, no body').body).toBe('');
    expect(parseHttpRequest('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nshort')).toMatchObject({ kind: 'no-response' });
  });

  it('accepts what the tests need to reach the WAF', () => {
    expect(request('CONNECT 1.2.3.4:80 HTTP/1.1\r\nHost: h\r\n\r\n').uri).toBe('1.2.3.4:80');
    expect(request('OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n').uri).toBe('*');
    expect(request('GET http://localhost HTTP/1.1\r\n\r\n').uri).toBe('http://localhost');
    expect(request('|GET / HTTP/1.1\r\nHost: h\r\n\r\n').method).toBe('|GET');
    expect(request('GET / HTTP/1.0\r\n\r\n').protocol).toBe('HTTP/1.0');
    expect(request('GET / HTTP/1.0\r\nHost:\r\n\r\n').headers).toEqual([['Host', '']]);
    expect(request('GET / HTTP/4.0\r\nHost: h\r\n\r\n').protocol).toBe('HTTP/4.0');
    expect(request('GET / HTTP/1.1\r\nHost: [fe80::f1:01:fe01:1]:80\r\n\r\n').headers[0]).toEqual(['Host', '[fe80::f1:01:fe01:1]:80']);
    expect(request('GET /i%FFndex.html HTTP/1.1\nHost: h\n\n').uri).toBe('/i%FFndex.html');
    expect(request('\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n').method).toBe('GET');
    expect(request('GET /\xff\xfe HTTP/1.1\r\nHost: h\r\nX: \xe9t\xe9\r\n\r\n').headers[1]).toEqual(['X', '\xe9t\xe9']);
    expect(request('GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n  b\r\n\r\n').headers[1]).toEqual(['X', 'a b']);
  });

  it.each([
    ['GET  / HTTP/1.1\r\nHost: h\r\n\r\n', 'double space'],
    ['GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n', 'tab separator'],
    ['GET / HTTP/1.1 x\r\nHost: h\r\n\r\n', 'text after the protocol'],
    ['GET / http/1.1\r\nHost: h\r\n\r\n', 'lower-case protocol'],
    ['GET / HTTP/1.1\r\n\r\n', 'HTTP/1.1 without Host'],
    ['GET / HTTP/1.1\r\nHost: a b\r\n\r\n', 'space in Host'],
    ['GET / HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n\r\n', 'space in a field name'],
    ['GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n', 'field without colon'],
    ['GET / HTTP/1.1\r\nHost: h\r\nX: a\x00b\r\n\r\n', 'NUL in a value'],
    ['GET / HTTP/1.1\r\n folded: x\r\nHost: h\r\n\r\n', 'continuation first'],
    ['G(ET / HTTP/1.1\r\nHost: h\r\n\r\n', 'method not a token'],
    ['GET\r\n\r\n', 'no URI'],
    ['GET index.html HTTP/1.1\r\nHost: h\r\n\r\n', 'relative target'],
    ['GET /\x01 HTTP/1.1\r\nHost: h\r\n\r\n', 'control character in the URI'],
    ['POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n', 'negative Content-Length'],
    ['POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx', 'repeated Content-Length'],
  ])('400: %j (%s)', (raw) => {
    expect(parseHttpRequest(raw)).toMatchObject({ kind: 'response', status: 400 });
  });

  it('limits: 414 for a request line over 8190 bytes, 400 for too many or too long fields', () => {
    expect(parseHttpRequest(`GET /${'a'.repeat(8190)} HTTP/1.1\r\nHost: h\r\n\r\n`)).toMatchObject({ kind: 'response', status: 414 });
    expect(parseHttpRequest(`GET / HTTP/1.1\r\nHost: h\r\n${'X: y\r\n'.repeat(100)}\r\n`)).toMatchObject({ kind: 'response', status: 400 });
    expect(parseHttpRequest(`GET / HTTP/1.1\r\nHost: h\r\nX: ${'y'.repeat(8190)}\r\n\r\n`)).toMatchObject({ kind: 'response', status: 400 });
  });

  it('never throws on hostile bytes', () => {
    let seed = 42;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const alphabet = 'GET /HTTP1.\r\n: \t\x00\xff0a;chunkedTransfer-EncodingContent-Length';
    for (let i = 0; i < 2000; i++) {
      let raw = '';
      const len = rand() % 200;
      for (let j = 0; j < len; j++) raw += alphabet[rand() % alphabet.length];
      expect(() => parseHttpRequest(raw)).not.toThrow();
    }
    expect(parseHttpRequest('')).toMatchObject({ kind: 'no-response' });
    // Only a few blank lines are skipped before the request line; then the empty line is a bad request.
    expect(parseHttpRequest('\n'.repeat(100000))).toMatchObject({ kind: 'response', status: 400 });
  });
});
