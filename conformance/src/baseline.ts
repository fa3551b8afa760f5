import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ConformanceError } from './errors';
import type { TestReport } from './report';

/** `<rule>-<test>` ids sort by rule, then test, numerically. */
export function compareTestIds(a: string, b: string): number {
  const [ra = 0, ta = 0] = a.split('-').map(Number);
  const [rb = 0, tb = 0] = b.split('-').map(Number);
  return ra - rb || ta - tb || (a < b ? -1 : a > b ? 1 : 0);
}

export function parseBaseline(text: string, file = 'baseline'): Set<string> {
  const ids = new Set<string>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (!/^\d+-\d+$/.test(line)) throw new ConformanceError('BASELINE_INVALID', `${file}:${i + 1}: expected a test id like 942100-1, got ${JSON.stringify(line)}`);
    ids.add(line);
  });
  return ids;
}

export function readBaseline(file: string): Set<string> {
  if (!existsSync(file)) throw new ConformanceError('BASELINE_INVALID', `baseline ${file} does not exist`);
  return parseBaseline(readFileSync(file, 'utf8'), file);
}

export function formatBaseline(passing: Iterable<string>): string {
  const ids = [...new Set(passing)].sort(compareTestIds);
  return `# CRS 4.28.0 regression tests that pass (one id per line). Regenerate with: conformance --update-baseline\n${ids.map((id) => `${id}\n`).join('')}`;
}

export function writeBaseline(file: string, tests: readonly TestReport[]): void {
  writeFileSync(file, formatBaseline(tests.filter((t) => t.result === 'passed').map((t) => t.id)));
}

export interface BaselineDiff {
  /** Passed before, do not pass now (only among the tests that ran). */
  readonly regressions: string[];
  /** Pass now, were not in the baseline. */
  readonly newlyPassing: string[];
}

/** Forced passes are not real passes: they neither satisfy the baseline nor extend it. */
export function diffBaseline(baseline: ReadonlySet<string>, tests: readonly TestReport[]): BaselineDiff {
  const regressions: string[] = [];
  const newlyPassing: string[] = [];
  for (const t of tests) {
    const passes = t.result === 'passed';
    if (baseline.has(t.id) && !passes && t.result !== 'ignored') regressions.push(t.id);
    if (!baseline.has(t.id) && passes) newlyPassing.push(t.id);
  }
  return { regressions: regressions.sort(compareTestIds), newlyPassing: newlyPassing.sort(compareTestIds) };
}
