import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinChecks, formatters, isFormatName, lint } from '@rampart/lint';
import { parseArgs } from '../args';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../io';
import type { CliIo } from '../io';
import type { Command } from './types';

const help = `Usage: rampart lint [options] FILE...

Checks SecLang configuration files (Includes followed) and reports every problem with file:line:col.

Options:
  -f, --format FORMAT   text (default), json, sarif or github
      --stats           also print counts: files, directives, rules with ids, chained rules, @rx patterns
      --max-warnings N  exit 1 when there are more than N warnings (default: warnings do not fail)
      --disable CHECKS  comma-separated checks not to run, e.g. skip-after-target,unknown-rule-id
      --list-checks     list the checks with their severity and purpose
  -h, --help            show this help

Exit status: 0 no errors, 1 errors (or more warnings than --max-warnings), 2 bad usage or an unreadable file.
`;

/** Every file must be a readable regular file before linting starts: a typo is fatal, not a finding. */
function checkReadable(files: readonly string[]): void {
  for (const f of files) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(f);
      fs.accessSync(f, fs.constants.R_OK);
    } catch (e) {
      throw new UsageError(`cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (!stat.isFile()) throw new UsageError(`${f} is not a file`);
  }
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { options, positionals } = parseArgs(argv, [
    { name: 'format', short: 'f', takesValue: true },
    { name: 'stats', takesValue: false },
    { name: 'max-warnings', takesValue: true },
    { name: 'disable', takesValue: true },
    { name: 'list-checks', takesValue: false },
    { name: 'help', short: 'h', takesValue: false },
  ]);
  if (options.has('help')) {
    io.stdout(help);
    return EXIT_OK;
  }
  if (options.has('list-checks')) {
    const width = Math.max(...builtinChecks.map((c) => c.name.length));
    io.stdout(builtinChecks.map((c) => `${c.name.padEnd(width)}  ${c.meta.severity.padEnd(7)}  ${c.meta.docs}\n`).join(''));
    return EXIT_OK;
  }
  const disabled = new Set(((options.get('disable') as string | undefined) ?? '').split(',').map((n) => n.trim()).filter(Boolean));
  for (const name of disabled) {
    if (!builtinChecks.some((c) => c.name === name)) throw new UsageError(`unknown check '${name}' (see --list-checks)`);
  }
  const format = (options.get('format') as string | undefined) ?? 'text';
  if (!isFormatName(format)) throw new UsageError(`unknown format '${format}' (use text, json, sarif or github)`);
  const maxWarningsText = options.get('max-warnings') as string | undefined;
  const maxWarnings = maxWarningsText === undefined ? Infinity : Number(maxWarningsText);
  if (maxWarningsText !== undefined && !/^[0-9]+$/.test(maxWarningsText)) {
    throw new UsageError(`--max-warnings takes a non-negative integer, not '${maxWarningsText}'`);
  }
  if (positionals.length === 0) throw new UsageError('no files to lint');
  const files = positionals.map((f) => path.resolve(io.cwd, f));
  checkReadable(files);
  const result = lint(files, { checks: builtinChecks.filter((c) => !disabled.has(c.name)) });
  const stats = options.has('stats') ? result.stats : undefined;
  io.stdout(formatters[format](result.diagnostics, stats === undefined ? { cwd: io.cwd } : { cwd: io.cwd, stats }));
  // As ESLint: errors fail the run, warnings only past --max-warnings.
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.length - errors;
  return errors > 0 || warnings > maxWarnings ? EXIT_FINDINGS : EXIT_OK;
}

export const lintCommand: Command = {
  name: 'lint',
  summary: 'check SecLang rule files and report every problem',
  help,
  run,
};
