import * as path from 'node:path';
import { parse } from '@rampart/seclang';
import { applyFixes } from './fix';
import { lintParsed } from './lint';
import { SourceFile } from './source';
import type { Check, LintDiagnostic, LintSettings, Profile } from './types';

export interface ValidCase {
  code: string;
  /** The file the code pretends to be in (relative data files resolve against its directory). */
  file?: string;
  /** Files that exist for the case, absolute or relative to `file`'s directory. */
  existingFiles?: string[];
  /** The profile the check is told it runs under (default: `crs` for checks of that profile only, else `generic`). */
  profile?: Profile;
  settings?: LintSettings;
}

export interface ExpectedError {
  line: number;
  column: number;
  message?: string | RegExp;
  severity?: 'error' | 'warning';
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedError[];
  /** For a fixable check: the code once its fixes are applied (one pass). */
  output?: string;
}

export interface CheckCases {
  valid: Array<string | ValidCase>;
  invalid: InvalidCase[];
}

type Block = (name: string, fn: () => void) => void;

const DEFAULT_FILE = '/rules/test.conf';

/** Parser diagnostics that mean the test code itself is broken (not a finding of some check). */
const BROKEN_CODE = new Set(['syntax', 'unterminated-quote', 'broken-continuation', 'arg-count']);

function run(check: Check, c: ValidCase): { own: LintDiagnostic[]; broken: string[]; fixed: string } {
  const file = c.file ?? DEFAULT_FILE;
  const existing = new Set((c.existingFiles ?? []).map((f) => path.resolve(path.dirname(file), f)));
  const parsed = parse(c.code, { file });
  const profile = c.profile ?? (check.meta.profiles !== undefined && !check.meta.profiles.includes('generic') ? 'crs' : 'generic');
  const sources = new Map([[file, new SourceFile(file, c.code)]]);
  const result = lintParsed(parsed, { checks: [check], profile, settings: c.settings ?? {}, fileExists: (p) => existing.has(p) }, sources);
  const broken = parsed.diagnostics.filter((d) => BROKEN_CODE.has(d.code)).map((d) => `${d.loc.line}:${d.loc.column} ${d.message}`);
  const own = result.diagnostics.filter((d) => d.check === check.name);
  const fixed = applyFixes(own, sources).files.get(file) ?? c.code;
  return { own, broken, fixed };
}

function describeDiagnostics(list: readonly LintDiagnostic[]): string {
  return list.map((d) => `${d.loc.line}:${d.loc.column} ${d.severity}: ${d.message}`).join('\n') || '(none)';
}

/**
 * A declarative tester for one check, in the manner of ESLint's RuleTester: `valid` code must parse and
 * produce no diagnostic of the check, `invalid` code exactly the listed ones (line:column, and message or
 * severity when given).
 * It registers test cases with the test framework's `describe` / `it` (jest's globals by default).
 */
export class CheckTester {
  constructor(
    private readonly hooks: { describe: Block; it: Block } = {
      describe: (globalThis as unknown as { describe: Block }).describe,
      it: (globalThis as unknown as { it: Block }).it,
    },
  ) {}

  run(check: Check, cases: CheckCases): void {
    const { describe, it } = this.hooks;
    // A check is shown both to pass good code and to find bad code: one side alone proves little.
    if (cases.valid.length === 0 || cases.invalid.length === 0) {
      throw new Error(`${check.name}: give at least one valid and one invalid case`);
    }
    describe(check.name, () => {
      describe('valid', () => {
        for (const raw of cases.valid) {
          const c = typeof raw === 'string' ? { code: raw } : raw;
          it(c.code.slice(0, 80), () => {
            const { own, broken } = run(check, c);
            // A valid case that does not parse would pass for the wrong reason.
            if (broken.length > 0 && check.name !== 'syntax') throw new Error(`the valid case does not parse:\n${broken.join('\n')}`);
            if (own.length > 0) throw new Error(`expected no diagnostic, got:\n${describeDiagnostics(own)}`);
          });
        }
      });
      describe('invalid', () => {
        for (const c of cases.invalid) {
          it(c.code.slice(0, 80), () => {
            if (c.errors.length === 0) throw new Error('an invalid case must list at least one error');
            const { own, fixed } = run(check, c);
            const problems: string[] = [];
            if (c.output !== undefined && fixed !== c.output) problems.push(`fixed code:\n${fixed}\nis not:\n${c.output}`);
            if (c.output === undefined && own.some((d) => d.fix !== undefined)) problems.push('the check offers a fix: give the expected `output`');
            if (own.length !== c.errors.length) problems.push(`expected ${c.errors.length} diagnostics, got ${own.length}`);
            c.errors.forEach((e, i) => {
              const d = own[i];
              if (d === undefined) return;
              if (d.loc.line !== e.line || d.loc.column !== e.column) {
                problems.push(`#${i}: expected at ${e.line}:${e.column}, got ${d.loc.line}:${d.loc.column}`);
              }
              if (e.severity !== undefined && d.severity !== e.severity) problems.push(`#${i}: expected ${e.severity}, got ${d.severity}`);
              if (typeof e.message === 'string' && d.message !== e.message) problems.push(`#${i}: message '${d.message}' is not '${e.message}'`);
              if (e.message instanceof RegExp && !e.message.test(d.message)) problems.push(`#${i}: message '${d.message}' does not match ${e.message}`);
            });
            if (problems.length > 0) throw new Error(`${problems.join('\n')}\ndiagnostics:\n${describeDiagnostics(own)}`);
          });
        }
      });
    });
  }
}
