import { ssdeepCompare, ssdeepHash } from '../../src/fuzzy-hash/ssdeep';
import { lcgText } from './lcg-text';

describe('ssdeep', () => {
  // Every expected value below is what libfuzzy 2.14 (Debian's libfuzzy2: fuzzy_hash_buf, fuzzy_compare) gives.
  it.each([
    [0, 1, '3::'],
    [1, 1, '3:C:C'],
    [100, 2, '3:RMPev/Y6bYivGRfBixYHNEAxKElBsBoFchoS:RO6bleHNEgKElsD'],
    [5000, 3, '96:d1zy5+z1CtCZG4vySZqrrX3Dxhr86+RxZd67+RaRbZuO0MFO9iX:fokDZRN++KkO0MFCiX'],
    [100000, 4, '1536:UCmfTS7ak/GSJ7cb+wwzI+HDR2vqOu/QCaxqr+9nOz8qoM7CuRXD6xiB+APj:+6ak3Fc6wwzLHkvqxAqram2V0wiBfr'],
  ])('hashes %i bytes (seed %i) as libfuzzy does', (n, seed, expected) => {
    expect(ssdeepHash(lcgText(n, seed))).toBe(expected);
  });

  it('scores similar inputs as libfuzzy does, across block sizes', () => {
    const a = lcgText(20000, 5);
    const hash = ssdeepHash(a);
    expect(hash).toBe('384:xYWT4SwZ50I8FfeHU+Gs80cfamM4fUtm2v5YMeG/qlUoneliX+/qL33WFNDARt:ASwvb8FfIrZ80cyoUtm2Ce/uUdE+yht');
    expect(ssdeepCompare(hash, hash)).toBe(100);
    expect(ssdeepCompare(hash, ssdeepHash(a + a))).toBe(69);
    expect(ssdeepCompare(hash, ssdeepHash(a.slice(0, 10000)))).toBe(65);
    expect(ssdeepCompare(hash, ssdeepHash(lcgText(20000, 6)))).toBe(0);
  });

  it('reads hashes as ssdeep writes them and scores what is not a hash -1', () => {
    const hash = ssdeepHash(lcgText(5000, 3));
    expect(ssdeepCompare(`${hash},"a file name"`, hash)).toBe(100);
    expect(ssdeepCompare('ssdeep,1.1--blocksize:hash:hash,filename', hash)).toBe(-1);
    expect(ssdeepCompare('', hash)).toBe(-1);
    expect(ssdeepCompare(`3:${'A'.repeat(65)}:B`, hash)).toBe(-1);
    // Block sizes neither equal nor a factor of two apart do not compare.
    expect(ssdeepCompare('12:abcdefgh:abcdefgh', '48:abcdefgh:abcdefgh')).toBe(0);
  });
});
