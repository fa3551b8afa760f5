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
