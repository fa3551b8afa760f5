import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { crsConfig, CRS_VERSION, locateCrs, type LocatedCrs } from '@rampart/rules-crs4';
import { diffBaseline, readBaseline, writeBaseline } from './baseline';
import { createEngineWaf, type WafFactoryModule } from './engine-waf';
import { ConformanceError } from './errors';
import type { HttpTarget } from './http-mode';
import { loadPlatformOverrides, loadResultLists, mergeResultLists } from './overrides';
import { progressBar } from './progress';
import { summaryLine } from './report';
import { runSuite, type SuiteOptions } from './runner';
import type { InProcessWaf } from './types';

const PACKAGE_DIR = path.resolve(__dirname, '..');

export const USAGE = `usage: conformance [options]
  (default) in-process: raw request -> emulated httpd -> WAF -> emulated albedo, no sockets
  --target HOST:PORT   HTTP mode against a running WAF (go-ftw's marker protocol); needs --log
  --log FILE           the WAF's error log (HTTP mode)
  --waf MODULE         in-process WAF: a module exporting createInProcessWaf(config)
  --crs DIR            any CRS 3.3.x or 4.x tree (default: located, see @rampart/rules-crs4); its own
                       tests run against it, configured for its release (CRS CI profile)
  --tests DIR          test directory (default: <crs>/tests/regression/tests; go-ftw's format and the
                       older ftw format of CRS 3.3)
  --include RE         run only tests whose id (e.g. 942100-1) matches
  --exclude RE         skip tests whose id matches (an --include match wins)
  --overrides FILE     go-ftw FTWOverrides file, repeatable (default: overrides/rampart-overrides.yaml)
  --lists FILE         ignore / forcepass / forcefail lists, repeatable
  --report FILE        JSON report (default: .rampart/conformance-report.json)
  --baseline FILE      passing test ids to compare with (default: baseline.txt)
  --no-baseline        no baseline comparison: exit 1 on any failure
  --update-baseline    write the passing ids to the baseline file
  --quiet              no progress bar`;

export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly cwd: string;
}

interface CliArgs {
  target?: string;
  log?: string;
  waf?: string;
  crs?: string;
  tests?: string;
  include?: string;
  exclude?: string;
  overrides: string[];
  lists: string[];
  report?: string;
  baseline?: string;
  noBaseline: boolean;
  updateBaseline: boolean;
  quiet: boolean;
  help: boolean;
}

export function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { overrides: [], lists: [], noBaseline: false, updateBaseline: false, quiet: false, help: false };
  const valueOf = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new ConformanceError('USAGE', `${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    switch (a) {
      case '--target': case '--log': case '--waf': case '--crs': case '--tests': case '--include': case '--exclude': case '--report': case '--baseline': {
        const key = a.slice(2) as 'target' | 'log' | 'waf' | 'crs' | 'tests' | 'include' | 'exclude' | 'report' | 'baseline';
        args[key] = valueOf(i, a);
        i++;
        break;
      }
      case '--overrides': args.overrides.push(valueOf(i, a)); i++; break;
      case '--lists': args.lists.push(valueOf(i, a)); i++; break;
      case '--no-baseline': args.noBaseline = true; break;
      case '--update-baseline': args.updateBaseline = true; break;
      case '--quiet': args.quiet = true; break;
      case '--help': case '-h': args.help = true; break;
      default: throw new ConformanceError('USAGE', `unknown argument ${a}`);
    }
  }
  if (args.target !== undefined && args.log === undefined) throw new ConformanceError('USAGE', '--target needs --log FILE');
  if (args.target !== undefined && args.waf !== undefined) throw new ConformanceError('USAGE', '--target and --waf exclude each other');
  return args;
}

function parseTarget(spec: string, logFile: string): HttpTarget {
  const m = /^(.+):(\d{1,5})$/.exec(spec);
  if (!m || m[1] === undefined || m[2] === undefined) throw new ConformanceError('USAGE', `--target expects HOST:PORT, got ${spec}`);
  return { host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]), logFile };
}

async function inProcessWaf(args: CliArgs, cwd: string, crs: LocatedCrs): Promise<InProcessWaf> {
  const config = crsConfig({ profile: 'crs-ci', crsDir: crs.dir });
  if (args.waf === undefined) return createEngineWaf(config);
  // require (not import()) so the same code loads a factory under jest and from dist; Node 20 can require ESM too.
  const modulePath = args.waf.startsWith('.') || path.isAbsolute(args.waf) ? path.resolve(cwd, args.waf) : require.resolve(args.waf, { paths: [cwd] });
  const mod = require(modulePath) as Partial<WafFactoryModule>;
  if (typeof mod.createInProcessWaf !== 'function') throw new ConformanceError('USAGE', `${args.waf} does not export createInProcessWaf(config)`);
  return mod.createInProcessWaf(config);
}

/** The whole CLI; returns the exit code (0 ok, 1 regressions/failures, 2 usage or fatal error). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const resolve = (p: string): string => path.resolve(io.cwd, p);
    const crs = locateCrs({ ...(args.crs !== undefined ? { crsDir: resolve(args.crs) } : {}), cwd: io.cwd });
    for (const w of crs.warnings) io.stderr.write(`conformance: warning: ${w}\n`);
    const testsDir = args.tests !== undefined ? resolve(args.tests) : path.join(crs.dir, 'tests', 'regression', 'tests');
    if (!existsSync(testsDir)) {
      throw new Error(`no regression tests in ${testsDir} (CRS ${crs.version} at ${crs.dir}): pass --tests DIR`);
    }
    // The shipped baseline and overrides describe the default release; another release starts without them.
    const defaultRelease = crs.version === CRS_VERSION;
    io.stdout.write(`CRS ${crs.version} at ${crs.dir} (${crs.verification}); tests: ${testsDir}\n`);
    const defaultOverrides = path.join(PACKAGE_DIR, 'overrides', 'rampart-overrides.yaml');
    const overrideFiles = args.overrides.length > 0 ? args.overrides.map(resolve) : defaultRelease && existsSync(defaultOverrides) ? [defaultOverrides] : [];
    const options: SuiteOptions = {
      testsDir,
      filter: { ...(args.include !== undefined ? { include: args.include } : {}), ...(args.exclude !== undefined ? { exclude: args.exclude } : {}) },
      overrides: overrideFiles.map(loadPlatformOverrides),
      lists: mergeResultLists(args.lists.map((f) => loadResultLists(resolve(f)))),
      ...(io.stderr.isTTY && !args.quiet ? { onProgress: progressBar(io.stderr as NodeJS.WriteStream) } : {}),
      ...(args.target !== undefined ? { target: parseTarget(args.target, resolve(args.log as string)) } : { waf: await inProcessWaf(args, io.cwd, crs) }),
    };
    const report = await runSuite(options);

    const reportFile = resolve(args.report ?? path.join('.rampart', 'conformance-report.json'));
    mkdirSync(path.dirname(reportFile), { recursive: true });
    writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
    io.stdout.write(`report: ${reportFile}\n`);
    if (report.totals.ignored > 0) io.stdout.write(`${report.totals.ignored} ignored\n`);

    let code = 0;
    const baselineFile = args.baseline !== undefined ? resolve(args.baseline) : path.join(PACKAGE_DIR, 'baseline.txt');
    const useBaseline = !args.noBaseline && (args.baseline !== undefined || defaultRelease) && existsSync(baselineFile);
    if (args.updateBaseline) {
      writeBaseline(baselineFile, report.tests);
      io.stdout.write(`baseline written: ${baselineFile}\n`);
    } else if (useBaseline) {
      const diff = diffBaseline(readBaseline(baselineFile), report.tests);
      if (diff.newlyPassing.length > 0) io.stdout.write(`newly passing (${diff.newlyPassing.length}): ${diff.newlyPassing.join(' ')}\n`);
      if (diff.regressions.length > 0) {
        io.stdout.write(`REGRESSIONS (${diff.regressions.length}) - passed in ${baselineFile}, fail now: ${diff.regressions.join(' ')}\n`);
        code = 1;
      }
    } else if (report.totals.failed > 0) {
      code = 1;
    }
    io.stdout.write(`${summaryLine(report.totals)}\n`);
    return code;
  } catch (err) {
    io.stderr.write(`conformance: ${(err as Error).message}\n`);
    return 2;
  }
}
