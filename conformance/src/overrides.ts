import { readFileSync } from 'node:fs';
import { isMap, parseDocument } from 'yaml';
import { ConformanceError } from './errors';
import { goRegExp } from './go-regexp';
import { readOutput } from './load-tests';
import type { FtwStage, FtwTest, StageOutput } from './types';
import { YamlReader } from './yaml-values';

/** One entry of go-ftw's FTWOverrides `test_overrides`. */
export interface TestOverride {
  readonly ruleId: number;
  readonly testIds: readonly number[];
  /** 0-based; empty = all stages. */
  readonly stageIds: readonly number[];
  readonly reason: string;
  /** Replaces the stage's whole output; absent in the file = an empty output. */
  readonly output: StageOutput;
}

export interface PlatformOverrides {
  readonly file: string;
  readonly engine?: string;
  readonly platform?: string;
  readonly overrides: readonly TestOverride[];
}

export type ListKind = 'ignore' | 'forcefail' | 'forcepass';

export interface ListEntry {
  readonly pattern: string;
  readonly regexp: RegExp;
  readonly reason: string;
  readonly source: string;
}

/** go-ftw's testoverride ignore / forcepass / forcefail maps (regexp over the test id -> reason). */
export interface ResultLists {
  readonly ignore: readonly ListEntry[];
  readonly forcefail: readonly ListEntry[];
  readonly forcepass: readonly ListEntry[];
}

export const EMPTY_LISTS: ResultLists = { ignore: [], forcefail: [], forcepass: [] };

function parseYaml(text: string, file: string): YamlReader {
  const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: true });
  if (doc.errors.length > 0) throw new ConformanceError('OVERRIDES_INVALID', `${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
  if (!isMap(doc.contents)) throw new ConformanceError('OVERRIDES_INVALID', `${file}: top level is not a mapping`);
  return YamlReader.root(file, doc.contents);
}

/** Reads an FTWOverrides file (`<engine>-overrides.yaml`). Every entry must say why. */
export function parsePlatformOverrides(text: string, file: string): PlatformOverrides {
  const root = parseYaml(text, file);
  const meta = root.child('meta');
  const overrides = (root.children('test_overrides') ?? []).map((o, i): TestOverride => {
    const reason = o.string('reason') ?? '';
    if (reason.trim() === '') throw new ConformanceError('OVERRIDES_INVALID', `${file}: test_overrides[${i}] has no reason`);
    const ruleId = o.int('rule_id');
    if (ruleId === undefined) throw new ConformanceError('OVERRIDES_INVALID', `${file}: test_overrides[${i}] has no rule_id`);
    return { ruleId, testIds: o.intList('test_ids') ?? [], stageIds: o.intList('stage_ids') ?? [], reason, output: readOutput(o.child('output')) };
  });
  const engine = meta?.string('engine');
  const platform = meta?.string('platform');
  return { file, ...(engine !== undefined ? { engine } : {}), ...(platform !== undefined ? { platform } : {}), overrides };
}

export function loadPlatformOverrides(file: string): PlatformOverrides {
  return parsePlatformOverrides(readFileSync(file, 'utf8'), file);
}

export interface AppliedOverride {
  readonly testId: string;
  readonly stages: readonly number[];
  readonly reason: string;
  readonly file: string;
}

/**
 * Applies platform overrides as go-ftw v2.3.0 does, quirks included: an entry without `test_ids` applies to
 * nothing, and an entry without `output` leaves the stage an empty output (it then only has to run).
 */
export function applyPlatformOverrides(tests: readonly FtwTest[], sets: readonly PlatformOverrides[]): { tests: FtwTest[]; applied: AppliedOverride[] } {
  const applied: AppliedOverride[] = [];
  const out = tests.map((test) => {
    let stages: FtwStage[] | undefined;
    for (const set of sets) {
      for (const o of set.overrides) {
        if (o.ruleId !== test.ruleId || !o.testIds.includes(test.testId)) continue;
        stages ??= [...test.stages];
        const touched: number[] = [];
        for (let i = 0; i < stages.length; i++) {
          if (o.stageIds.length > 0 && !o.stageIds.includes(i)) continue;
          stages[i] = { ...(stages[i] as FtwStage), output: o.output };
          touched.push(i);
        }
        applied.push({ testId: test.id, stages: touched, reason: o.reason, file: set.file });
      }
    }
    return stages ? { ...test, stages } : test;
  });
  return { tests: out, applied };
}

function readList(root: YamlReader, kind: ListKind, file: string): ListEntry[] {
  const map = root.stringMap(kind);
  if (!map) return [];
  return Object.entries(map).map(([pattern, reason]) => {
    if (reason.trim() === '') throw new ConformanceError('OVERRIDES_INVALID', `${file}: ${kind} entry ${JSON.stringify(pattern)} has no reason`);
    let regexp: RegExp;
    try {
      regexp = goRegExp(pattern);
    } catch (err) {
      throw new ConformanceError('OVERRIDES_INVALID', `${file}: ${kind} entry ${JSON.stringify(pattern)}: ${(err as Error).message}`);
    }
    return { pattern, regexp, reason, source: file };
  });
}

/** Reads ignore / forcepass / forcefail maps, either top-level or under go-ftw's `testoverride:` (a .ftw.yaml). */
export function parseResultLists(text: string, file: string): ResultLists {
  const top = parseYaml(text, file);
  const root = top.child('testoverride') ?? top;
  return { ignore: readList(root, 'ignore', file), forcefail: readList(root, 'forcefail', file), forcepass: readList(root, 'forcepass', file) };
}

export function loadResultLists(file: string): ResultLists {
  return parseResultLists(readFileSync(file, 'utf8'), file);
}

export function mergeResultLists(lists: readonly ResultLists[]): ResultLists {
  return {
    ignore: lists.flatMap((l) => l.ignore),
    forcefail: lists.flatMap((l) => l.forcefail),
    forcepass: lists.flatMap((l) => l.forcepass),
  };
}

/** go-ftw's precedence: ignore > forcefail > forcepass; the regexp is matched unanchored against `<rule>-<test>`. */
export function listVerdict(lists: ResultLists, testId: string): { kind: ListKind; entry: ListEntry } | undefined {
  for (const kind of ['ignore', 'forcefail', 'forcepass'] as const) {
    const entry = lists[kind].find((e) => e.regexp.test(testId));
    if (entry) return { kind, entry };
  }
  return undefined;
}
