import { findTransformation } from '../../src/transformations';
import { checkVectors } from './vectors';

checkVectors('normalizePathWin', [
  ['', ''],
  ['\\foo\\bar\\baz', '/foo/bar/baz'],
  ['\\foo\\bar\0\\baz', '/foo/bar\0/baz'],
  ['x', 'x'],
  ['.', ''],
  ['.\\', ''],
  ['.\\..', '..'],
  ['.\\..\\', '../'],
  ['..', '..'],
  ['..\\', '../', 'backslashes are written as /'],
  ['..\\.', '..'],
  ['..\\.\\', '../'],
  ['..\\..', '../..'],
  ['..\\..\\', '../../'],
  ['\\dir\\foo\\\\bar', '/dir/foo/bar'],
  ['dir\\foo\\\\bar\\', 'dir/foo/bar/'],
  ['dir\\..\\foo', 'foo'],
  ['dir\\..\\..\\foo', '../foo'],
  ['dir\\.\\..\\.\\..\\..\\foo\\bar', '../../foo/bar'],
  ['dir\\.\\..\\.\\..\\..\\foo\\bar\\.', '../../foo/bar'],
  ['dir\\.\\..\\.\\..\\..\\foo\\bar\\.\\', '../../foo/bar/'],
  ['dir\\.\\..\\.\\..\\..\\foo\\bar\\..', '../../foo'],
  ['dir\\.\\..\\.\\..\\..\\foo\\bar\\..\\', '../../foo/'],
  ['dir\\\\.\\\\..\\\\.\\\\..\\\\..\\\\foo\\\\bar', '../../foo/bar'],
  ['dir\\\\.\\\\..\\\\.\\\\..\\\\..\\\\foo\\\\bar\\\\', '../../foo/bar/'],
  ['dir\\subdir\\subsubdir\\subsubsubdir\\..\\..\\..', 'dir'],
  ['\\dir\\.\\subdir\\..\\subsubdir\\..\\subsubsubdir\\..\\', '/dir/'],
  ['\\.\\..\\.\\..\\..\\..\\..\\..\\..\\..\\\\0\\..\\etc\\.\\passwd', '/etc/passwd'],
  ['c:\\windows\\..\\boot.ini', 'c:/boot.ini'],
  ['a/b\\../c', 'a/c', 'mixed separators'],
]);

describe('t:normalisePathWin', () => {
  it('is the British spelling of normalizePathWin', () => {
    expect(findTransformation('normalisePathWin')).toBe(findTransformation('normalizePathWin'));
  });
});
