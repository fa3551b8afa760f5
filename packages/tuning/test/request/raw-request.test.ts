import { RequestInputError, requestFromRaw } from '../../src';

describe('requestFromRaw', () => {
  it('reads the request line, headers in order with repeats, and a body cut at Content-Length', () => {
    const r = requestFromRaw('POST /login?next=%2F HTTP/1.1\r\nHost: shop\r\nCookie: a=1\r\nCookie: b=2\r\nContent-Length: 5\r\n\r\nu=abcEXTRA');
    expect(r.method).toBe('POST');
    expect(r.target).toBe('/login?next=%2F');
    expect(r.protocol).toBe('HTTP/1.1');
    expect(r.headers).toEqual([['Host', 'shop'], ['Cookie', 'a=1'], ['Cookie', 'b=2'], ['Content-Length', '5']]);
    expect(r.body).toBe('u=abc');
    expect(r.notes.join()).toMatch(/5 bytes after the Content-Length/);
  });

  it('takes LF-only line ends and a body without Content-Length, and says so', () => {
    const r = requestFromRaw("POST /c HTTP/1.1\nHost: x\nContent-Type: application/x-www-form-urlencoded\n\ncomment=it's me\n");
    expect(r.body).toBe("comment=it's me");
    expect(r.notes.join()).toMatch(/no Content-Length/);
  });

  it('de-chunks a chunked body', () => {
    const r = requestFromRaw('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n');
    expect(r.body).toBe('abcde');
  });

  it('keeps bytes as they are (latin1) and joins folded header lines', () => {
    const r = requestFromRaw('GET /\xe9 HTTP/1.0\r\nX-A: one\r\n  two\r\n\r\n');
    expect(r.target).toBe('/\xe9');
    expect(r.protocol).toBe('HTTP/1.0');
    expect(r.headers).toEqual([['X-A', 'one two']]);
  });

  it('refuses what is not a request, saying what was expected', () => {
    expect(() => requestFromRaw('')).toThrow(RequestInputError);
    expect(() => requestFromRaw('hello world, how are you\n')).toThrow(/not an HTTP request line/);
    expect(() => requestFromRaw('GET / HTTP/1.1\nnot a header\n\n')).toThrow(/not a header line/);
    expect(() => requestFromRaw('POST / HTTP/1.1\nTransfer-Encoding: chunked\n\nzz\n')).toThrow(/chunk/);
  });
});
