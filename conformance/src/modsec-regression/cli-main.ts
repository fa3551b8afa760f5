import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ConformanceError } from '../errors';
import { loadCases } from './cases';
import { readBaseline, readDeviations, writeBaseline, deviationFor } from './ledger';
import { passingChecks, runCases, summarise } from './suite';

const PACKAGE_DIR = path.resolve(__dirname, '..', '..');
const DATA_DIR = path.join(PACKAGE_DIR, 'modsec-regression');

export const USAGE = `usage: modsec-regression [options]
  Runs libmodsecurity v3's own regression cases (../shared/modsecurity-regression) through @rampart/engine.
  --tests DIR          ModSecurity's test/ directory (default: ../shared/modsecurity-regression/test)
  --include RE         run only cases whose id (e.g. action-block.json:2) matches
  --baseline FILE      passing checks to compare with (default: modsec-regression/baseline.txt)
  --deviations FILE    known deviations with reasons (default: modsec-regression/deviations.yaml)
  --no-baseline        no baseline comparison: exit 1 on any failure not in the deviations
  --update-baseline    write the passing checks to the baseline file
  --failures           list every failing check with its reason
  --show ID            print one case's logs (error, debug, audit) and warnings
  --report FILE        JSON report (default: .rampart/modsec-regression-report.json)`;

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

interface Args {
  tests: string;
  include?: RegExp;
  baseline: string;
  deviations: string;
  noBaseline: boolean;
  updateBaseline: boolean;
  failures: boolean;
  show?: string;
  report: string;
  help: boolean;
}

export function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    tests: path.resolve(PACKAGE_DIR, '..', '..', 'shared', 'modsecurity-regression', 'test'),
    baseline: path.join(DATA_DIR, 'baseline.txt'),
    deviations: path.join(DATA_DIR, 'deviations.yaml'),
    noBaseline: false,
    updateBaseline: false,
    failures: false,
    report: path.join(PACKAGE_DIR, '.rampart', 'modsec-regression-report.json'),
    help: false,
  };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new ConformanceError('USAGE', `${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    switch (a) {
      case '--tests': args.tests = path.resolve(value(i++, a)); break;
      case '--include': args.include = new RegExp(value(i++, a)); break;
      case '--baseline': args.baseline = path.resolve(value(i++, a)); break;
      case '--deviations': args.deviations = path.resolve(value(i++, a)); break;
      case '--report': args.report = path.resolve(value(i++, a)); break;
      case '--show': args.show = value(i++, a); break;
      case '--no-baseline': args.noBaseline = true; break;
      case '--update-baseline': args.updateBaseline = true; break;
      case '--failures': args.failures = true; break;
      case '--quiet': break;
      case '--help': case '-h': args.help = true; break;
      default: throw new ConformanceError('USAGE', `unknown argument ${a}`);
    }
  }
  return args;
}

/** Exit codes: 0 no regression, 1 regressions (or any undeviated failure with --no-baseline), 2 usage or fatal. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    io.stderr.write(`modsec-regression: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const caseDir = path.join(args.tests, 'test-cases', 'regression');
  if (!existsSync(caseDir)) {
    io.stderr.write(`modsec-regression: no cases in ${caseDir} (see ../shared/modsecurity-regression/README.md)\n`);
    return 2;
  }
  try {
    const all = loadCases(caseDir);
    const deviations = readDeviations(args.deviations, new Set(all.map((c) => c.id)));
    const selected = all.filter((c) => (args.show !== undefined ? c.id === args.show : args.include === undefined || args.include.test(c.id)));
    const results = await runCases(selected, { testDir: args.tests });
    if (args.show !== undefined) {
      const r = results[0];
      if (!r) throw new ConformanceError('USAGE', `no case ${args.show}`);
      const c = selected[0]!;
      const o = r.outcome;
      io.stdout.write(`${r.id}: ${r.title}\nneeds: ${r.needs.join(', ') || '-'}\nexpected: ${JSON.stringify(c.expected)}\n`);
      io.stdout.write(`load error: ${o.loadError ?? '-'}\nwarnings:\n${o.warnings.map((w) => `  ${w}\n`).join('')}status: ${o.status}\n`);
      io.stdout.write(`-- error log\n${o.errorLog}-- debug log\n${o.debugLog}-- audit log\n${o.auditLog}--\n`);
      for (const k of r.checks) io.stdout.write(`${k.tier}: ${k.passed ? 'passed' : `FAILED ${k.reason}`}\n`);
      return r.passed ? 0 : 1;
    }
    const partial = selected.length !== all.length;
    const baseline = args.noBaseline || args.updateBaseline ? undefined : readBaseline(args.baseline);
    // With --include, only the baseline checks of the cases that ran are compared.
    const ran = new Set(results.map((r) => r.id));
    const scoped = baseline && partial ? new Set([...baseline].filter((k) => ran.has(k.slice(0, k.lastIndexOf(' '))))) : baseline;
    const summary = summarise(results, scoped, deviations);
    if (args.failures) {
      for (const r of results) {
        for (const k of r.checks) {
          if (k.passed) continue;
          const d = deviationFor(deviations, r.id, k.tier);
          io.stdout.write(`${r.id} ${k.tier} [${r.group}]${d ? ' (deviation)' : ''}: ${k.reason ?? ''}`.slice(0, 400) + `\n    ${r.title}\n`);
        }
      }
    }
    mkdirSync(path.dirname(args.report), { recursive: true });
    writeFileSync(
      args.report,
      JSON.stringify(
        results.map((r) => ({ id: r.id, title: r.title, needs: r.needs, passed: r.passed, checks: r.checks, status: r.outcome.status, loadError: r.outcome.loadError, warnings: r.outcome.warnings })),
        null,
        1,
      ),
    );
    for (const l of summary.lines) io.stdout.write(`${l}\n`);
    if (args.updateBaseline) {
      if (partial) throw new ConformanceError('USAGE', '--update-baseline needs the whole suite (no --include)');
      writeBaseline(args.baseline, passingChecks(results));
      io.stdout.write(`baseline written: ${args.baseline}\n`);
      return 0;
    }
    if (baseline === undefined) {
      const undeviated = results.some((r) => r.checks.some((k) => !k.passed && !deviationFor(deviations, r.id, k.tier)));
      return undeviated ? 1 : 0;
    }
    return summary.regressions.length > 0 ? 1 : 0;
  } catch (e) {
    io.stderr.write(`modsec-regression: ${(e as Error).message}\n`);
    return 2;
  }
}
