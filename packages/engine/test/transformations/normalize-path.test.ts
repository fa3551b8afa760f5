import { checkVectors } from './vectors';

checkVectors('normalizePath', [
  ['', ''],
  ['/foo/bar/baz', '/foo/bar/baz'],
  ['/foo/bar\0/baz', '/foo/bar\0/baz'],
  ['x', 'x'],
  ['.', ''],
  ['./', ''],
  ['./..', '..'],
  ['./../', '../'],
  ['..', '..'],
  ['../', '../'],
  ['../.', '..'],
  ['.././', '../'],
  ['../..', '../..'],
  ['../../', '../../'],
  ['/dir/foo//bar', '/dir/foo/bar'],
  ['dir/foo//bar/', 'dir/foo/bar/'],
  ['dir/../foo', 'foo'],
  ['dir/../../foo', '../foo', 'leading ../ of a relative path is kept'],
  ['dir/./.././../../foo/bar', '../../foo/bar'],
  ['dir/./.././../../foo/bar/.', '../../foo/bar', 'trailing /. leaves no slash'],
  ['dir/./.././../../foo/bar/./', '../../foo/bar/'],
  ['dir/./.././../../foo/bar/..', '../../foo', 'trailing /.. leaves no slash'],
  ['dir/./.././../../foo/bar/../', '../../foo/'],
  ['dir/./.././../../foo/bar/', '../../foo/bar/'],
  ['dir//.//..//.//..//..//foo//bar', '../../foo/bar'],
  ['dir//.//..//.//..//..//foo//bar//', '../../foo/bar/'],
  ['dir/subdir/subsubdir/subsubsubdir/../../..', 'dir'],
  ['dir/./subdir/./subsubdir/./subsubsubdir/../../..', 'dir'],
  ['dir/./subdir/../subsubdir/../subsubsubdir/..', 'dir'],
  ['/dir/./subdir/../subsubdir/../subsubsubdir/../', '/dir/'],
  ['/./.././../../../../../../\0/../etc/./passwd', '/etc/passwd', 'an absolute path never climbs above /'],
  ['/..', '', 'ModSecurity keeps the root on a final .. and then drops it as a trailing slash'],
  ['/a/..', ''],
  ['/a/../', '/'],
  ['/.', ''],
  ['a/.', 'a'],
  ['a/b.', 'a/b.'],
  ['...', '...'],
  ['a/.../b', 'a/b', 'ModSecurity quirk: a "..." segment backs up like ".."'],
  ['/../etc', '/etc'],
  ['/', '/'],
  ['//', '/'],
  ['a/b\\..\\c', 'a/b\\..\\c', 'backslashes are not separators'],
  ['/\xe9/./\xff/..', '/\xe9'],
]);

describe('normalizePath without a separator', () => {
  const { transform } = require('../../src') as typeof import('../../src');
  test('one segment is kept as it is unless it ends with a dot (ModSecurity resolves a final . or ..)', () => {
    let seed = 5;
    const alphabet = 'ab.x-_ 1\xe9\\';
    for (let n = 0; n < 2000; n++) {
      let s = '';
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const len = 1 + (seed % 9);
      for (let i = 0; i < len; i++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        s += alphabet[(seed >>> 4) % alphabet.length];
      }
      if (!s.endsWith('.')) expect([s, transform('normalizePath', s)]).toEqual([s, s]);
    }
    expect(transform('normalizePath', 'x.yy..')).toBe('');
    expect(transform('normalizePath', 'john.smith')).toBe('john.smith');
  });
});
