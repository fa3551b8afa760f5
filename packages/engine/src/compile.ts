import * as path from 'node:path';
import { ConfigFileError, DEFAULT_MAX_CONFIG_FILE_BYTES, readConfigFile } from '@rampart/seclang';
import type {
  ActionNode,
  ConfigAst,
  IdRange,
  RuleUpdateActionNode,
  RuleUpdateTargetNode,
  SecActionNode,
  SecRuleNode,
  SourceLocation,
} from '@rampart/seclang';
import { compileRegex as compileOperatorRegex } from './operators/regex';
import { findActionDefinition } from './actions';
import type { ActionCompileContext } from './actions';
import { compileMacro } from './macro';
import { attachPersistentUse, macroPersistentUse } from './collections/persistent-use';
import { findOperator } from './operators';
import type { OperatorCompileContext, OperatorOptions } from './operators/types';
import type { TransformationDefinition } from './transformations/types';
import type { CompiledRule } from './rules/compiled-rule';
import { sameKeyFamily } from './rules/key-families';
import { compileTargets, type KeyRegex } from './rules/targets';
import { attachRegexSets } from './rules/regex-sets';
import { Re2Verdicts } from './regex/re2-verdicts';
import type { CompileMemo } from './compile-memo/compile-memo';
import { attachPrefilters } from './rules/prefilters';
import { applySetting, type WafSettings } from './settings';
import { findTransformation } from './transformations';

export interface CompileProblem {
  message: string;
  loc?: SourceLocation;
  /** Stable identifier of a problem that libmodsecurity v3 loads anyway (see CompiledConfig.lenient). */
  code?: string;
}

export interface CompileOptions {
  /** Where a relative location's file lies (a `directivesName` given as a bare name): data files resolve there. */
  baseDir?: string;
  allowBacktrackingRegex: boolean;
  allowInspectFile: boolean;
  /** For `@rbl`: the DNS resolver (tests inject one) and its timeout. */
  dnsResolve?: (hostname: string) => Promise<string[]>;
  rblTimeoutMs?: number;
  /** Time limit of one match on the backtracking regex engine (default 100 ms). */
  backtrackingRegexLimitMs?: number;
  /** Time all of a transaction's regex matches may spend on the backtracking engine (default 500 ms). */
  backtrackingRegexBudgetMs?: number;
  /** Time limit of one `@validateSchema` / `@validateDTD` validation (default 2000 ms). */
  xmlValidationTimeoutMs?: number;
  /** Group `@rx` patterns into shared RE2 sets (default on; off only to compare results and speed). */
  regexSets?: boolean;
  /** Skip `@rx` patterns whose required literal text a value lacks (default on; off only to compare). */
  regexPrefilter?: boolean;
  /** Largest data file, unicode map or GeoIP database read (default DEFAULT_MAX_CONFIG_FILE_BYTES). */
  maxFileBytes?: number;
  /** Costly structures built by earlier loads of the same content, reused (and this load's, remembered). */
  memo?: CompileMemo;
}

/** A rule SecRuleRemoveById/ByMsg/ByTag removed, and where it stood in its phase (the debug log names it there). */
export interface RemovedRule {
  rule: CompiledRule;
  /** The directive that removed it, in libmodsecurity v3's order of checking: id, then msg, then tag. */
  by: 'id' | 'msg' | 'tag';
  /** The index, in the phase's rules, of the rule it stood before (the phase's length when it was last). */
  at: number;
}

export interface CompiledConfig {
  phases: CompiledRule[][];
  /** Per phase, the rules removed by SecRuleRemove* directives. */
  removed: RemovedRule[][];
  /** Rules by id (chain heads), for lookups and tooling. */
  byId: Map<number, CompiledRule>;
  errors: CompileProblem[];
  warnings: CompileProblem[];
  /**
   * Problems that libmodsecurity v3 loads without a word (a SecAction without id, an id on a chained rule, ...):
   * each has a `code` and says what loading it means. Warnings, or errors in strict mode.
   */
  lenient: CompileProblem[];
}


/**
 * Compiles a parsed configuration into per-phase rule lists and settings. Every problem is collected with
 * its location; the caller refuses to build a WAF when there is any error.
 */
export function compileConfig(ast: ConfigAst, settings: WafSettings, options: CompileOptions): CompiledConfig {
  const errors: CompileProblem[] = [];
  const warnings: CompileProblem[] = [];
  const lenient: CompileProblem[] = [];
  const phases: CompiledRule[][] = [[], [], [], [], [], []];
  const byId = new Map<number, CompiledRule>();
  const defaults = new Map<number, ActionNode[]>();
  const defaultLocs = new Map<number, SourceLocation>();
  /** Each phase's SecDefaultAction compiled as a rule: what `block` takes from it. */
  const defaultProbes = new Map<number, CompiledRule>();
  const removals: Array<{ by: 'id' | 'tag' | 'msg'; ids?: IdRange[]; pattern?: string; loc: SourceLocation }> = [];
  const targetUpdates: RuleUpdateTargetNode[] = [];
  const actionUpdates: RuleUpdateActionNode[] = [];

  const fail = (e: unknown, loc: SourceLocation): void => {
    errors.push({ message: e instanceof Error ? e.message : String(e), loc });
  };

  // Key selectors (`ARGS:/^id_/`, `!ARGS:'/(?!ref)/'`) and tag/msg selections take PCRE syntax as @rx does: RE2
  // first, the backtracking engine for what RE2 refuses (lookarounds...), with the same warning at each use.
  const regexCache = new Map<string, { re: KeyRegex; warning?: string }>();
  const compileRegex = (pattern: string, loc: SourceLocation): KeyRegex => {
    let entry = regexCache.get(pattern);
    if (!entry) {
      let warning: string | undefined;
      const regexOptions = { allowBacktrackingRegex: options.allowBacktrackingRegex, ...(options.backtrackingRegexLimitMs !== undefined ? { backtrackingLimitMs: options.backtrackingRegexLimitMs } : {}) };
      const re = compileOperatorRegex(pattern, `regular expression /${pattern}/`, {
        warn: (message) => (warning = message),
        options: { ...regexOptions, allowInspectFile: false },
      });
      entry = warning === undefined ? { re } : { re, warning };
      regexCache.set(pattern, entry);
    }
    if (entry.warning !== undefined) warnings.push({ message: entry.warning, loc });
    return entry.re;
  };

  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_CONFIG_FILE_BYTES;
  const re2Verdicts = new Re2Verdicts(options.memo);
  const operatorOptions = (): OperatorOptions => ({
    re2Verdicts,
    ...(options.memo !== undefined ? { memo: options.memo } : {}),
    maxFileBytes,
    allowBacktrackingRegex: options.allowBacktrackingRegex,
    allowInspectFile: options.allowInspectFile,
    ...(settings.geoLookupDb !== undefined ? { geoLookupDb: settings.geoLookupDb } : {}),
    xmlExternalEntity: settings.xmlExternalEntity,
    ...(settings.httpBlKey !== undefined ? { httpBlKey: settings.httpBlKey } : {}),
    ...(options.dnsResolve ? { dnsResolve: options.dnsResolve } : {}),
    ...(options.rblTimeoutMs !== undefined ? { rblTimeoutMs: options.rblTimeoutMs } : {}),
    ...(options.backtrackingRegexLimitMs !== undefined ? { backtrackingLimitMs: options.backtrackingRegexLimitMs } : {}),
    ...(options.backtrackingRegexBudgetMs !== undefined ? { backtrackingBudgetMs: options.backtrackingRegexBudgetMs } : {}),
    ...(options.xmlValidationTimeoutMs !== undefined ? { xmlValidationTimeoutMs: options.xmlValidationTimeoutMs } : {}),
  });

  const actionContext = (rule: CompiledRule, isChainHead: boolean, loc: SourceLocation): ActionCompileContext => ({
    macro: (text) => {
      // Any action that expands `%{ip.x}` (setvar, msg, logdata, initcol's key, ...) needs the IP record.
      rule.persistentUse |= macroPersistentUse(text);
      return compileMacro(text);
    },
    findTransformation,
    compileRegex: (pattern) => compileRegex(pattern, loc),
    isChainHead,
    warn: (message) => warnings.push({ message, loc }),
    options: { allowExec: false },
  });

  const applyActions = (rule: CompiledRule, actions: readonly ActionNode[], isHead: boolean, skip?: Set<string>): void => {
    const ctx = actionContext(rule, isHead, rule.loc);
    for (const a of actions) {
      const def = findActionDefinition(a.name);
      if (!def) {
        fail(new Error(`unknown action '${a.rawName}'`), a.loc);
        continue;
      }
      if (skip?.has(def.name)) continue;
      if (!isHead && def.name === 'phase' && a.value === String(rule.phase)) continue;
      if (!isHead && (def.name === 'id' || def.name === 'phase')) {
        // libmodsecurity v3 accepts both on a chained rule and ignores them: the chain is the head's.
        lenient.push({
          code: `chained-rule-${def.name}`,
          message: `action '${a.rawName}' on a chained rule is ignored: the chain takes the ${def.name} of its first rule`,
          loc: a.loc,
        });
        continue;
      }
      if (!isHead && CHAIN_STARTER_ONLY.has(def.name)) {
        fail(new Error(`action '${a.rawName}' is only allowed in the first rule of a chain`), a.loc);
        continue;
      }
      try {
        def.apply(a, rule, ctx);
      } catch (e) {
        fail(e, a.loc);
      }
    }
  };

  const defaultActionsFor = (phase: number): ActionNode[] => defaults.get(phase) ?? [];

  const compileRule = (node: SecRuleNode | SecActionNode, head: CompiledRule | undefined): CompiledRule => {
    const rule = blankRule(node.loc);
    if (head) rule.head = head;
    const isHead = head === undefined;
    // The phase picks which SecDefaultAction applies, so read it first.
    const phaseNode = node.actions.find((a) => a.name === 'phase');
    if (isHead) {
      if (phaseNode) {
        try {
          findActionDefinition('phase')!.apply(phaseNode, rule, actionContext(rule, true, node.loc));
        } catch (e) {
          fail(e, phaseNode.loc);
        }
      }
    } else {
      rule.phase = head.phase;
    }
    const inherited = defaultActionsFor(rule.phase);
    // libmodsecurity v3 (rule_with_actions.cc, actions/block.cc): a SecDefaultAction's disruptive action is
    // taken only by rules with `block`; every other default action applies to every rule of its phase.
    if (isHead) applyActions(rule, inherited.filter((a) => !DISRUPTIVE.has(a.name)), true, new Set(['phase']));
    const fallback = defaultProbes.get(rule.phase);
    if (!isHead) applyActions(rule, inherited.filter((a) => a.name === 't'), false);
    applyActions(rule, node.actions, isHead);
    if (isHead && node.kind !== 'SecAction' && rule.id === 0 && !node.actions.some((a) => a.name === 'id')) {
      fail(new Error('rule has no id (every SecRule and SecAction needs id:N)'), node.loc);
    }
    if (isHead && node.kind === 'SecAction' && rule.id === 0 && !node.actions.some((a) => a.name === 'id')) {
      // libmodsecurity v3 requires an id of SecRule only.
      lenient.push({
        code: 'secaction-without-id',
        message: 'SecAction has no id: it cannot be removed, updated or told apart in the logs (its id reads 0)',
        loc: node.loc,
      });
    }
    if (rule.disruptive === 'block') {
      rule.blockAs = fallback?.disruptive ?? 'pass';
      if (fallback?.disruptive === 'redirect' && rule.redirect === undefined) rule.redirect = fallback.redirect;
      if (fallback?.disruptive === 'allow' && rule.allowScope === undefined) rule.allowScope = fallback.allowScope;
    }
    rule.transformationKey = rule.transformations.map((t) => t.name).join(',');

    if (node.kind === 'SecAction') {
      rule.unconditional = true;
      rule.operator = { name: 'unconditionalMatch', argument: '', negated: false, match: () => true, async: false, patternConstant: undefined, expandArgument: undefined };
    } else {
      try {
        const { targets, exclusions } = compileTargets(node.variables, (p) => compileRegex(p, node.loc));
        rule.targets = targets;
        rule.exclusions = exclusions;
      } catch (e) {
        fail(e, node.loc);
      }
      const op = node.operator;
      const def = findOperator(op.name);
      if (!def) {
        fail(new Error(`unknown operator '@${op.rawName}'`), op.loc);
      } else {
        const dir = path.resolve(options.baseDir ?? '', path.dirname(node.loc.file));
        const opCtx: OperatorCompileContext = {
          macro: compileMacro,
          readDataFile: (name) => {
            const file = path.isAbsolute(name) ? name : path.resolve(dir, name);
            try {
              return readConfigFile(file, maxFileBytes);
            } catch (e) {
              const err = e as NodeJS.ErrnoException;
              throw new Error(`@${op.rawName}: cannot read data file '${file}': ${err instanceof ConfigFileError ? err.message : (err.code ?? err.message)}`);
            }
          },
          resolvePath: (name) => (path.isAbsolute(name) ? name : path.resolve(dir, name)),
          warn: (message) => warnings.push({ message: `rule ${rule.head.id || '(chained)'}: ${message}`, loc: op.loc }),
          options: operatorOptions(),
        };
        try {
          const match = def.compile(op.argumentMacro, opCtx);
          rule.persistentUse |= macroPersistentUse(op.argumentMacro);
          const constantArgument = op.argumentMacro.parts.every((part) => typeof part === 'string') ? op.argumentMacro.parts.join('') : undefined;
          rule.operator = {
            name: def.name,
            argument: op.argument,
            negated: op.negated,
            match,
            async: def.async === true,
            patternConstant: constantArgument,
            expandArgument: constantArgument === undefined ? compileMacro(op.argumentMacro) : undefined,
          };
          if (def.name === 'unconditionalMatch' && !op.negated) rule.unconditional = rule.targets.length === 0;
        } catch (e) {
          fail(e, op.loc);
        }
      }
    }
    if (node.chained) rule.chained = compileRule(node.chained, rule.head);
    // A `chain` with no rule after it (the last rule of the configuration): libmodsecurity v3 loads it, and the
    // chain never completes (seclang reports it as `dangling-chain`).
    else if (node.actions.some((a) => a.name === 'chain')) rule.chainIncomplete = true;
    rule.hasAsyncOperator = rule.operator.async || (rule.chained?.hasAsyncOperator ?? false);
    return rule;
  };

  for (const d of ast.directives) {
    switch (d.kind) {
      case 'Include':
        break;
      case 'Unknown':
        fail(new Error(`unknown directive '${d.rawName}'`), d.loc);
        break;
      case 'Setting':
        try {
          applySetting(d, settings, { dir: path.resolve(options.baseDir ?? '', path.dirname(d.loc.file)), warn: (message) => warnings.push({ message, loc: d.loc }), readFile: (file) => readConfigFile(file, maxFileBytes) });
        } catch (e) {
          fail(e, d.loc);
        }
        break;
      case 'SecDefaultAction': {
        // As libmodsecurity v3 reads it (seclang-parser.yy): `block` is not a disruptive action here (a rule's
        // `block` asks for this default's), so `deny,block` keeps deny and a default with only block is refused.
        const actions = d.actions.filter((a) => a.name !== 'block');
        const probe = blankRule(d.loc);
        if (!d.actions.some((a) => a.name === 'phase')) {
          probe.phase = 1;
          lenient.push({
            code: 'default-action-without-phase',
            message: 'SecDefaultAction names no phase: it applies to phase 1 only, as in libmodsecurity v3 (rules of other phases keep the built-in default "pass")',
            loc: d.loc,
          });
        }
        applyActions(probe, actions, true);
        if (probe.disruptive === undefined) {
          fail(new Error('SecDefaultAction needs a disruptive action (pass, deny, ...; block is not one here)'), d.loc);
          break;
        }
        if (d.actions.some((a) => a.name === 'id' || a.name === 'chain' || a.name === 'skipAfter' || a.name === 'skip')) {
          fail(new Error('SecDefaultAction cannot contain id, chain, skip or skipAfter'), d.loc);
          break;
        }
        const earlier = defaultLocs.get(probe.phase);
        if (earlier !== undefined) {
          fail(new Error(`a SecDefaultAction for phase ${probe.phase} was given already at ${earlier.file}:${earlier.line}: one per phase`), d.loc);
          break;
        }
        defaultLocs.set(probe.phase, d.loc);
        defaults.set(probe.phase, actions);
        defaultProbes.set(probe.phase, probe);
        break;
      }
      case 'SecMarker':
        for (let p = 1; p <= 5; p++) {
          const m = blankRule(d.loc);
          m.marker = d.label;
          m.phase = p as CompiledRule['phase'];
          phases[p]!.push(m);
        }
        break;
      case 'SecRule':
      case 'SecAction': {
        const rule = compileRule(d, undefined);
        if (rule.id !== 0) {
          const first = byId.get(rule.id);
          if (first) {
            fail(new Error(`duplicate rule id ${rule.id} (first defined at ${first.loc.file}:${first.loc.line})`), d.loc);
            break;
          }
          byId.set(rule.id, rule);
        }
        phases[rule.phase]!.push(rule);
        break;
      }
      case 'RuleRemove':
        removals.push({ by: d.by, ...(d.ids ? { ids: d.ids } : {}), ...(d.pattern !== undefined ? { pattern: d.pattern } : {}), loc: d.loc });
        break;
      case 'RuleUpdateTarget':
        targetUpdates.push(d);
        break;
      case 'RuleUpdateAction':
        actionUpdates.push(d);
        break;
    }
  }

  // Exceptions apply to every rule, wherever it was defined (ModSecurity v3 semantics).
  const matchesSelection = (rule: CompiledRule, by: 'id' | 'tag' | 'msg', ids: IdRange[] | undefined, pattern: string | undefined, loc: SourceLocation): boolean => {
    if (by === 'id') return (ids ?? []).some((r) => rule.id >= r.from && rule.id <= r.to);
    if (pattern === undefined) return false;
    const re = compileRegex(pattern, loc);
    if (by === 'tag') return rule.tags.some((t) => re.test(t));
    return rule.msg?.constant !== undefined && re.test(rule.msg.constant);
  };

  for (const u of targetUpdates) {
    let compiled: ReturnType<typeof compileTargets>;
    let replaced: ReturnType<typeof compileTargets> | undefined;
    try {
      compiled = compileTargets(u.variables, (p) => compileRegex(p, u.loc));
      replaced = u.replace ? compileTargets(u.replace, (p) => compileRegex(p, u.loc)) : undefined;
    } catch (e) {
      fail(e, u.loc);
      continue;
    }
    let found = false;
    for (const rule of byId.values()) {
      let selected: boolean;
      try {
        selected = matchesSelection(rule, u.by, u.ids, u.pattern, u.loc);
      } catch (e) {
        fail(e, u.loc);
        break;
      }
      if (!selected) continue;
      found = true;
      if (replaced) {
        const gone = replaced.targets;
        rule.targets = rule.targets.filter((t) => !gone.some((g) => g.variable === t.variable && sameSelector(g.selector, t.selector)));
      }
      rule.targets.push(...compiled.targets);
      for (const e of compiled.exclusions) rule.exclusions.push(e.selector.kind === 'regex' ? { ...e, family: true } : e);
    }
    if (!found && u.by === 'id') warnings.push({ message: `${u.rawName}: no rule has id ${formatRanges(u.ids)}`, loc: u.loc });
  }

  for (const u of actionUpdates) {
    for (const rule of byId.values()) {
      if (!(u.ids ?? []).some((r) => rule.id >= r.from && rule.id <= r.to)) continue;
      let target: CompiledRule | undefined = rule;
      for (let i = 1; i < (u.chainOffset ?? 1) && target; i++) target = target.chained;
      if (!target) {
        fail(new Error(`rule ${rule.id} has no chain member ${u.chainOffset}`), u.loc);
        continue;
      }
      if (u.actions.some((a) => a.name === 'id' || a.name === 'phase' || a.name === 'chain')) {
        fail(new Error(`${u.rawName} cannot change id, phase or chain`), u.loc);
        continue;
      }
      if (u.actions.some((a) => DISRUPTIVE.has(a.name))) target.disruptive = undefined;
      applyActions(target, u.actions, target === rule);
      if (target.disruptive === 'block' && target.blockAs === undefined) target.blockAs = defaultProbes.get(target.phase)?.disruptive ?? 'pass';
      target.transformationKey = target.transformations.map((t) => t.name).join(',');
    }
  }

  const removed: RemovedRule[][] = [[], [], [], [], [], []];
  const byOrder = { id: 0, msg: 1, tag: 2 } as const;
  const removalsInOrder = [...removals].sort((a, b) => byOrder[a.by] - byOrder[b.by]);
  const removalOf = (rule: CompiledRule): RemovedRule['by'] | undefined =>
    removalsInOrder.find((r) => {
      try {
        return matchesSelection(rule, r.by, r.ids, r.pattern, r.loc);
      } catch {
        return false;
      }
    })?.by;
  for (let p = 1; removals.length > 0 && p <= 5; p++) {
    const kept: CompiledRule[] = [];
    for (const rule of phases[p]!) {
      const by = rule.marker === undefined ? removalOf(rule) : undefined;
      if (by === undefined) kept.push(rule);
      else removed[p]!.push({ rule, by, at: kept.length });
    }
    phases[p] = kept;
  }
  for (const r of removals) {
    for (const [id, rule] of byId) {
      try {
        if (matchesSelection(rule, r.by, r.ids, r.pattern, r.loc)) byId.delete(id);
      } catch (e) {
        errors.push({ message: (e as Error).message });
      }
    }
  }

  // skipAfter must name a marker of the same phase (ModSecurity v3 also accepts a rule id there).
  for (let p = 1; p <= 5; p++) {
    const markers = new Set(phases[p]!.filter((r) => r.marker !== undefined).map((r) => r.marker));
    for (const rule of phases[p]!) {
      if (rule.skipAfter !== undefined && !markers.has(rule.skipAfter)) {
        warnings.push({ message: `rule ${rule.id}: skipAfter:${rule.skipAfter} names no SecMarker in phase ${p}; the rest of the phase is skipped when it matches`, loc: rule.loc });
      }
    }
  }

  // Prefilters first: patterns it answers rarely reach RE2, so sets are made of the others.
  const re2Compiles = (source: string): boolean => re2Verdicts.compiles(source);
  if (errors.length === 0 && options.regexPrefilter !== false) attachPrefilters(phases, re2Compiles, options.memo);
  if (errors.length === 0 && options.regexSets !== false) attachRegexSets(phases, re2Compiles);
  assignChainIds(phases);
  attachTargetExclusions(phases);
  attachPersistentUse(phases);
  for (const rule of byId.values()) inheritChainMessages(rule);
  return { phases, removed, byId, errors, warnings, lenient };
}

/**
 * `msg`, `logdata` and `status` may sit on any rule of a chain. libmodsecurity v3 runs the actions of the
 * chained rules before the head's once the whole chain matched, so the head's own value wins, then the
 * nearest chained rule's.
 */
function inheritChainMessages(head: CompiledRule): void {
  for (let r = head.chained; r !== undefined; r = r.chained) {
    if (head.msg === undefined && r.msg !== undefined) head.msg = r.msg;
    if (head.logdata === undefined && r.logdata !== undefined) head.logdata = r.logdata;
    if (head.status === undefined && r.status !== undefined) head.status = r.status;
  }
}

/**
 * Gives each target the rule's own exclusions of its variable (`!REQUEST_COOKIES:/__utm/`), once the
 * SecRuleUpdateTarget* directives have run, so evaluation does not collect them per value list.
 */
function attachTargetExclusions(phases: readonly (readonly CompiledRule[])[]): void {
  for (const phase of phases) {
    for (const head of phase) {
      for (let rule: CompiledRule | undefined = head; rule !== undefined; rule = rule.chained) {
        for (const target of rule.targets) {
          const own = rule.exclusions
            .filter((e) => e.variable === target.variable || (e.family === true && sameKeyFamily(e.variable, target.variable)))
            .map((e) => e.selector);
          target.exclusions = own.length > 0 ? own : undefined;
        }
      }
    }
  }
}

/**
 * Numbers the distinct transformation chains once every update directive has run (the most used get the
 * smallest numbers: per-value arrays indexed by chain id then stay short), gives the transformations their
 * unchangedBy bits, and numbers the multiMatch chains apart.
 */
function assignChainIds(phases: readonly (readonly CompiledRule[])[]): void {
  const all: CompiledRule[] = [];
  const visit = (rule: CompiledRule): void => {
    all.push(rule);
    if (rule.chained) visit(rule.chained);
  };
  for (const phase of phases) for (const rule of phase) visit(rule);
  const uses = new Map<string, number>();
  for (const rule of all) uses.set(rule.transformationKey, (uses.get(rule.transformationKey) ?? 0) + 1);
  const ids = new Map([...uses.entries()].sort((a, b) => b[1] - a[1]).map(([key], id) => [key, id]));
  for (const rule of all) rule.chainId = ids.get(rule.transformationKey)!;
  // Transformations by how many rules use them: the 30 most used get a bit (a value's unchangedBy mask).
  const used = new Map<TransformationDefinition, number>();
  for (const rule of all) for (const t of rule.transformations) used.set(t, (used.get(t) ?? 0) + 1);
  const bitOf = new Map([...used.entries()].sort((a, b) => b[1] - a[1]).map(([t], i) => [t, i < 30 ? 1 << i : 0]));
  for (const rule of all) {
    rule.transformationBits = rule.transformations.map((t) => bitOf.get(t)!);
    rule.chainMask = rule.transformationBits.includes(0) ? 0 : rule.transformationBits.reduce((mask, bit) => mask | bit, 0);
  }
  // multiMatch chains are few and rare: numbered apart, their per-value step lists stay short.
  const stepIds = new Map<string, number>();
  for (const rule of all) {
    if (!rule.multiMatch) continue;
    let id = stepIds.get(rule.transformationKey);
    if (id === undefined) stepIds.set(rule.transformationKey, (id = stepIds.size));
    rule.stepsId = id;
  }
}

const CHAIN_STARTER_ONLY = new Set(['id', 'phase', 'skip', 'skipAfter', 'allow', 'block', 'deny', 'drop', 'pass', 'redirect', 'proxy', 'pause']);
const DISRUPTIVE = new Set(['allow', 'block', 'deny', 'drop', 'pass', 'redirect', 'proxy', 'pause']);

function sameSelector(a: CompiledRule['targets'][number]['selector'], b: CompiledRule['targets'][number]['selector']): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'key' && b.kind === 'key') return a.lower === b.lower;
  if (a.kind === 'regex' && b.kind === 'regex') return a.source === b.source;
  if (a.kind === 'xpath' && b.kind === 'xpath') return a.path === b.path;
  return true;
}

function formatRanges(ids: IdRange[] | undefined): string {
  return (ids ?? []).map((r) => (r.from === r.to ? String(r.from) : `${r.from}-${r.to}`)).join(' ');
}

/**
 * A rule with every field present, optional ones undefined: all rules then share one hidden class, and the
 * evaluator's property reads stay monomorphic (CRS's rules otherwise make 33 shapes, and every read of a
 * field in the rule loop goes through V8's megamorphic cache).
 */
export function blankRule(loc: SourceLocation): CompiledRule {
  const rule: CompiledRule = {
    id: 0,
    phase: 2,
    loc,
    head: undefined as unknown as CompiledRule,
    unconditional: false,
    targets: [],
    exclusions: [],
    operator: { name: 'unconditionalMatch', argument: '', negated: false, match: () => true, async: false, patternConstant: undefined, expandArgument: undefined },
    transformations: [],
    transformationBits: [],
    chainMask: 0,
    transformationKey: '',
    chainId: 0,
    stepsId: 0,
    multiMatch: false,
    capture: false,
    perMatchActions: [],
    afterMatchActions: [],
    skip: 0,
    hasAsyncOperator: false,
    persistentUse: 0,
    readAheadOpens: undefined,
    log: true,
    auditLog: true,
    tags: [],
    xmlNamespaces: new Map(),
    sanitise: { args: [], requestHeaders: [], responseHeaders: [], matched: false },
    marker: undefined,
    regexSet: undefined,
    prefilter: undefined,
    disruptive: undefined,
    blockAs: undefined,
    allowScope: undefined,
    status: undefined,
    redirect: undefined,
    skipAfter: undefined,
    msg: undefined,
    logdata: undefined,
    severity: undefined,
    tagMacros: undefined,
    ver: undefined,
    rev: undefined,
    maturity: undefined,
    accuracy: undefined,
    chained: undefined,
    chainIncomplete: false,
  };
  rule.head = rule;
  return rule;
}

