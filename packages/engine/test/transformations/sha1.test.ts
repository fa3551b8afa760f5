import { createHash } from 'node:crypto';
import { transform } from '../../src/transformations';
import { checkVectors } from './vectors';

const raw = (hex: string): string => Buffer.from(hex, 'hex').toString('latin1');

// Published SHA-1 test vectors (FIPS 180 examples) and the shared ModSecurity vector for "TestCase".
checkVectors('sha1', [
  ['', raw('da39a3ee5e6b4b0d3255bfef95601890afd80709'), 'the raw 20-byte digest, not hex'],
  ['abc', raw('a9993e364706816aba3e25717850c26c9cd0d89d')],
  ['The quick brown fox jumps over the lazy dog', raw('2fd4e1c67a2d28fced849ee1bb76e7391b93eb12')],
  ['TestCase', raw('a70ce38389e318bd2be18a0111c6dc76bd2cd9ed')],
]);

describe('t:sha1 on bytes', () => {
  it('hashes the latin1 bytes, not a UTF-8 encoding of them', () => {
    const byteDigest = createHash('sha1').update(Buffer.from([0xe9, 0x00, 0xff])).digest().toString('latin1');
    expect(transform('sha1', '\xe9\0\xff')).toBe(byteDigest);
    expect(transform('sha1', 'x')).toHaveLength(20);
  });
});
