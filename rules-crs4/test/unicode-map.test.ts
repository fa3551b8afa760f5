import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createWaf } from '@rampart/engine';
import { crsConfig, UNICODE_MAP_FILE } from '../src';

const SHARED = path.resolve(__dirname, '..', '..', '..', 'shared');

/** The code page's section of a unicode.mapping text: its header line and its pairs. */
function section(text: string, codePage: string): string {
  const lines = text.replace(/\r/g, '').split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${codePage} `));
  const end = lines.findIndex((l, i) => i > start && l === '');
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

function verdict(directives: string, baseDir: string, uri: string): number | undefined {
  const waf = createWaf({ directives, baseDir, onWarning: () => undefined });
  const tx = waf.newTransaction({ id: 't' });
  tx.processConnection('10.0.0.1', 40000, '10.0.0.2', 80);
  tx.processUri(uri, 'GET', 'HTTP/1.1');
  for (const [k, v] of [['Host', 'example.com'], ['User-Agent', 'curl/8.0'], ['Accept', '*/*']] as const) tx.addRequestHeader(k, v);
  return (tx.processRequestHeaders() ?? tx.processRequestBody())?.status;
}

describe('the shipped code page 20127 table', () => {
  it('is the 20127 section of ModSecurity\'s unicode.mapping', () => {
    const reference = path.join(SHARED, 'modsecurity', 'unicode.mapping');
    expect(existsSync(reference)).toBe(true);
    expect(section(readFileSync(UNICODE_MAP_FILE, 'latin1'), '20127')).toBe(section(readFileSync(reference, 'latin1'), '20127'));
  });

  it('makes CRS 4 at PL1 catch SQL injection written with typographic quotes (%u2019 and UTF-8)', () => {
    const on = crsConfig({ profile: 'pl1', crsDir: path.join(SHARED, 'crs4') });
    const off = crsConfig({ profile: 'pl1', crsDir: path.join(SHARED, 'crs4'), unicodeMapFile: false });
    for (const uri of ['/?id=%u2019%20OR%20%u20191%u2019=%u20191', '/?id=%E2%80%99%20OR%20%E2%80%991%E2%80%99=%E2%80%991']) {
      expect(verdict(on.directives, on.baseDir, uri)).toBe(403);
      expect(verdict(off.directives, off.baseDir, uri)).toBeUndefined();
    }
  });
});
