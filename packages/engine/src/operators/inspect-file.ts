import { execFile } from 'node:child_process';
import { defineOperator } from './types';
import { OperatorCompileError } from './errors';

const DEFAULT_TIMEOUT_MS = 10_000;
/** Only the first bytes of the program's answer matter; more is discarded. */
const MAX_OUTPUT = 64 * 1024;

/**
 * Runs an external program with the input (usually the path of an uploaded file, from FILES_TMPNAMES) as its
 * last argument. Matches when the program's output is longer than one character and does not start with `1`
 * (ModSecurity's convention: `1 clean` means no match). Only available when the WAF is created with
 * `allowInspectFile: true`; the program runs without a shell, with a timeout (no match when it expires or
 * cannot start). Lua scripts are not supported. Asynchronous.
 * @example SecRule FILES_TMPNAMES "@inspectFile /usr/local/bin/av-scan.sh" "id:175,phase:2,deny"
 */
export const inspectFile = defineOperator({
  name: 'inspectFile',
  async: true,
  compile(argument, ctx) {
    if (!ctx.options.allowInspectFile) {
      throw new OperatorCompileError(
        'missing-configuration',
        '@inspectFile runs an external program for every value and is disabled: create the WAF with ' +
          'allowInspectFile: true to allow it',
      );
    }
    const words = argument.text.trim().split(/\s+/).filter((w) => w !== '');
    const first = words[0];
    if (first === undefined) throw new OperatorCompileError('bad-argument', '@inspectFile needs a program to run');
    if (/\.lua$/i.test(first)) {
      throw new OperatorCompileError('unsupported-operator', '@inspectFile with a Lua script is not supported (no Lua engine)');
    }
    const program = ctx.resolvePath ? ctx.resolvePath(first) : first;
    const args = words.slice(1);
    const timeout = ctx.options.inspectFileTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    return (input) =>
      new Promise<boolean>((resolve) => {
        try {
          execFile(
            program,
            [...args, input],
            { timeout, maxBuffer: MAX_OUTPUT, encoding: 'latin1', windowsHide: true },
            (error, stdout) => {
              if (error && (error.killed || typeof error.code === 'string')) {
                // Timed out, could not start, or flooded its output: no verdict, so no match.
                resolve(false);
                return;
              }
              resolve(stdout.length > 1 && stdout[0] !== '1');
            },
          );
        } catch {
          resolve(false);
        }
      });
  },
});
