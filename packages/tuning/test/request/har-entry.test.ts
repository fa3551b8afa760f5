import { listHarEntries, requestFromHar, requestFromText } from '../../src';

const har = {
  log: {
    version: '1.2',
    entries: [
      { request: { method: 'GET', url: 'https://shop.example/', httpVersion: 'h2', headers: [{ name: ':authority', value: 'shop.example' }, { name: ':method', value: 'GET' }, { name: 'accept', value: 'text/html' }] } },
      {
        serverIPAddress: '[2001:db8::1]',
        request: {
          method: 'POST',
          url: 'https://shop.example/comments?id=7#frag',
          httpVersion: 'HTTP/1.1',
          headers: [{ name: 'Host', value: 'shop.example' }, { name: 'Content-Type', value: 'application/x-www-form-urlencoded' }],
          postData: { mimeType: 'application/x-www-form-urlencoded', text: 'comment=très bien' },
        },
      },
      { request: { method: 'POST', url: 'http://x:8080/f', headers: [], postData: { mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'a b', value: "it's" }] } } },
    ],
  },
};

describe('requestFromHar', () => {
  it('takes the chosen entry: target without fragment, headers, UTF-8 body with a Content-Length added', () => {
    const r = requestFromHar(har, 2);
    expect(r.method).toBe('POST');
    expect(r.target).toBe('/comments?id=7');
    const body = Buffer.from('comment=très bien', 'utf8').toString('latin1');
    expect(r.body).toBe(body);
    expect(r.headers).toEqual([['Host', 'shop.example'], ['Content-Type', 'application/x-www-form-urlencoded'], ['Content-Length', String(body.length)]]);
    expect(r.connection.serverIp).toBe('2001:db8::1');
    expect(r.connection.serverPort).toBe(443);
  });

  it('drops HTTP/2 pseudo-headers, making Host from :authority', () => {
    const r = requestFromHar(har, 1);
    expect(r.protocol).toBe('HTTP/2.0');
    expect(r.headers).toEqual([['Host', 'shop.example'], ['accept', 'text/html']]);
  });

  it('rebuilds a body from params', () => {
    const r = requestFromHar(har, 3);
    expect(r.body).toBe('a+b=it%27s');
    expect(r.connection.serverPort).toBe(8080);
  });

  it('asks for --entry when there are several, listing them', () => {
    expect(() => requestFromHar(har)).toThrow(/3 entries: choose one with --entry N\n {2}1: GET https:\/\/shop.example\//);
    expect(() => requestFromHar(har, 9)).toThrow(/no entry 9/);
    expect(listHarEntries(har).map((e) => e.number)).toEqual([1, 2, 3]);
  });

  it('is recognised by requestFromText', () => {
    expect(requestFromText(Buffer.from(JSON.stringify(har)), { entry: 3 }).kind).toBe('har');
    expect(() => requestFromText(Buffer.from('{"a":1}'))).toThrow(/not a HAR file/);
  });
});
