import type { ModsecCase } from './cases';
import { judge, TIERS, type Check, type Tier } from './judge';
import { checkKey, deviationFor, type Deviation } from './ledger';
import { groupOf, needsOf, type Need } from './needs';
import { runCase, type CaseOutcome, type RunCaseOptions } from './run-case';

export interface CaseResult {
  readonly id: string;
  readonly title: string;
  readonly needs: readonly Need[];
  readonly group: Need | 'core';
  readonly checks: readonly Check[];
  readonly passed: boolean;
  readonly outcome: CaseOutcome;
}

export async function runCases(cases: readonly ModsecCase[], options: RunCaseOptions): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const c of cases) {
    if (!c.enabled) continue;
    const outcome = await runCase(c, options);
    const checks = judge(c, outcome);
    const needs = needsOf(c);
    out.push({ id: c.id, title: c.title, needs, group: groupOf(needs), checks, passed: checks.every((k) => k.passed), outcome });
  }
  return out;
}

export interface TierCount {
  passed: number;
  failed: number;
}

const pct = (n: number, d: number): string => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`);

/** Whether a case's load or status check (the one it has) passed. */
function verdictPassed(r: CaseResult): boolean {
  return r.checks.some((k) => (k.tier === 'load' || k.tier === 'status') && k.passed);
}

export interface Summary {
  readonly lines: string[];
  readonly passed: number;
  readonly failed: number;
  /** Checks in the baseline that fail now. */
  readonly regressions: string[];
  /** Checks that pass and are not in the baseline. */
  readonly newlyPassing: string[];
  /** Deviation entries whose checks all pass now: to be removed. */
  readonly staleDeviations: string[];
}

/** The report: per tier, per need, the issue's targets, deviations, the baseline, and `N passed, M failed`. */
export function summarise(results: readonly CaseResult[], baseline: ReadonlySet<string> | undefined, deviations: readonly Deviation[]): Summary {
  const lines: string[] = [];
  const tierCounts = new Map<Tier, TierCount & { deviations: number }>(TIERS.map((t) => [t, { passed: 0, failed: 0, deviations: 0 }]));
  const regressions: string[] = [];
  const newlyPassing: string[] = [];
  const passingKeys = new Set<string>();
  for (const r of results) {
    for (const k of r.checks) {
      const t = tierCounts.get(k.tier)!;
      const key = checkKey(r.id, k.tier);
      if (k.passed) {
        t.passed++;
        passingKeys.add(key);
        if (baseline && !baseline.has(key)) newlyPassing.push(key);
      } else {
        t.failed++;
        if (deviationFor(deviations, r.id, k.tier)) t.deviations++;
        if (baseline?.has(key)) regressions.push(key);
      }
    }
  }
  lines.push(`libmodsecurity v3 regression cases: ${results.length} run`);
  lines.push('per tier (a case counts in each tier it has a check for):');
  for (const [tier, c] of tierCounts) {
    lines.push(`  ${`${tier}:`.padEnd(11)}${c.passed} passed, ${c.failed} failed${c.deviations > 0 ? ` (${c.deviations} of them in deviations.yaml)` : ''}`);
  }
  lines.push('per group (load or status check; a case is in the group of its first need):');
  const groups = new Map<string, TierCount>();
  for (const r of results) {
    const g = groups.get(r.group) ?? { passed: 0, failed: 0 };
    if (verdictPassed(r)) g.passed++;
    else g.failed++;
    groups.set(r.group, g);
  }
  for (const [g, c] of [...groups].sort((a, b) => (a[0] === 'core' ? -1 : b[0] === 'core' ? 1 : a[0] < b[0] ? -1 : 1))) {
    lines.push(`  ${`${g}:`.padEnd(11)}${c.passed} of ${c.passed + c.failed}`);
  }
  const noLua = results.filter((r) => !r.needs.includes('lua'));
  const plain = results.filter((r) => !r.needs.some((n) => n === 'lua' || n === 'xml-schema' || n === 'geoip' || n === 'network' || n === 'ssdeep'));
  const count = (rs: readonly CaseResult[], ok: (r: CaseResult) => boolean): string => {
    const n = rs.filter(ok).length;
    return `${n} of ${rs.length} (${pct(n, rs.length)})`;
  };
  lines.push(`load + status, cases needing no Lua: ${count(noLua, verdictPassed)}`);
  lines.push(`load + status, cases needing no Lua, XML DTD/schema, GeoIP, network or ssdeep: ${count(plain, verdictPassed)}`);
  const withLog = results.filter((r) => r.checks.some((k) => k.tier === 'error_log'));
  lines.push(`error log, cases needing no Lua: ${count(withLog.filter((r) => !r.needs.includes('lua')), (r) => r.checks.some((k) => k.tier === 'error_log' && k.passed))}`);
  const staleDeviations: string[] = [];
  for (const d of deviations) {
    const r = results.find((x) => x.id === d.case);
    if (!r) continue;
    const covered = r.checks.filter((k) => d.tiers === undefined || d.tiers.includes(k.tier));
    if (covered.length > 0 && covered.every((k) => k.passed)) staleDeviations.push(d.case);
  }
  if (deviations.length > 0) lines.push(`deviations.yaml: ${deviations.length} entries${staleDeviations.length > 0 ? `, ${staleDeviations.length} now pass (remove them): ${staleDeviations.join(', ')}` : ''}`);
  if (baseline) {
    if (newlyPassing.length > 0) lines.push(`newly passing (not in the baseline; --update-baseline adds them): ${newlyPassing.length}`);
    if (regressions.length > 0) lines.push(`REGRESSIONS (in the baseline, failing now): ${regressions.join(', ')}`);
  }
  const passed = results.filter((r) => r.passed).length;
  const failed = results.length - passed;
  lines.push(`${passed} passed, ${failed} failed`);
  return { lines, passed, failed, regressions, newlyPassing, staleDeviations };
}

/** Every check that passed, as baseline keys. */
export function passingChecks(results: readonly CaseResult[]): string[] {
  return results.flatMap((r) => r.checks.filter((k) => k.passed).map((k) => checkKey(r.id, k.tier)));
}
