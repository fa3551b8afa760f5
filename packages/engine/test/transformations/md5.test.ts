import { createHash } from 'node:crypto';
import { transform } from '../../src/transformations';
import { checkVectors } from './vectors';

const raw = (hex: string): string => Buffer.from(hex, 'hex').toString('latin1');

// Published MD5 test vectors (RFC 1321 appendix A.5) and the shared ModSecurity vector for "TestCase".
checkVectors('md5', [
  ['', raw('d41d8cd98f00b204e9800998ecf8427e'), 'the raw 16-byte digest, not hex'],
  ['abc', raw('900150983cd24fb0d6963f7d28e17f72')],
  ['message digest', raw('f96b697d7cb7938d525a2f31aaf161d0')],
  ['TestCase', raw('c9aba2c3e60126169e80e9a26ba273c1')],
]);

describe('t:md5 on bytes', () => {
  it('hashes the latin1 bytes, not a UTF-8 encoding of them', () => {
    const byteDigest = createHash('md5').update(Buffer.from([0xe9, 0x00, 0xff])).digest().toString('latin1');
    expect(transform('md5', '\xe9\0\xff')).toBe(byteDigest);
    expect(transform('md5', '\xe9')).not.toBe(createHash('md5').update('\xe9', 'utf8').digest().toString('latin1'));
    expect(transform('md5', 'x')).toHaveLength(16);
  });
});
