import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { extractTar, readTar } from '../src';
import { writeTar } from './helpers/tar-writer';

describe('tar reader', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'crs-tar-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  const longName = `top/${'d'.repeat(80)}/${'e'.repeat(60)}/file.conf`;
  const paxName = `top/${'x'.repeat(120)}.data`;

  it('reads files, directories, ustar prefixes, PAX paths and skips global headers', () => {
    const archive = writeTar([
      { path: '', type: 'pax-global' },
      { path: 'top/', type: 'directory' },
      { path: 'top/a.txt', data: Buffer.from('hello\n') },
      { path: 'top/empty', data: Buffer.alloc(0) },
      { path: longName, data: Buffer.from('long') },
      { path: paxName, data: Buffer.alloc(1500, 0x41) },
      { path: 'top/link', type: 'symlink', linkTarget: '/etc/passwd' },
    ]);
    const entries = readTar(archive);
    expect(entries.map((e) => [e.path, e.type, e.data.length])).toEqual([
      ['top/', 'directory', 0],
      ['top/a.txt', 'file', 6],
      ['top/empty', 'file', 0],
      [longName, 'file', 4],
      [paxName, 'file', 1500],
      ['top/link', 'symlink', 0],
    ]);
    expect(entries[1]?.data.toString()).toBe('hello\n');
  });

  it('extracts with stripped components, never following links', () => {
    const archive = writeTar([
      { path: 'top/rules/x.conf', data: Buffer.from('SecRule') },
      { path: 'top/link', type: 'symlink', linkTarget: '/etc/passwd' },
    ]);
    expect(extractTar(archive, tmp, { stripComponents: 1 })).toEqual(['rules/x.conf']);
    expect(readFileSync(path.join(tmp, 'rules', 'x.conf'), 'utf8')).toBe('SecRule');
    expect(existsSync(path.join(tmp, 'link'))).toBe(false);
  });

  it('refuses paths that escape the destination', () => {
    expect(() => extractTar(writeTar([{ path: 'top/../../evil', data: Buffer.from('x') }]), tmp)).toThrow(/unsafe path/);
    expect(() => extractTar(writeTar([{ path: '/abs', data: Buffer.from('x') }]), tmp)).toThrow(/unsafe path/);
  });

  it('rejects corrupt and truncated archives instead of reading garbage', () => {
    const good = writeTar([{ path: 'a', data: Buffer.alloc(2000, 1) }]);
    const corrupt = Buffer.from(good);
    corrupt[10] = 0x7a;
    expect(() => readTar(corrupt)).toThrow(/checksum/);
    expect(() => readTar(good.subarray(0, 1024))).toThrow(/past the end/);
    expect(readTar(Buffer.alloc(0))).toEqual([]);
  });
});
