import { transform } from '../../src/transformations';

/**
 * Several transformations build short outputs in one shared scratch buffer. Whatever ran before (a longer
 * value, another transformation, a value too long for the shared buffer), a result must depend only on its
 * own input.
 */
describe('the shared output buffer', () => {
  const cases: ReadonlyArray<readonly [name: string, input: string, expected: string]> = [
    ['urlDecode', 'a%41+', 'aA '],
    ['urlDecodeUni', '%u0042c', 'Bc'],
    ['cmdLine', 'C^MD /C', 'cmd/c'],
    ['htmlEntityDecode', '&lt;x', '<x'],
    ['jsDecode', '\\x41', 'A'],
    ['cssDecode', '\\41 b', 'Ab'],
    ['normalizePath', '/a/./b', '/a/b'],
    ['escapeSeqDecode', '\\n', '\n'],
    ['sqlHexDecode', '0x41', 'A'],
  ];
  const noise = ['%7A'.repeat(100), 'Z;Z;'.repeat(100), `${'&gt;'.repeat(2000)}`, 'q'.repeat(4097)];

  it.each(cases)('%s gives the same result after other values and other transformations', (name, input, expected) => {
    expect(transform(name, input)).toBe(expected);
    for (const [other] of cases) {
      for (const value of noise) {
        transform(other, value);
        expect(transform(name, input)).toBe(expected);
      }
    }
  });

  it('a result string stays intact after the buffer is reused', () => {
    const first = transform('urlDecode', 'one%20two');
    transform('cmdLine', 'THREE FOUR FIVE SIX');
    transform('urlDecode', 'XXXXXXXXXXXXXXXX%20');
    expect(first).toBe('one two');
  });
});
