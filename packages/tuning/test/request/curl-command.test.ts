import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CURL_USER_AGENT, RequestInputError, argvBytes, requestFromCurl, requestFromText, splitCommandLine } from '../../src';

describe('requestFromCurl', () => {
  it('sends what curl sends for -d: POST, curl headers in order, form content type, the data as given', () => {
    const r = requestFromCurl(['curl', '-H', 'X-Trace: 1', '-d', "q=1' or 1=1", 'http://shop.example:8080/search?x=1']);
    expect(r.method).toBe('POST');
    expect(r.target).toBe('/search?x=1');
    expect(r.headers).toEqual([
      ['Host', 'shop.example:8080'],
      ['User-Agent', CURL_USER_AGENT],
      ['Accept', '*/*'],
      ['X-Trace', '1'],
      ['Content-Length', '11'],
      ['Content-Type', 'application/x-www-form-urlencoded'],
    ]);
    expect(r.body).toBe("q=1' or 1=1");
    expect(r.connection.serverPort).toBe(8080);
  });

  it('joins several -d with &, moves them to the query with -G, and url-encodes --data-urlencode', () => {
    expect(requestFromCurl(['-d', 'a=1', '-d', 'b=2', 'http://x/']).body).toBe('a=1&b=2');
    const g = requestFromCurl(['-G', '-d', 'a=1', '--data-urlencode', 'q=<script> x', 'http://x/p?z=0']);
    expect(g.method).toBe('GET');
    expect(g.target).toBe('/p?z=0&a=1&q=%3Cscript%3E%20x');
    expect(g.body).toBe('');
  });

  it('handles --json, -X, -A, -e, -b, -u and a header removed with "Name:"', () => {
    const r = requestFromCurl(['-X', 'PUT', '--json', '{"a":1}', '-A', 'bot', '-e', 'http://ref/', '-b', 's=1', '-u', 'me:pw', '-H', 'Accept:', 'https://api/v1/x']);
    expect(r.method).toBe('PUT');
    expect(r.headers).toEqual([
      ['Host', 'api'],
      ['Authorization', `Basic ${Buffer.from('me:pw').toString('base64')}`],
      ['User-Agent', 'bot'],
      ['Referer', 'http://ref/'],
      ['Cookie', 's=1'],
      ['Content-Length', '7'],
      ['Content-Type', 'application/json'],
    ]);
    expect(r.connection.serverPort).toBe(443);
  });

  it('glued and combined short options: -XPOST, -sSL, -H"..."', () => {
    const r = requestFromCurl(['-sSL', '-XDELETE', '-HX-A: 1', 'http://x/a']);
    expect(r.method).toBe('DELETE');
    expect(r.headers).toContainEqual(['X-A', '1']);
  });

  it('removes dot segments as curl does, unless --path-as-is', () => {
    expect(requestFromCurl(['http://x/a/../../etc/passwd']).target).toBe('/etc/passwd');
    expect(requestFromCurl(['--path-as-is', 'http://x/a/../../etc/passwd']).target).toBe('/a/../../etc/passwd');
  });

  it('builds a multipart body for -F, with files read relative to cwd', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-curl-'));
    fs.writeFileSync(path.join(dir, 'shell.php'), '<?php system($_GET[1]); ?>');
    const r = requestFromCurl(['-F', 'title=hi', '-F', 'file=@shell.php', 'http://x/upload'], { cwd: dir });
    const ct = r.headers.find(([n]) => n === 'Content-Type')![1];
    const boundary = /boundary=(.*)$/.exec(ct)![1]!;
    expect(r.body).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nhi\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="shell.php"\r\nContent-Type: application/octet-stream\r\n\r\n<?php system($_GET[1]); ?>\r\n` +
        `--${boundary}--\r\n`,
    );
    expect(r.headers.find(([n]) => n === 'Content-Length')![1]).toBe(String(r.body.length));
  });

  it('sends command-line text as its UTF-8 bytes', () => {
    expect(requestFromCurl(argvBytes(['-d', 'name=José', 'http://x/'])).body).toBe(Buffer.from('name=José', 'utf8').toString('latin1'));
  });

  it('refuses options it does not understand and that may change the request', () => {
    expect(() => requestFromCurl(['--aws-sigv4', 'x', 'http://x/'])).toThrow(/--aws-sigv4 is not supported/);
    expect(() => requestFromCurl(['-s'])).toThrow(RequestInputError);
    expect(() => requestFromCurl(['ftp://x/'])).toThrow(/not HTTP/);
  });

  it('reads a pasted command line: quotes, $\'...\' and continuations ("Copy as cURL")', () => {
    const text = "curl 'http://x/a?q=1' \\\n  -H $'X-A: caf\\xc3\\xa9' \\\n  -H $'X-B: caf\\u00e9 \\x27' \\\n  --data-raw 'c=it'\"'\"'s' # copied";
    const cafe = Buffer.from('café', 'utf8').toString('latin1');
    expect(splitCommandLine(text)).toEqual(['curl', 'http://x/a?q=1', '-H', `X-A: ${cafe}`, '-H', `X-B: ${cafe} '`, '--data-raw', "c=it's"]);
    expect(splitCommandLine('a\\ b "x\\"y" c"d"e é')).toEqual(['a b', 'x"y', 'cde', cafe.slice(3)]);
    expect(() => splitCommandLine("curl 'open")).toThrow(/not closed/);
    const { request, kind } = requestFromText(Buffer.from(`$ ${text}\n`));
    expect(kind).toBe('curl');
    expect(request.body).toBe("c=it's");
  });
});
