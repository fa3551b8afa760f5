/**
 * Every file a configuration reads is a regular file under the size limit: `@pmFromFile`, `@ipMatchFromFile`
 * and SecUnicodeMapFile on /dev/zero or /dev/urandom grew 140-270 MB/s until memory ran out, and a data file
 * that is not the list it was meant to be must not be quoted in the error.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigLoadError, createWaf } from '../../src';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-engine-files-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function loadErrors(directives: string, maxFileBytes?: number): string[] {
  try {
    createWaf({ directives, baseDir: dir, onWarning: () => undefined, ...(maxFileBytes !== undefined ? { maxFileBytes } : {}) });
  } catch (e) {
    if (e instanceof ConfigLoadError) return e.problems.map((p) => `${p.loc ? `${path.basename(p.loc.file)}:${p.loc.line}: ` : ''}${p.message}`);
    throw e;
  }
  return [];
}

describe('files named by the configuration', () => {
  it.each([
    ['@pmFromFile', 'SecRule ARGS "@pmFromFile /dev/zero" "id:1,phase:2,deny"'],
    ['@ipMatchFromFile', 'SecRule REMOTE_ADDR "@ipMatchFromFile /dev/urandom" "id:1,phase:1,deny"'],
    ['SecUnicodeMapFile', 'SecUnicodeMapFile /dev/zero 20127'],
    ['Include', 'Include /dev/zero'],
  ])('%s on a device is a load error, not an endless read', (_what, directive) => {
    const errors = loadErrors(`SecRuleEngine On\n${directive}\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^<directives>:2: .*\/dev\/(zero|urandom).*a character device, not a regular file/);
  });

  it('refuses a data file over maxFileBytes and names the limit', () => {
    fs.writeFileSync(path.join(dir, 'words.data'), 'attack\n'.repeat(100));
    expect(loadErrors('SecRule ARGS "@pmFromFile words.data" "id:1,phase:2,deny"', 700)).toEqual([]);
    const errors = loadErrors('SecRule ARGS "@pmFromFile words.data" "id:1,phase:2,deny"', 699);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/@pmFromFile: cannot read data file '.*words\.data': 700 bytes, over the limit of 699 bytes/);
  });

  it('names a bad @ipMatchFromFile line without printing it', () => {
    fs.writeFileSync(path.join(dir, 'shadow'), 'root:$6$saltsalt$c2VjcmV0:19000:0:99999:7:::\n');
    const errors = loadErrors('SecRule REMOTE_ADDR "@ipMatchFromFile shadow" "id:1,phase:1,deny"');
    expect(errors).toEqual(['<directives>:1: @ipMatchFromFile: shadow line 1: not an IPv4 or IPv6 address or network (the line is not shown)']);
  });

  it('still loads the real files: the recommended unicode map and CRS data files', () => {
    const shared = path.resolve(__dirname, '../../../../../shared');
    const waf = createWaf({
      directives: `SecUnicodeMapFile ${shared}/modsecurity/unicode.mapping 20127\nSecRule ARGS "@pmFromFile ${shared}/crs4/rules/lfi-os-files.data" "id:1,phase:2,deny"\n`,
      onWarning: () => undefined,
    });
    expect(waf.ruleCount).toBe(1);
    expect(waf.settings.unicodeMap).toBeDefined();
  });
});
