import { RespError, RespReader, encodeCommand, type RespReply } from '../../src';

function parseAll(bytes: Buffer, splitAt?: number): RespReply[] {
  const reader = new RespReader();
  const out: RespReply[] = [];
  const chunks = splitAt === undefined ? [bytes] : [bytes.subarray(0, splitAt), bytes.subarray(splitAt)];
  for (const c of chunks) {
    reader.feed(c);
    for (let r = reader.next(); r; r = reader.next()) out.push(r.reply);
  }
  return out;
}

describe('encodeCommand', () => {
  it('writes an array of bulk strings, UTF-8, binary-safe', () => {
    expect(encodeCommand(['SET', 'k\r\n', 'é']).toString('latin1')).toBe('*3\r\n$3\r\nSET\r\n$3\r\nk\r\n\r\n$2\r\n\u00c3\u00a9\r\n');
  });
});

describe('RespReader', () => {
  const stream = Buffer.from(
    '+OK\r\n-ERR wrong\r\n:42\r\n:-7\r\n$5\r\nh\r\nlo\r\n$-1\r\n*-1\r\n*0\r\n*3\r\n+QUEUED\r\n*2\r\n$1\r\na\r\n:1\r\n$0\r\n\r\n$2\r\n\u00c3\u00a9\r\n',
    'latin1',
  );
  const expected: RespReply[] = ['OK', new RespError('ERR wrong'), 42, -7, 'h\r\nlo', null, null, [], ['QUEUED', ['a', 1], ''], 'é'];

  it('parses every reply type', () => {
    expect(parseAll(stream)).toEqual(expected);
  });

  it('gives the same replies whatever byte the stream is split at', () => {
    for (let i = 0; i <= stream.length; i++) expect(parseAll(stream, i)).toEqual(expected);
  });

  it('rejects malformed or oversized replies instead of waiting forever', () => {
    expect(() => parseAll(Buffer.from('?what\r\n'))).toThrow(/reply type/);
    expect(() => parseAll(Buffer.from(':12x\r\n'))).toThrow(/integer/);
    expect(() => parseAll(Buffer.from('$3\r\nabcd\r\n'))).toThrow(/not terminated/);
    expect(() => parseAll(Buffer.from('$999999999999\r\n'))).toThrow(/bulk length/);
    expect(() => parseAll(Buffer.from(`${'*1\r\n'.repeat(20)}:1\r\n`))).toThrow(/nested/);
    expect(() => parseAll(Buffer.from(`+${'x'.repeat(70 * 1024)}`))).toThrow(/line too long/);
  });
});
