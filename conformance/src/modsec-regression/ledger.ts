import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConformanceError } from '../errors';
import { TIERS, type Tier } from './judge';

/** `<case id> <tier>`, e.g. `action-block.json:2 status`: one check that passed. */
export type CheckKey = `${string} ${Tier}`;

export function checkKey(caseId: string, tier: Tier): CheckKey {
  return `${caseId} ${tier}`;
}

/** The checks that passed when the baseline was written; a check in it that fails now is a regression. */
export function readBaseline(file: string): Set<string> {
  if (!existsSync(file)) throw new ConformanceError('BASELINE_INVALID', `baseline ${file} does not exist (write it with --update-baseline)`);
  const out = new Set<string>();
  readFileSync(file, 'utf8').split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(\S+\.json:\d+) (\S+)$/.exec(line);
    if (!m || !TIERS.includes(m[2] as Tier)) throw new ConformanceError('BASELINE_INVALID', `${file}:${i + 1}: expected "<file>.json:<n> <tier>", got ${JSON.stringify(line)}`);
    out.add(line);
  });
  return out;
}

export function writeBaseline(file: string, passing: Iterable<string>): void {
  const lines = [...new Set(passing)].sort(compareCheckKeys);
  writeFileSync(
    file,
    '# libmodsecurity v3 regression cases: the checks that pass ("<file>:<case> <tier>"). A check listed here that\n' +
      '# fails fails the run. Regenerate with: node dist/modsec-regression/cli.js --update-baseline\n' +
      lines.map((l) => `${l}\n`).join(''),
  );
}

export function compareCheckKeys(a: string, b: string): number {
  const pa = /^(.*):(\d+) (.*)$/.exec(a);
  const pb = /^(.*):(\d+) (.*)$/.exec(b);
  if (!pa || !pb) return a < b ? -1 : a > b ? 1 : 0;
  if (pa[1] !== pb[1]) return pa[1]! < pb[1]! ? -1 : 1;
  const n = Number(pa[2]) - Number(pb[2]);
  if (n !== 0) return n;
  return TIERS.indexOf(pa[3] as Tier) - TIERS.indexOf(pb[3] as Tier);
}

/** A known failure, with the reason Rampart differs from libmodsecurity v3 (or cannot run the case). */
export interface Deviation {
  readonly case: string;
  /** The tiers it covers; all of the case's tiers when absent. */
  readonly tiers: readonly Tier[] | undefined;
  readonly reason: string;
}

/**
 * deviations.yaml: a list of `{ case, tiers?, reason }`. Every entry needs a reason that says why; an entry
 * without one, for an unknown case or tier, or listed twice is an error.
 */
export function readDeviations(file: string, knownCases: ReadonlySet<string>): Deviation[] {
  if (!existsSync(file)) return [];
  const doc = parseYaml(readFileSync(file, 'utf8')) as unknown;
  if (doc === null || doc === undefined) return [];
  if (!Array.isArray(doc)) throw new ConformanceError('OVERRIDES_INVALID', `${file}: expected a list of { case, tiers?, reason }`);
  const seen = new Set<string>();
  return doc.map((raw: unknown, i): Deviation => {
    const where = `${file}: entry ${i + 1}`;
    if (typeof raw !== 'object' || raw === null) throw new ConformanceError('OVERRIDES_INVALID', `${where}: expected { case, tiers?, reason }`);
    const r = raw as Record<string, unknown>;
    if (typeof r.case !== 'string' || !knownCases.has(r.case)) throw new ConformanceError('OVERRIDES_INVALID', `${where}: unknown case ${JSON.stringify(r.case)}`);
    if (typeof r.reason !== 'string' || r.reason.trim().length < 10) throw new ConformanceError('OVERRIDES_INVALID', `${where} (${r.case}): every deviation needs a reason`);
    let tiers: Tier[] | undefined;
    if (r.tiers !== undefined) {
      if (!Array.isArray(r.tiers) || r.tiers.some((t) => !TIERS.includes(t as Tier))) throw new ConformanceError('OVERRIDES_INVALID', `${where} (${r.case}): tiers must be a list of ${TIERS.join(', ')}`);
      tiers = r.tiers as Tier[];
    }
    for (const t of tiers ?? ['*']) {
      const key = `${r.case} ${t}`;
      if (seen.has(key) || seen.has(`${r.case} *`)) throw new ConformanceError('OVERRIDES_INVALID', `${where}: ${r.case} is listed twice`);
      seen.add(key);
    }
    return { case: r.case, tiers, reason: r.reason.trim() };
  });
}

/** The deviation that covers this check, if any. */
export function deviationFor(deviations: readonly Deviation[], caseId: string, tier: Tier): Deviation | undefined {
  return deviations.find((d) => d.case === caseId && (d.tiers === undefined || d.tiers.includes(tier)));
}
