import { AlbedoBackend, sniffContentType, type ParsedHttpRequest } from '../src';

const NOW = new Date('2026-07-02T10:00:00Z');
const DATE = 'Thu, 02 Jul 2026 10:00:00 GMT';
const albedo = new AlbedoBackend({ now: () => NOW });

function req(method: string, uri: string, body = ''): ParsedHttpRequest {
  return { method, uri, protocol: 'HTTP/1.1', requestLine: `${method} ${uri} HTTP/1.1`, headers: [['Host', 'localhost']], body, connection: { clientIp: '127.0.0.1', clientPort: 1, serverIp: '127.0.0.1', serverPort: 80 } };
}

describe('albedo v0.3.0 emulation', () => {
  it('answers 200 with an empty body on any other path and method', () => {
    for (const [m, u] of [['GET', '/'], ['POST', '/post'], ['GET', '/status/200'], ['PROPFIND', '/x?y'], ['GET', '/reflect'], ['CONNECT', '1.2.3.4:80']] as const) {
      expect(albedo.handle(req(m, u))).toEqual({ status: 200, protocol: 'HTTP/1.1', headers: [['Date', DATE], ['Content-Length', '0']], body: '' });
    }
  });

  it('reflects status, headers and body; the body gets a sniffed Content-Type', () => {
    expect(albedo.handle(req('POST', '/reflect', '{"status": 201, "headers": {"X-A": "b"}, "body": "<html><body>hi</body></html>"}'))).toEqual({
      status: 201,
      protocol: 'HTTP/1.1',
      headers: [['X-A', 'b'], ['Content-Type', 'text/html; charset=utf-8'], ['Date', DATE], ['Content-Length', '28']],
      body: '<html><body>hi</body></html>',
    });
    const r = albedo.handle(req('POST', '/reflect/', '{"body": "Warning: mysql_fetch_array()", "fileuploaderror": 1}'));
    expect(r.status).toBe(200);
    expect(r.body).toBe('Warning: mysql_fetch_array()');
    expect(r.headers).toContainEqual(['Content-Type', 'text/plain; charset=utf-8']);
    expect(albedo.handle(req('POST', '/reflect', '{"Body": "x", "headers": {"Content-Type": "application/json"}}')).headers).toEqual([
      ['Content-Type', 'application/json'],
      ['Date', DATE],
      ['Content-Length', '1'],
    ]);
    expect(albedo.handle(req('POST', 'http://localhost/reflect?q', '{"body": "\xc3\xa9"}')).body).toBe('\xc3\xa9');
    // Invalid UTF-8 in the JSON becomes U+FFFD, as Go's encoding/json does.
    expect(albedo.handle(req('POST', '/reflect', '{"body": "\xe9"}')).body).toBe('\xef\xbf\xbd');
  });

  it('body wins over encodedBody; encodedBody is base64', () => {
    expect(albedo.handle(req('POST', '/reflect', '{"encodedBody": "PD9waHA="}')).body).toBe('<?php');
    expect(albedo.handle(req('POST', '/reflect', '{"body": "a", "encodedBody": "PD9waHA="}')).body).toBe('a');
    expect(albedo.handle(req('POST', '/reflect', '{"encodedBody": "***"}')).body).toBe('invalid base64 encoding of response body');
  });

  it('rejects invalid JSON and status codes outside 100..599 with 400', () => {
    expect(albedo.handle(req('POST', '/reflect', '{not json'))).toMatchObject({ status: 400, body: 'Invalid JSON in request body' });
    expect(albedo.handle(req('POST', '/reflect', '{"status": "200"}'))).toMatchObject({ status: 400, body: 'Invalid JSON in request body' });
    expect(albedo.handle(req('POST', '/reflect', '{"status": 99}'))).toMatchObject({ status: 400, body: 'Invalid status code: 99' });
    expect(albedo.handle(req('POST', '/reflect', '{"status": 600}'))).toMatchObject({ status: 400, body: 'Invalid status code: 600' });
    expect(albedo.handle(req('POST', '/reflect', '{"status": 0}')).status).toBe(200);
    expect(albedo.handle(req('POST', '/reflect', ''))).toMatchObject({ status: 400 });
  });

  it('sniffs like Go for the bodies the response tests reflect', () => {
    expect(sniffContentType('  <!DOCTYPE html><html>')).toBe('text/html; charset=utf-8');
    expect(sniffContentType('<?xml version="1.0"?>')).toBe('text/xml; charset=utf-8');
    expect(sniffContentType('<?php echo 1; ?>')).toBe('text/plain; charset=utf-8');
    expect(sniffContentType('\x00\x01binary')).toBe('application/octet-stream');
  });
});
