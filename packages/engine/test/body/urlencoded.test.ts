import { parseCookies, parseQueryString, parseUrlencoded, urlDecodeNonStrict } from '../../src/body';

const pairs = (input: string, separator?: string): Array<[string, string]> =>
  parseUrlencoded(input, separator === undefined ? {} : { separator }).args.map((a) => [a.name, a.value]);

describe('parseUrlencoded (ModSecurity v3 extractArguments)', () => {
  it('splits on & and the first =, decodes + and %XX in names and values', () => {
    expect(pairs('a=1&b=x+y%21&c%5B%5D=%41=B')).toEqual([['a', '1'], ['b', 'x y!'], ['c[]', 'A=B']]);
  });

  it('a param without = has an empty value; empty pieces become empty args; a trailing & adds nothing', () => {
    expect(pairs('flag&=v&&x=')).toEqual([['flag', ''], ['', 'v'], ['', ''], ['x', '']]);
    expect(pairs('a=1&')).toEqual([['a', '1']]);
    expect(pairs('&a=1')).toEqual([['', ''], ['a', '1']]);
    expect(pairs('')).toEqual([]);
  });

  it('uses SecArgumentSeparator', () => {
    expect(pairs('a=1;b=2&c', ';')).toEqual([['a', '1'], ['b', '2&c']]);
  });

  it('keeps invalid % encodings as they are and reports URLENCODED_ERROR', () => {
    const r = parseUrlencoded('a=%zz&b=%4&c%=1&d=ok');
    expect(r.args.map((a) => [a.name, a.value])).toEqual([['a', '%zz'], ['b', '%4'], ['c%', '1'], ['d', 'ok']]);
    expect(r.invalidEncoding).toBe(true);
    expect(r.error).toBeDefined();
    const fine = parseUrlencoded('a=%41');
    expect(fine.invalidEncoding).toBe(false);
    expect(fine.error).toBeUndefined();
  });

  it('keeps bytes: %FF is one latin1 char', () => {
    expect(urlDecodeNonStrict('%ff%00x')).toEqual({ value: '\xff\x00x', invalid: false });
  });

  it('parseQueryString follows the same rules', () => {
    expect(parseQueryString('q=a+b&x').args).toEqual([{ name: 'q', value: 'a b' }, { name: 'x', value: '' }]);
  });

  it('100k args: capped by argumentsLimit, fast', () => {
    const body = Array.from({ length: 100_000 }, (_, i) => `k${i}=v${i}`).join('&');
    const started = Date.now();
    const limited = parseUrlencoded(body, { argumentsLimit: 1000 });
    expect(limited.args).toHaveLength(1000);
    expect(limited.limitExceeded).toBe(true);
    expect(limited.args[999]).toEqual({ name: 'k999', value: 'v999' });
    const all = parseUrlencoded(body);
    expect(all.args).toHaveLength(100_000);
    expect(all.limitExceeded).toBe(false);
    expect(Date.now() - started).toBeLessThan(15_000); // a hang guard, loose enough for a loaded CI machine
  });
});

describe('parseCookies (ModSecurity v3, SecCookieFormat 0)', () => {
  const c = (header: string): Array<[string, string]> => parseCookies(header).map((a) => [a.name, a.value]);

  it('splits on ;, trims names on the left only, keeps values raw', () => {
    expect(c('a=1; b=2;c = 3 ')).toEqual([['a', '1'], ['b', '2'], ['c ', ' 3']]);
  });

  it('skips empty pieces and empty names; a piece without = is a name; values keep later =', () => {
    expect(c(';;foo=bar=baz; =x;  ;flag;')).toEqual([['foo', 'bar=baz'], ['flag', '']]);
  });

  it('does not URL-decode', () => {
    expect(c('a=%41+b')).toEqual([['a', '%41+b']]);
  });

  it('honours a v0 separator and refuses cookie format 1', () => {
    expect(parseCookies('a=1,b=2', { separator: ',' })).toEqual([{ name: 'a', value: '1' }, { name: 'b', value: '2' }]);
    expect(() => parseCookies('a=1', { format: 1 as 0 })).toThrow('SecCookieFormat 1 is not supported');
  });
});
