import { checkVectors } from './vectors';

checkVectors('jsDecode', [
  ['', ''],
  ['TestCase', 'TestCase'],
  ['Test\0Case', 'Test\0Case'],
  ['\\a\\b\\f\\n\\r\\t\\v\\?\\\'\\"\\0\\12\\123\\x00\\xff\\u0021\\uff01', '\x07\b\f\n\r\t\v?\'"\0\nS\0\xff!!'],
  ['\\a\\b\\f\\n\\r\\t\\v\0\\?\\\'\\"\\0\\12\\123\\x00\\xff\\u0021\\uff01', '\x07\b\f\n\r\t\v\0?\'"\0\nS\0\xff!!'],
  [
    '\\8\\9\\666\\u00ag\\u00ga\\u0zaa\\uz0aa\\xag\\xga\\0123\\u00a',
    '8966u00agu00gau0zaauz0aaxagxga\n3u00a',
    'octal stops before overflowing a byte; invalid \\u and \\x drop the backslash',
  ],
  ['\\x', 'x'],
  ['\\x\\x0', 'xx0'],
  ['\\x\\x0\0', 'xx0\0'],
  ['\\u', 'u'],
  ['\\u\\u0', 'uu0'],
  ['\\u\\u0\\u01', 'uu0u01'],
  ['\\u\\u0\\u01\\u012', 'uu0u01u012'],
  ['\\u\\u0\\u01\\u012\0', 'uu0u01u012\0'],
  ['\\', '\\', 'a backslash at the end is kept'],
  ['\\\\0', '\\0'],
  ['\\u003c\\u0441\\u4e2d', '<A-', 'ONE byte per \\uHHHH: the low byte'],
  ['\\uFF1C\\uFf3e\\uff00\\uff5f', '<^\x00\x5f', 'full-width fold only for FF01-FF5E'],
  ['\\U0041\\X41', 'U0041X41', 'only lowercase u and x are escapes'],
  ['\\377\\400', '\xff 0', '\\377 is the largest three-digit octal'],
  ['a\xe9\\x3cb', 'a\xe9<b', 'bytes >= 0x80 pass through'],
]);
