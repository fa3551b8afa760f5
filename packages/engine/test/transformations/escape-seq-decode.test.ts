import { checkVectors } from './vectors';

checkVectors('escapeSeqDecode', [
  ['', ''],
  ['TestCase', 'TestCase'],
  ['Test\0Case', 'Test\0Case'],
  ['\\a\\b\\f\\n\\r\\t\\v\\?\\\'\\"\\0\\12\\123\\x00\\xff', '\x07\b\f\n\r\t\v?\'"\0\nS\0\xff'],
  ['\\a\\b\\f\\n\\r\\t\\v\0\\?\\\'\\"\\0\\12\\123\\x00\\xff', '\x07\b\f\n\r\t\v\0?\'"\0\nS\0\xff'],
  ['\\8\\9\\666\\xag\\xga\\0123', '89\xb6xagxga\n3', 'octal modulo 256; invalid escapes drop the backslash'],
  ['\\x', 'x'],
  ['\\x\\x0', 'xx0'],
  ['\\x\\x0\0', 'xx0\0'],
  ['\\0', '\0'],
  ['\\01', '\x01'],
  ['\\012', '\n'],
  ['\\', '\\', 'a backslash at the end is kept'],
  ['\\\\0', '\\0'],
  ['\\X41\\x4a', 'AJ', 'both \\x and \\X'],
  ['\\u0041\\z', 'u0041z', 'no \\u escapes'],
  ['a\xe9\\x3c', 'a\xe9<', 'bytes >= 0x80 pass through'],
]);
