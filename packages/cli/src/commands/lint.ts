import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROFILES, builtinChecks, fixUntilStable, formatters, inProfile, isFormatName, lint, startLanguageServer } from '@rampart/lint';
import type { Check, LintSettings, Profile } from '@rampart/lint';
import { parseArgs } from '../args';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../io';
import type { CliIo } from '../io';
import type { Command } from './types';

const help = `Usage: rampart lint [options] FILE...
       rampart lint --lsp [--profile P]

Checks SecLang configuration files (Includes followed) and reports every problem with file:line:col. The
engine's own compiler runs over the files: whatever it refuses to load is an error here, in its words.

Options:
  -p, --profile PROFILE generic (default): what is wrong in any rule set;
                        crs: also the OWASP CRS project's consistency rules (crs-linter's checks)
      --fix             rewrite the files to fix what can be fixed mechanically (name case, action order,
                        layout), then report what is left
  -f, --format FORMAT   text (default), json, sarif or github
      --stats           also print counts: files, directives, rules with ids, chained rules, @rx patterns
      --max-warnings N  exit 1 when there are more than N warnings (default: warnings do not fail)
      --disable CHECKS  comma-separated checks not to run, e.g. skip-after-target,unknown-rule-id
      --crs-version V   the CRS version rules must carry in ver: (default: SecComponentSignature's)
      --crs-tests DIR   CRS's go-ftw tests (default: tests/regression/tests next to the rules directory)
      --crs-approved-tags FILE
                        CRS's util/APPROVED_TAGS (default: util/APPROVED_TAGS next to the rules directory)
      --list-checks     list the checks with their severity, profiles and purpose
      --lsp             run as a language server on standard input and output (for editors)
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

function listChecks(io: CliIo): number {
  const width = Math.max(...builtinChecks.map((c) => c.name.length));
  io.stdout(
    builtinChecks
      .map((c) => `${c.name.padEnd(width)}  ${c.meta.severity.padEnd(7)}  ${(c.meta.profiles ?? PROFILES).join(',').padEnd(11)}  ${c.meta.fixable === true ? 'fix' : '   '}  ${c.meta.docs}\n`)
      .join(''),
  );
  return EXIT_OK;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { options, positionals } = parseArgs(argv, [
    { name: 'profile', short: 'p', takesValue: true },
    { name: 'fix', takesValue: false },
    { name: 'format', short: 'f', takesValue: true },
    { name: 'stats', takesValue: false },
    { name: 'max-warnings', takesValue: true },
    { name: 'disable', takesValue: true },
    { name: 'crs-version', takesValue: true },
    { name: 'crs-tests', takesValue: true },
    { name: 'crs-approved-tags', takesValue: true },
    { name: 'list-checks', takesValue: false },
    { name: 'lsp', takesValue: false },
    { name: 'help', short: 'h', takesValue: false },
  ]);
  if (options.has('help')) {
    io.stdout(help);
    return EXIT_OK;
  }
  if (options.has('list-checks')) return listChecks(io);
  const profileText = (options.get('profile') as string | undefined) ?? 'generic';
  if (!(PROFILES as readonly string[]).includes(profileText)) throw new UsageError(`unknown profile '${profileText}' (use ${PROFILES.join(' or ')})`);
  const profile = profileText as Profile;
  const settings: LintSettings = {};
  const crsVersion = options.get('crs-version') as string | undefined;
  if (crsVersion !== undefined) settings.crsVersion = crsVersion;
  const crsTests = options.get('crs-tests') as string | undefined;
  if (crsTests !== undefined) settings.crsTestsDir = path.resolve(io.cwd, crsTests);
  const approvedTags = options.get('crs-approved-tags') as string | undefined;
  if (approvedTags !== undefined) settings.crsApprovedTags = path.resolve(io.cwd, approvedTags);

  if (options.has('lsp')) {
    if (positionals.length > 0) throw new UsageError('--lsp takes no files: the editor sends the documents');
    const connection = startLanguageServer({ input: process.stdin, output: process.stdout, profile, settings });
    // The server ends the process itself on the client's `exit` notification (or when stdin closes).
    return new Promise<number>((resolve) => connection.onExit(() => resolve(EXIT_OK)));
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
  const checks: readonly Check[] = builtinChecks.filter((c) => inProfile(c, profile) && !disabled.has(c.name));

  if (options.has('fix')) {
    // The fix passes run only the checks that fix (no engine compile per pass); the report below runs them all.
    const fixing = checks.filter((c) => c.meta.fixable === true);
    const fixed = fixUntilStable(
      () => lint(files, { checks: fixing, profile, settings }),
      (file, text) => fs.writeFileSync(file, text, 'latin1'),
    );
    if (fixed.changed.size > 0) {
      io.stderr(`rampart lint: fixed ${fixed.changed.size} file${fixed.changed.size === 1 ? '' : 's'}: ${[...fixed.changed.keys()].map((f) => path.relative(io.cwd, f) || f).join(', ')}\n`);
    }
  }
  const result = lint(files, { checks, profile, settings });
  const stats = options.has('stats') ? result.stats : undefined;
  io.stdout(formatters[format](result.diagnostics, stats === undefined ? { cwd: io.cwd, profile } : { cwd: io.cwd, stats, profile }));
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
