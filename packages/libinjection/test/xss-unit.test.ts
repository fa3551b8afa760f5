import * as path from 'node:path';
import { detectXss, Html5Tokenizer } from '../src';
import { DATA_DIR, listUnitFiles, readUnitFile, rtrim } from './unit-file';

function printHtml5(input: string): string {
  const h = new Html5Tokenizer(input, 'data');
  const out: string[] = [];
  while (h.next()) out.push(`${h.tokenType},${h.tokenLen},${h.tokenValue()}`);
  return rtrim(out.join('\n'));
}

const upstream = listUnitFiles(path.join(DATA_DIR, 'tests')).filter((f) => path.basename(f).startsWith('test-html5-'));
const coraza = listUnitFiles(path.join(DATA_DIR, 'tests-coraza')).filter((f) => /^test-(html5|xss)-/.test(path.basename(f)));

describe('HTML5 tokenizer and XSS unit tests', () => {
  it('finds 63 upstream html5 files and 12 Coraza html5/xss files', () => {
    expect(upstream).toHaveLength(63);
    expect(coraza).toHaveLength(12);
  });
  it.each([...upstream, ...coraza].map((f) => [path.basename(f), f]))('%s', (name, file) => {
    const t = readUnitFile(file);
    const actual = name.startsWith('test-xss-') ? (detectXss(t.input) ? '1' : '0') : printHtml5(t.input);
    expect(actual).toBe(t.expected);
  });
});
