/**
 * Files the configuration reads: only regular files under a size limit (Include /dev/zero grew to 24 GB), and
 * a file that is not SecLang is named, never quoted (an `Include /etc/shadow` printed its first lines).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigFileError, parse, parseFile, readConfigFile, readConfigFileBytes } from '../src';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-cfgfile-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text, 'latin1');
  return p;
}

const SHADOW = 'root:$6$saltsalt$Zm9vYmFyc2VjcmV0aGFzaA:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n';

describe('readConfigFile', () => {
  it('reads a regular file as latin1', () => {
    const p = path.join(dir, 'a.conf');
    fs.writeFileSync(p, Buffer.from([0x53, 0x65, 0x63, 0xe9]));
    expect(readConfigFile(p)).toBe('Sec\u00e9');
  });

  it.each(['/dev/zero', '/dev/urandom', '/dev/null'])('refuses %s: not a regular file', (dev) => {
    expect(() => readConfigFile(dev)).toThrow(ConfigFileError);
    expect(() => readConfigFile(dev)).toThrow(/a character device, not a regular file/);
  });

  it('refuses a directory and a named pipe without blocking on it', () => {
    expect(() => readConfigFile(dir)).toThrow(/a directory, not a regular file/);
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(() => readConfigFile(fifo)).toThrow(/a named pipe, not a regular file/);
  });

  it('refuses a file over the limit, naming the limit', () => {
    const p = write('big.data', 'x'.repeat(2000));
    expect(readConfigFile(p, 2000)).toHaveLength(2000);
    let err: unknown;
    try {
      readConfigFile(p, 1999);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigFileError);
    expect((err as ConfigFileError).code).toBe('too-large');
    expect((err as Error).message).toMatch(/2000 bytes, over the limit of 1999 bytes/);
  });

  it('bounds the read even when stat reports size 0 (/proc files)', () => {
    const text = readConfigFileBytes('/proc/self/status', 1 << 20).toString('latin1');
    expect(text).toMatch(/^Name:/);
    expect(() => readConfigFileBytes('/proc/self/status', 10)).toThrow(/more than 10 bytes, over the limit of 10 bytes/);
  });

  it('follows symbolic links to regular files (CRS installs use them) but not to devices', () => {
    const target = write('real.conf', 'SecRuleEngine On\n');
    fs.symlinkSync(target, path.join(dir, 'link.conf'));
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.conf'));
    expect(readConfigFile(path.join(dir, 'link.conf'))).toBe('SecRuleEngine On\n');
    expect(() => readConfigFile(path.join(dir, 'zero.conf'))).toThrow(/character device/);
  });
});

describe('Include of files that are not SecLang', () => {
  it('Include /dev/zero is an error at the Include, not an endless read', () => {
    const main = write('main.conf', 'SecRuleEngine On\nInclude /dev/zero\n');
    const r = parseFile(main);
    expect(r.diagnostics.map((d) => [d.code, d.loc.line, d.message])).toEqual([['include-missing', 2, 'Include: cannot read /dev/zero: a character device, not a regular file']]);
  });

  it('a file over maxFileBytes is refused with the limit in the message', () => {
    write('rules.conf', `SecRuleEngine On\n${'# padding\n'.repeat(100)}`);
    const main = write('main.conf', 'Include rules.conf\n');
    const r = parseFile(main, { maxFileBytes: 500 });
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.message).toMatch(/rules\.conf: 1017 bytes, over the limit of 500 bytes/);
  });

  it('names an included non-SecLang file without printing any of it', () => {
    const shadow = write('shadow', SHADOW);
    const main = write('main.conf', `SecRuleEngine On\nInclude ${shadow}\nSecRule ARGZ "@rx x" "id:1,phase:1,deny"\n`);
    const r = parseFile(main);
    const text = JSON.stringify(r.diagnostics);
    expect(text).not.toMatch(/root|\$6\$|daemon|19000/);
    // The including file's own diagnostics come first, then those of what it includes.
    expect(r.diagnostics.map((d) => [d.code, path.basename(d.loc.file), d.loc.line])).toEqual([
      ['unknown-variable', 'main.conf', 3],
      ['not-seclang', 'main.conf', 2],
    ]);
    expect(r.diagnostics[1]!.message).toBe(`Include: ${shadow} is not a SecLang file (line 1 does not start with a directive ModSecurity knows); its content is not shown`);
    // The user's own text is still quoted.
    expect(r.diagnostics[0]!.message).toMatch(/ARGZ/);
  });

  it('does the same for the entry file, and for binary data with no directive', () => {
    const shadow = write('shadow', SHADOW);
    expect(parseFile(shadow).diagnostics.map((d) => [d.code, d.message])).toEqual([['not-seclang', `${shadow} is not a SecLang file (line 1 does not start with a directive ModSecurity knows); its content is not shown`]]);
    const key = write('key.conf', '"\u0001\u0002 secret-bytes \\');
    const r = parseFile(key);
    expect(JSON.stringify(r.diagnostics)).not.toMatch(/secret/);
  });

  it('quotes inline SecLang text as before (the user wrote it)', () => {
    const r = parse('SecRuleEngin On\n');
    expect(r.diagnostics[0]!.message).toMatch(/SecRuleEngin/);
  });
});
