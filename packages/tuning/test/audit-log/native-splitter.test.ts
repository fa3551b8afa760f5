import * as fs from 'node:fs';
import * as path from 'node:path';
import { splitNativeLog } from '@rampart/engine';
import { NativeSplitter, requestFromRaw } from '../../src';
import { auditingWaf, runRequest, tempDir } from '../helpers';

function logText(layout: 'v3' | 'v2'): string {
  const file = path.join(tempDir(), 'a.log');
  const waf = auditingWaf(file, 'Native', layout);
  for (let i = 0; i < 3; i++) runRequest(waf, requestFromRaw(`POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 16\r\n\r\na=union select ${i}`), `t${i}`);
  waf.close();
  return fs.readFileSync(file, 'latin1');
}

describe('NativeSplitter', () => {
  it.each(['v3', 'v2'] as const)('cuts a %s log into the same records whatever the chunk size', (layout) => {
    const text = logText(layout);
    const expected = splitNativeLog(text).records.map((r) => r.replace(/\n+$/, ''));
    expect(expected.length).toBe(3);
    for (const size of [1, 2, 17, 64, 1000, text.length]) {
      const records: string[] = [];
      const garbage: string[] = [];
      const s = new NativeSplitter((r) => records.push(r), (g) => garbage.push(g));
      for (let i = 0; i < text.length; i += size) s.push(text.slice(i, i + size));
      s.end();
      expect(garbage).toEqual([]);
      expect(records.map((r) => r.replace(/\n+$/, ''))).toEqual(expected);
    }
  });

  it('hands over an unfinished record at the end as garbage', () => {
    const text = logText('v3');
    const records: string[] = [];
    const garbage: string[] = [];
    const s = new NativeSplitter((r) => records.push(r), (g) => garbage.push(g));
    s.push(text.slice(0, text.length - 30));
    s.end();
    expect(records.length).toBe(2);
    expect(garbage.length).toBe(1);
  });
});
