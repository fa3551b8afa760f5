import { checkVectors } from './vectors';

checkVectors('compressWhitespace', [
  ['', ''],
  ['TestCase', 'TestCase'],
  ['Test\0Case', 'Test\0Case', 'NUL is not whitespace'],
  ['Test Case', 'Test Case'],
  ['  Test  \t   Case  ', ' Test Case '],
  [
    'This is a   test case with a tab \t, vtab \x0b, newline \n, return \r, formfeed \f, and a NUL\0 in it with a CRLF at the end.\r\n',
    'This is a test case with a tab , vtab , newline , return , formfeed , and a NUL\0 in it with a CRLF at the end. ',
  ],
  ['\t', ' '],
  ['a\xa0\xa0b', 'a\xa0\xa0b', 'NBSP is not whitespace in ModSecurity v3'],
]);
