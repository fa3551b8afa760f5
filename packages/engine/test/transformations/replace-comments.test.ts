import { transform } from '../../src/transformations';
import { checkVectors } from './vectors';

checkVectors('replaceComments', [
  ['', ''],
  ['TestCase', 'TestCase'],
  ['Test\0Case', 'Test\0Case'],
  ['/* TestCase */', ' '],
  ['/*TestCase*/', ' '],
  ['Before/* TestCase */After', 'Before After'],
  ['Before /* TestCase */ After', 'Before   After'],
  ['/* Test\r\nCase */', ' '],
  ['Before/* Test\r\nCase ', 'Before ', 'an unterminated comment becomes one space'],
  ['Before /* Test\nCase ', 'Before  '],
  ['Test\r\nCase */After', 'Test\r\nCase */After', 'a lone */ is kept'],
  ['SELECT/**//**/UNION', 'SELECT  UNION', 'each comment is one space'],
  ['/*/', ' ', '/*/ opens a comment that is never closed'],
  ['a-- b#c', 'a-- b#c', '-- and # are not touched'],
  ['\xe9/*\xff*/\x80', '\xe9 \x80'],
  ['a*/*b', 'a* ', 'a star that does not open, then one that does'],
  ['/*a*/*b*/', ' *b*/', 'the slash that closes a comment does not open the next one'],
  ['**/*x*/y', '** y'],
  ['text/html,*/*;q=0.8', 'text/html,* ', 'the Accept header opens a comment'],
]);

/** replaceComments written with indexOf('/*'), to check the star-first search against. */
function model(input: string): string {
  let out = '';
  let run = 0;
  let start = input.indexOf('/*');
  while (start >= 0) {
    out += `${input.slice(run, start)} `;
    const end = input.indexOf('*/', start + 2);
    if (end < 0) return out;
    run = end + 2;
    start = input.indexOf('/*', run);
  }
  return out + input.slice(run);
}

describe('t:replaceComments comment search', () => {
  it('agrees with an indexOf("/*") search on generated inputs', () => {
    const alphabet = '/*a\xe9';
    let x = 0x6b43a9b5;
    for (let k = 0; k < 5000; k++) {
      let s = '';
      for (let j = 0; j < k % 11; j++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        s += alphabet[(x >>> 0) % alphabet.length];
      }
      expect([s, transform('replaceComments', s)]).toEqual([s, model(s)]);
    }
  });
});
