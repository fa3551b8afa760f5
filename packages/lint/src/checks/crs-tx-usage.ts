import type { ActionNode, Directive, SourceLocation } from '@rampart/seclang';
import { collectRules } from '../context';
import { commentedSetupRules } from '../crs/commented-setup';
import { isCrsSetup } from '../crs/files';
import type { Check, RuleNode } from '../types';
import { macroUses } from '../walk';
import { PHASE_VALUES } from './missing-phase';

/** Metadata a chain's first rule expands when the whole chain has matched. */
const EXPANDED_AFTER_CHAIN = new Set(['msg', 'logdata', 'tag']);

/** Where in the run a rule sits: its phase, then its chain's place in reading order, then its place in the chain. */
interface At {
  phase: number;
  index: number;
  position: number;
  /** For an action: its index in the rule's action list; a target or operator reads before any action (-1). */
  action: number;
}

interface Set_ {
  at: At;
  loc: SourceLocation;
  /** Set by a commented-out rule of crs-setup (an example users may enable): never reported as unused. */
  example: boolean;
}

const visible = (set: At, use: At): boolean =>
  set.phase < use.phase ||
  (set.phase === use.phase &&
    (set.index < use.index || (set.index === use.index && (set.position < use.position || (set.position === use.position && set.action < use.action)))));

const phaseOf = (head: RuleNode) => PHASE_VALUES.get((head.actions.find((a) => a.name === 'phase')?.value ?? '2').trim().toLowerCase()) ?? 2;

/** A literal TX key (no macro, not a capture TX:0-9), lower-cased as ModSecurity compares them. */
function txKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  const k = key.trim().toLowerCase();
  return k === '' || /^[0-9]$/.test(k) || k.includes('%{') ? undefined : k;
}

/**
 * TX variables read before any rule sets them (an error: the rule reads an empty value, usually a misspelt
 * name or a rule in the wrong phase or file), and TX variables set but never read (a warning: dead code or a
 * misspelling on the reading side). A read is visible to a set made in an earlier phase, or earlier in the
 * same phase. A read guarded by `&TX:name` in its chain (a default for a setting users may set) is fine, as
 * are the settings crs-setup.conf.example ships commented out (crs-linter reads them as set, as this does).
 * crs-linter's `variables_usage`.
 */
export const crsTxUsage: Check = {
  name: 'crs-tx-usage',
  meta: {
    severity: 'error',
    docs: 'A TX variable read before any rule sets it (an error), or set and never read (a warning).',
    profiles: ['crs'],
    crsLinterNames: ['variables_usage'],
    wholeRuleSet: true,
  },
  check(ctx) {
    const sets = new Map<string, Set_[]>();
    const addSet = (key: string, s: Set_) => sets.set(key, [...(sets.get(key) ?? []), s]);
    const used = new Set<string>();
    const regexReads: RegExp[] = [];
    const uses: Array<{ key: string; at: At; loc: SourceLocation; what: string; guarded: boolean }> = [];

    const walk = (directives: readonly Directive[], example: boolean, indexBase: number, record: boolean) => {
      const entries = collectRules({ directives: [...directives], files: [] });
      let index = indexBase;
      let current: RuleNode | undefined;
      const counted = new Set<string>();
      for (const { rule, head, position } of entries) {
        if (head !== current) {
          current = head;
          index++;
          counted.clear();
        }
        const phase = phaseOf(head);
        rule.actions.forEach((a: ActionNode, i) => {
          const sv = a.setvar;
          if (sv === undefined || sv.collection !== 'TX' || sv.op === 'delete') return;
          const key = txKey(sv.key.text);
          if (key !== undefined) addSet(key, { at: { phase, index, position, action: i }, loc: a.loc, example });
        });
        if (!record) continue;
        if (rule.kind === 'SecRule') {
          for (const v of rule.variables) {
            if (v.name !== 'TX' || v.negated) continue;
            if (v.selector?.kind === 'regex') {
              try {
                regexReads.push(new RegExp(v.selector.pattern, 'i'));
              } catch {
                // A selector JavaScript cannot read: engine-load reports it if the engine cannot either.
              }
              continue;
            }
            const key = txKey(v.selector?.kind === 'key' ? v.selector.value : undefined);
            if (key === undefined) continue;
            used.add(key);
            if (v.count) counted.add(key);
            else uses.push({ key, at: { phase, index, position, action: -1 }, loc: v.loc, what: `TX:${v.selector?.kind === 'key' ? v.selector.value : key}`, guarded: counted.has(key) });
          }
        }
        for (const use of macroUses(rule)) {
          if (use.ref.collection !== 'TX') continue;
          const key = txKey(use.ref.key);
          if (key === undefined) continue;
          used.add(key);
          const action = use.action === undefined ? -1 : rule.actions.indexOf(use.action);
          const loc = use.action?.loc ?? (rule.kind === 'SecRule' ? rule.operator.loc : rule.loc);
          // msg, logdata and tag of a chain's first rule are expanded once the whole chain has matched.
          const afterChain = position === 0 && use.action !== undefined && EXPANDED_AFTER_CHAIN.has(use.action.name);
          const at = afterChain ? { phase, index, position: Number.MAX_SAFE_INTEGER, action } : { phase, index, position, action };
          uses.push({ key, at, loc, what: use.ref.raw, guarded: counted.has(key) });
        }
      }
    };

    // Commented-out settings of crs-setup come first (the file is included before the rules).
    for (const source of ctx.sourceFiles) {
      if (isCrsSetup(source.file)) walk(commentedSetupRules(source), true, -1_000_000, false);
    }
    walk(ctx.ast.directives, false, 0, true);

    for (const u of uses) {
      if (u.guarded) continue;
      const candidates = sets.get(u.key) ?? [];
      if (candidates.some((s) => visible(s.at, u.at))) continue;
      const later = candidates.find((s) => !s.example);
      if (later !== undefined) {
        ctx.report(u.loc, `${u.what} is read before any rule sets it: the first setvar, at ${later.loc.file === u.loc.file ? `line ${later.loc.line}` : `${later.loc.file}:${later.loc.line}`}, runs later (phase ${later.at.phase})`);
      } else ctx.report(u.loc, `${u.what} is read but no rule sets it`);
    }
    for (const [key, list] of sets) {
      if (used.has(key) || regexReads.some((re) => re.test(key))) continue;
      const first = list.find((s) => !s.example);
      if (first !== undefined) ctx.report(first.loc, `tx.${key} is set but no rule reads it`, { severity: 'warning' });
    }
  },
};
