import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileOperator, findOperator } from '../../src/operators';

const dir = mkdtempSync(join(tmpdir(), 'rampart-ipf-'));
writeFileSync(join(dir, 'ips.txt'), '# blocked\n192.168.0.0/16\n\n10.1.2.3\r\n  # more\n2001:db8::/32, 172.16.0.1\n');
writeFileSync(join(dir, 'bad.txt'), '1.2.3.4\nnot-an-ip\n');
writeFileSync(join(dir, 'empty.txt'), '# none\n');

describe('@ipMatchFromFile', () => {
  it('reads one entry per line with comments and blank lines', () => {
    const m = compileOperator('ipMatchFromFile', 'ips.txt', { baseDir: dir });
    expect(m('192.168.44.1')).toBe(true);
    expect(m('10.1.2.3')).toBe(true);
    expect(m('10.1.2.4')).toBe(false);
    expect(m('2001:db8:1::1')).toBe(true);
    expect(m('172.16.0.1')).toBe(true);
    expect(m('')).toBe(false);
  });

  it('is also known as @ipMatchF', () => {
    expect(findOperator('ipmatchf')?.name).toBe('ipMatchFromFile');
    expect(compileOperator('ipMatchF', 'ips.txt', { baseDir: dir })('192.168.0.1')).toBe(true);
  });

  it('reports the bad line by number without quoting it, and missing files', () => {
    expect(() => compileOperator('ipMatchFromFile', 'bad.txt', { baseDir: dir })).toThrow('@ipMatchFromFile: bad.txt line 2: not an IPv4 or IPv6 address or network (the line is not shown)');
    expect(() => compileOperator('ipMatchFromFile', 'bad.txt', { baseDir: dir })).not.toThrow(/not-an-ip/);
    expect(() => compileOperator('ipMatchFromFile', 'nope.txt', { baseDir: dir })).toThrow(/cannot read data file nope.txt/);
  });

  it('warns about an empty list', () => {
    const warnings: string[] = [];
    const m = compileOperator('ipMatchFromFile', 'empty.txt', { baseDir: dir, onWarning: (w) => warnings.push(w) });
    expect(m('1.2.3.4')).toBe(false);
    expect(warnings[0]).toMatch(/no address/);
  });
});
