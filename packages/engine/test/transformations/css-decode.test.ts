import { checkVectors } from './vectors';

checkVectors('cssDecode', [
  ['', ''],
  ['TestCase', 'TestCase'],
  ['Test\0Case', 'Test\0Case'],
  [
    'test\\a\\b\\f\\n\\r\\t\\v\\?\\\'\\"\\0\\12\\123\\1234\\12345\\123456\\ff01\\ff5e\\\n\\0  string',
    'test\n\x0b\x0fnrtv?\'"\0\x12#4EV!~\0 string',
    'hex escapes use the last two digits; one space after an escape is swallowed',
  ],
  ['test\\', 'test', 'a backslash at the end is dropped'],
  ['\\1A\\1 A\\1234567\\123456 7\\1x\\1 x', '\x1a\x01AV7V7\x01x\x01x'],
  ['\\3c script', '<script', 'only one whitespace is swallowed... here the one after the escape'],
  ['\\3c\tx\\3c\nx\\3c\fx', '<x<x<x', 'any C whitespace is swallowed'],
  ['\\0ff01\\00ff5e', '!~', 'five/six digits with leading zeros are folded too'],
  ['\\1ff01\\10ff01', '\x01\x01', 'five/six digits without leading zeros are not'],
  ['\\ff00\\ff5f\\FF3C', '\x00\x5f\\', 'fold range FF01-FF5E, either case'],
  ['a\\\nb', 'ab', 'backslash-newline is a line continuation'],
  ['\\g\\\\\\(', 'g\\(', 'other escaped bytes stand for themselves'],
  ['\\e9\xe9', '\xe9\xe9', 'bytes >= 0x80'],
]);
