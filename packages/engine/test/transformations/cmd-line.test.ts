import { transform } from '../../src/transformations';
import { checkVectors } from './vectors';

checkVectors('cmdLine', [
  ['', ''],
  ['test', 'test'],
  ['C^OMMAND /C DIR', 'command/c dir', 'the space before / is removed'],
  ['C^oMMaNd /C DiR', 'command/c dir'],
  ['cmd,/c DiR', 'cmd/c dir', ', is a separator'],
  ['"command" /c DiR', 'command/c dir', 'quotes are removed'],
  ["c'a't /e\\t\\c/p\"a\"s\\s\\wd", 'cat/etc/passwd'],
  ['a ; , \t\r\n b', 'a b', 'a run of separators is one space'],
  ['a ^ b', 'a b', 'deleted characters do not end a run of separators'],
  ['echo  (x)', 'echo(x)', 'the space before ( is removed'],
  [' /x', '/x'],
  ['a\0B\xc9', 'a\0b\xc9', 'only ASCII letters are lowercased'],
  ['no-change_here', 'no-change_here'],
]);

/** The definition of cmdLine written as plainly as possible, to check the table-driven implementation against. */
function model(input: string): string {
  const out: number[] = [];
  let space = false;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c === 0x22 || c === 0x27 || c === 0x5c || c === 0x5e) continue;
    if (c === 0x20 || c === 0x2c || c === 0x3b || c === 0x09 || c === 0x0d || c === 0x0a) {
      if (!space) out.push(0x20);
      space = true;
    } else if (c === 0x2f || c === 0x28) {
      if (space) out.pop();
      space = false;
      out.push(c);
    } else {
      out.push(c >= 0x41 && c <= 0x5a ? c | 0x20 : c);
      space = false;
    }
  }
  return String.fromCharCode(...out);
}

describe('t:cmdLine edge cases', () => {
  checkVectors('cmdLine', [
    ['a ^/b', 'a/b', 'a deleted byte between the space and the slash'],
    ['a\t"(b', 'a(b', 'the space to delete was written for a tab'],
    ['ab /', 'ab/', 'the space right before the slash'],
    ['x y', 'x y', 'a single space between kept bytes'],
    ['X \xc9 Y', 'x \xc9 y', 'high bytes are copied, ASCII lowercased'],
    [`${'A'.repeat(5000)} /x`, `${'a'.repeat(5000)}/x`, 'longer than the shared output buffer'],
    ['"', ''],
    [' ', ' '],
    ['/', '/'],
  ]);

  it('agrees with the plain definition on generated inputs', () => {
    const alphabet = ' ,;\t\r\n"\'\\^/(aZ\xc9\0';
    let x = 0x2545f491;
    for (let k = 0; k < 5000; k++) {
      let s = '';
      const len = k % 12;
      for (let i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        s += alphabet[(x >>> 0) % alphabet.length];
      }
      expect(transform('cmdLine', s)).toBe(model(s));
    }
  });
});
