import * as path from 'node:path';
import { locateCrs } from '@rampart/rules-crs4';
import { AlbedoBackend } from './albedo';
import { buildRequest } from './build-request';
import { ConformanceError } from './errors';
import { goRegExp } from './go-regexp';
import { MarkerSession, type HttpTarget } from './http-mode';
import { runInProcessStage } from './in-process';
import { judgeStage, type StageObservation } from './judge';
import { loadTests } from './load-tests';
import { applyPlatformOverrides, EMPTY_LISTS, listVerdict, type PlatformOverrides, type ResultLists } from './overrides';
import { type Report, type StageReport, summarize, type TestReport, type TestResult } from './report';
import type { ConnectionInfo, FtwStage, FtwTest, InProcessWaf } from './types';

export interface TestFilter {
  /** go-ftw --include: a test matching it always runs. */
  readonly include?: RegExp | string;
  /** go-ftw --exclude. */
  readonly exclude?: RegExp | string;
}

export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly id: string;
  readonly result: TestResult;
  readonly passed: number;
  readonly failed: number;
}

export interface SuiteOptions {
  /** In-process mode (the default mode): the WAF under test. */
  readonly waf?: InProcessWaf;
  /** HTTP mode: a running WAF and its error log. */
  readonly target?: HttpTarget;
  /** Preloaded tests; otherwise read from testsDir. */
  readonly tests?: readonly FtwTest[];
  /** Defaults to `<located CRS>/tests/regression/tests`. */
  readonly testsDir?: string;
  readonly filter?: TestFilter;
  readonly overrides?: readonly PlatformOverrides[];
  readonly lists?: ResultLists;
  readonly onProgress?: (progress: Progress) => void;
  /** In-process mode: the emulated albedo (one instance for the run, like the CI container). */
  readonly backend?: AlbedoBackend;
  readonly connection?: ConnectionInfo;
}

function asRegExp(r: RegExp | string | undefined): RegExp | undefined {
  return r === undefined ? undefined : typeof r === 'string' ? goRegExp(r) : r;
}

/** go-ftw's needToSkipTest: inclusion wins over exclusion; with an include, everything else is skipped. */
export function selectTests(tests: readonly FtwTest[], filter: TestFilter = {}): FtwTest[] {
  const include = asRegExp(filter.include);
  const exclude = asRegExp(filter.exclude);
  return tests.filter((t) => {
    if (include?.test(t.id)) return true;
    if (include) return false;
    return !exclude?.test(t.id);
  });
}

type StageRunner = (test: FtwTest, stage: FtwStage, index: number, bytes: string) => Promise<{ observation: StageObservation; logLines: readonly string[]; frontEnd?: string }>;

/** Input features go-ftw has that this harness does not: refused per test, never silently dropped. */
function checkSupported(stage: FtwStage, mode: 'in-process' | 'http'): void {
  const input = stage.input;
  const refuse = (what: string): never => {
    throw new ConformanceError('BAD_TEST_INPUT', `${what} is not supported by this harness`);
  };
  if (input.followRedirect === true) refuse('follow_redirect');
  if (mode === 'http' && input.virtualHostMode === true) refuse('virtual_host_mode');
  if (mode === 'http' && input.protocol !== undefined && input.protocol !== 'http') refuse(`protocol ${JSON.stringify(input.protocol)} (TLS)`);
}

async function runStage(run: StageRunner, test: FtwTest, stage: FtwStage, index: number, mode: 'in-process' | 'http'): Promise<StageReport> {
  checkSupported(stage, mode);
  const bytes = buildRequest(stage.input);
  const attempt = async (): Promise<StageReport> => {
    const { observation, logLines, frontEnd } = await run(test, stage, index, bytes);
    const verdict = judgeStage(stage.output, observation, logLines);
    return {
      index,
      pass: verdict.pass,
      reasons: verdict.reasons,
      ...(observation.kind === 'response' ? { status: observation.status } : {}),
      triggeredIds: verdict.triggeredIds,
      ...(frontEnd !== undefined ? { frontEnd } : {}),
    };
  };
  const first = await attempt();
  if (first.pass || stage.output.retryOnce !== true) return first;
  return { ...(await attempt()), retried: true };
}

async function runTest(run: StageRunner, test: FtwTest, lists: ResultLists, overridden: readonly string[], mode: 'in-process' | 'http'): Promise<TestReport> {
  const base = { id: test.id, file: test.file, ...(overridden.length > 0 ? { overridden } : {}) };
  const listed = listVerdict(lists, test.id);
  if (listed) {
    const result: TestResult = listed.kind === 'ignore' ? 'ignored' : listed.kind === 'forcefail' ? 'forced-fail' : 'forced-pass';
    return { ...base, result, reasons: [`${listed.kind} ${listed.entry.pattern}: ${listed.entry.reason}`], triggeredIds: [], stages: [] };
  }
  const stages: StageReport[] = [];
  try {
    for (let i = 0; i < test.stages.length; i++) stages.push(await runStage(run, test, test.stages[i] as FtwStage, i, mode));
  } catch (err) {
    if (err instanceof ConformanceError && (err.code === 'MARKER_NOT_FOUND' || err.code === 'TARGET_UNREACHABLE')) throw err;
    return { ...base, result: 'error', reasons: [`stage ${stages.length}: ${(err as Error).message}`], triggeredIds: [], stages };
  }
  const last = stages[stages.length - 1];
  if (!last) return { ...base, result: 'error', reasons: ['test has no stages'], triggeredIds: [], stages };
  return {
    ...base,
    // go-ftw overwrites the result with every stage: the last one decides.
    result: last.pass ? 'passed' : 'failed',
    reasons: last.reasons,
    triggeredIds: last.triggeredIds,
    ...(last.status !== undefined ? { status: last.status } : {}),
    stages,
  };
}

/** Runs the CRS regression suite in-process (`waf`) or against a running WAF (`target`) and reports per test. */
export async function runSuite(options: SuiteOptions): Promise<Report> {
  if ((options.waf === undefined) === (options.target === undefined)) {
    throw new ConformanceError('USAGE', 'runSuite needs exactly one of `waf` (in-process) or `target` (HTTP mode)');
  }
  const started = Date.now();
  const loaded = options.tests ?? loadTests(options.testsDir ?? path.join(locateCrs().dir, 'tests', 'regression', 'tests'));
  const { tests, applied } = applyPlatformOverrides(selectTests(loaded, options.filter), options.overrides ?? []);
  const overriddenBy = new Map<string, string[]>();
  for (const a of applied) overriddenBy.set(a.testId, [...(overriddenBy.get(a.testId) ?? []), `${a.file}: ${a.reason}`]);

  let run: StageRunner;
  if (options.waf) {
    const waf = options.waf;
    const backend = options.backend ?? new AlbedoBackend();
    run = (_t, _s, _i, bytes) => runInProcessStage(waf, bytes, backend, options.connection);
  } else {
    const session = new MarkerSession(options.target as HttpTarget);
    run = async (test, stage, _index, bytes) => {
      try {
        return await session.runStage(`${test.id}`, bytes);
      } catch (err) {
        // go-ftw tolerates a missing marker only when the stage expects an error.
        if (stage.output.expectError === true && err instanceof ConformanceError) {
          return { observation: { kind: 'error', message: err.message }, logLines: [] };
        }
        throw err;
      }
    };
  }

  const reports: TestReport[] = [];
  let passed = 0;
  let failed = 0;
  for (const test of tests) {
    const report = await runTest(run, test, options.lists ?? EMPTY_LISTS, overriddenBy.get(test.id) ?? [], options.waf ? 'in-process' : 'http');
    reports.push(report);
    if (report.result === 'passed' || report.result === 'forced-pass') passed++;
    else if (report.result !== 'ignored') failed++;
    options.onProgress?.({ done: reports.length, total: tests.length, id: test.id, result: report.result, passed, failed });
  }
  return {
    mode: options.waf ? 'in-process' : 'http',
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    totals: summarize(reports),
    tests: reports,
  };
}
