import RE2 from 're2';
import { compileRegex } from '../../src/operators/regex';

const ctx = { warn: () => undefined, options: { allowBacktrackingRegex: false } } as unknown as Parameters<typeof compileRegex>[2];
const inputs = ['', 'user-agent', 'a\nb', '\n', 'x\r\n', '\xe9\xff\x00', 'line1\nline2\n'];

describe('patterns that match every input whole (answered without RE2)', () => {
  for (const pattern of ['^.*$', '.*', '^.*', '.*$']) {
    it(`${pattern} answers test() and exec() as RE2 does`, () => {
      const ours = compileRegex(pattern, '@rx', ctx);
      const re2 = new RE2(pattern, 'gsm');
      for (const input of inputs) {
        re2.lastIndex = 0;
        expect(ours.test(input)).toBe(re2.test(input));
        re2.lastIndex = 0;
        const expected = re2.exec(input);
        const got = ours.exec(input);
        expect(got === null).toBe(expected === null);
        expect([...got!]).toEqual([...expected!]);
        expect(got!.index).toBe(expected!.index);
      }
    });
  }

  it('leaves later matches of a scan to RE2', () => {
    const ours = compileRegex('^.*$', '@rx', ctx);
    const seen: string[] = [];
    ours.scan('a\nb', (m) => {
      seen.push(m[0]);
    });
    expect(seen[0]).toBe('a\nb');
    const re2 = new RE2('^.*$', 'gsm');
    re2.lastIndex = 1;
    const expected = re2.exec('a\nb');
    const got = ours.exec('a\nb', 1);
    expect(got === null ? null : [got.index, got[0]]).toEqual(expected === null ? null : [expected.index, expected[0]]);
  });

  it('. answers test() and exec() as RE2 does (any non-empty input, at its first character)', () => {
    const ours = compileRegex('.', '@rx', ctx);
    const re2 = new RE2('.', 'gsm');
    for (const input of [...inputs, '\n', 'x']) {
      re2.lastIndex = 0;
      expect(ours.test(input)).toBe(re2.test(input));
      re2.lastIndex = 0;
      const expected = re2.exec(input);
      const got = ours.exec(input);
      expect(got === null ? null : [got.index, got[0]]).toEqual(expected === null ? null : [expected.index, expected[0]]);
    }
  });

  it('does not take patterns that only look alike', () => {
    expect(compileRegex('^.+$', '@rx', ctx).test('')).toBe(false);
    expect(compileRegex('^.*x$', '@rx', ctx).test('abc')).toBe(false);
    expect(compileRegex('..', '@rx', ctx).test('a')).toBe(false);
  });
});
