/**
 * Log write failures (a full disk, an unusable path) are reported once per cause, with the path and the errno,
 * and counted; writing again after the cause went away ends the outage.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppendFile } from '../../src';

describe('AppendFile failures', () => {
  it('a full disk (/dev/full: ENOSPC) is reported once, with the path and the errno, and every lost record counted', () => {
    const reports: string[] = [];
    const f = new AppendFile('/dev/full', 0o600, (m) => reports.push(m));
    for (let i = 0; i < 5; i++) expect(f.write(Buffer.from('record\n'))).toBe(false);
    f.close();
    expect(reports).toEqual(['cannot write to /dev/full: ENOSPC: no space left on device, write']);
    expect(f.failures).toBe(5);
    expect(f.failing).toBe(true);
    expect(f.lastError).toMatch(/ENOSPC/);
  });

  it('reports again when the cause changes, and the next success ends the outage', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-append-'));
    try {
      const file = path.join(dir, 'sub', 'audit.log');
      const reports: string[] = [];
      const f = new AppendFile(file, 0o600, (m) => reports.push(m));
      expect(reports).toEqual([`cannot open ${file}: ENOENT: no such file or directory, open '${file}'`]);
      expect(f.write(Buffer.from('x\n'))).toBe(false);
      expect(reports).toHaveLength(1);
      fs.mkdirSync(path.join(dir, 'sub'));
      // Reopening is attempted at most once a second.
      await new Promise((r) => setTimeout(r, 1100));
      expect(f.write(Buffer.from('ok\n'))).toBe(true);
      expect(f.failing).toBe(false);
      expect(f.lastError).toBeUndefined();
      expect(fs.readFileSync(file, 'utf8')).toBe('ok\n');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      f.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
