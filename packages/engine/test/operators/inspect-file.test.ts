import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileAsyncOperator, compileOperator, OperatorCompileError } from '../../src/operators';

const dir = mkdtempSync(join(tmpdir(), 'rampart-inspect-'));
function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}
const clean = script('clean.sh', 'echo "1 clean"');
const virus = script('virus.sh', 'echo "0 infected: $1"');
const echoArg = script('echo-arg.sh', 'case "$1" in *evil*) echo "0 bad";; *) echo "1 ok";; esac');
const short = script('short.sh', 'printf 0');
const failing = script('failing.sh', 'echo "0 scanner error"; exit 3');
const slow = script('slow.sh', 'sleep 5; echo 0 late');

const allow = (extra: Record<string, unknown> = {}) => ({
  options: { allowBacktrackingRegex: true, allowInspectFile: true, ...extra },
});

describe('@inspectFile', () => {
  it('is refused unless allowInspectFile is set', () => {
    expect(() => compileAsyncOperator('inspectFile', clean)).toThrow(OperatorCompileError);
    expect(() => compileAsyncOperator('inspectFile', clean)).toThrow(/allowInspectFile: true/);
  });

  it('matches when the output does not start with 1 (ModSecurity convention)', async () => {
    await expect(compileAsyncOperator('inspectFile', clean, allow())('/tmp/upload-1')).resolves.toBe(false);
    await expect(compileAsyncOperator('inspectFile', virus, allow())('/tmp/upload-1')).resolves.toBe(true);
    // ModSecurity needs more than one character of output to call it a match.
    await expect(compileAsyncOperator('inspectFile', short, allow())('/tmp/x')).resolves.toBe(false);
    // The exit status does not matter, the output does.
    await expect(compileAsyncOperator('inspectFile', failing, allow())('/tmp/x')).resolves.toBe(true);
  });

  it('passes the value as one argument, without a shell', async () => {
    const m = compileAsyncOperator('inspectFile', echoArg, allow());
    await expect(m('/tmp/evil file; rm -rf /')).resolves.toBe(true);
    await expect(m('/tmp/good $(touch /tmp/pwned)')).resolves.toBe(false);
  });

  it('resolves the program relative to the rule file', async () => {
    const m = compileAsyncOperator('inspectFile', 'virus.sh', { ...allow(), baseDir: dir });
    await expect(m('/tmp/x')).resolves.toBe(true);
  });

  it('does not match when the program times out or cannot start', async () => {
    const start = Date.now();
    await expect(compileAsyncOperator('inspectFile', slow, allow({ inspectFileTimeoutMs: 100 }))('/tmp/x')).resolves.toBe(false);
    expect(Date.now() - start).toBeLessThan(3000);
    await expect(compileAsyncOperator('inspectFile', join(dir, 'missing.sh'), allow())('/tmp/x')).resolves.toBe(false);
  });

  it('refuses Lua scripts and a missing program; is asynchronous', () => {
    expect(() => compileAsyncOperator('inspectFile', 'scan.lua', allow())).toThrow(/Lua/);
    expect(() => compileAsyncOperator('inspectFile', '', allow())).toThrow(/needs a program/);
    expect(() => compileOperator('inspectFile', clean, allow())).toThrow(/asynchronous/);
  });
});
