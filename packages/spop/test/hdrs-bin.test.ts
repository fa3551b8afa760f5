import { SpopError, decodeHdrsBin, encodeHdrsBin, parseHdrsBin } from '../src';

const GET_ROOT =
  '04686f73740f3132372e302e302e313a31383038300a757365722d6167656e740b6375726c2f372e38382e3106616363657074032a2f2a06782d74657374036162630000';

describe('req.hdrs_bin', () => {
  it('decodes the recorded GET / headers (fixture 10)', () => {
    expect(decodeHdrsBin(Buffer.from(GET_ROOT, 'hex'))).toEqual([
      ['host', '127.0.0.1:18080'],
      ['user-agent', 'curl/7.88.1'],
      ['accept', '*/*'],
      ['x-test', 'abc'],
    ]);
  });

  it('keeps duplicates in order and values untouched (latin1)', () => {
    const headers: Array<[string, string]> = [
      ['x-dup', '1'],
      ['x-dup', '2'],
      ['cookie', 'a=1; b=\u00e9\u00ff'],
    ];
    const bin = encodeHdrsBin(headers);
    expect(decodeHdrsBin(bin)).toEqual(headers);
    expect(bin.subarray(-2).toString('hex')).toBe('0000');
  });

  it('stops at the 00 00 terminator and reports trailing bytes', () => {
    const bin = Buffer.concat([encodeHdrsBin([['a', 'b']]), Buffer.from('0178', 'hex')]);
    expect(parseHdrsBin(bin)).toEqual({ headers: [['a', 'b']], complete: true, trailing: 2 });
    expect(decodeHdrsBin(bin)).toEqual([['a', 'b']]);
  });

  it('keeps a header with an empty value (only two empty strings terminate)', () => {
    expect(decodeHdrsBin(Buffer.from('0161' + '00' + '0000', 'hex'))).toEqual([['a', '']]);
    expect(decodeHdrsBin(Buffer.from('00' + '0162' + '0000', 'hex'))).toEqual([['', 'b']]);
  });

  it('reports truncation: parse keeps what was read, decode throws status 4', () => {
    const full = Buffer.from(GET_ROOT, 'hex');
    for (let cut = 0; cut < full.length - 1; cut++) {
      const r = parseHdrsBin(full.subarray(0, cut));
      expect(r.complete).toBe(false);
      expect(r.headers.length).toBeLessThanOrEqual(4);
      expect(() => decodeHdrsBin(full.subarray(0, cut))).toThrow(SpopError);
    }
    // A length that points past the end.
    expect(parseHdrsBin(Buffer.from('ff7f41', 'hex'))).toEqual({ headers: [], complete: false, trailing: 0 });
  });

  it('decodes the empty list', () => {
    expect(decodeHdrsBin(Buffer.from('0000', 'hex'))).toEqual([]);
  });
});
