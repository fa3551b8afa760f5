import type { LoggedMatch, LoggedTransaction } from './logged-transaction';
import { pathTemplate } from './path-template';
import { isBlocked, type ScoreModel } from './score-model';

/** Where an exclusion applies, narrowest first. */
export type ExclusionScope =
  | { kind: 'path'; path: string }
  | { kind: 'path-pattern'; template: string; pattern: string; paths: string[] }
  | { kind: 'site' };

export const SCOPE_ORDER: Readonly<Record<ExclusionScope['kind'], number>> = { path: 0, 'path-pattern': 1, site: 2 };

/** One proposed exclusion: rule `ruleId` no longer inspects `target` (or does not run, without a target) within `scope`. */
export interface Exclusion {
  ruleId: number;
  /** `ARGS:comment`; undefined when the logs name no variable the rule matched (then the whole rule is removed). */
  target: string | undefined;
  scope: ExclusionScope;
  /** The rule's message, as logged. */
  msg: string;
  paranoiaLevel: number | undefined;
  /** Transactions (and their clients) with a match this exclusion removes. */
  transactions: number;
  clients: number;
  /** Transactions that were blocked and pass once all proposed exclusions apply, which this one takes part in. */
  letThrough: number;
  /**
   * Of those, the ones sent by clients that also sent requests still blocked with every exclusion applied (an
   * attacker probing, most likely): the exclusion would hide attacks seen in the same logs.
   */
  hiddenAttacks: { count: number; ids: string[]; clients: string[] };
  /** Transactions still blocked after every exclusion that lose this match anyway (attacks it weakens). */
  stillBlocked: number;
  /** A few of the values that matched, for the reader to judge. */
  values: string[];
  /** Why a broader scope was chosen than the logs call for. */
  note?: string;
}

export interface ProposeOptions {
  /** A false positive repeats: at least this many transactions (default 5)... */
  minTransactions?: number;
  /** ...from at least this many client addresses (default 5), none of which sent more than half of them. */
  minClients?: number;
  /** A rule/variable pair excluded on at least this many paths becomes one site-wide exclusion (default 5). */
  siteWidePaths?: number;
}

/** What was not proposed, and why: groups too rare to call false positives, or that look like attacks. */
export interface RareGroup {
  ruleId: number;
  target: string | undefined;
  path: string;
  transactions: number;
  clients: number;
  reason: 'too few transactions' | 'too few clients' | 'one client sent most of them' | 'libinjection detects an attack in most of them' | 'never blocked';
}

/**
 * libinjection's detections (CRS 942100 SQL injection, 941100 XSS): CRS's most precise rules. A group whose
 * transactions mostly carry one of them on the same variable is attack traffic, however many clients sent it.
 */
export const LIBINJECTION_RULES: ReadonlySet<number> = new Set([942100, 941100]);

export interface Proposal {
  exclusions: Exclusion[];
  rare: RareGroup[];
  /** Transactions blocked before / after every exclusion. */
  blockedBefore: number;
  blockedAfter: number;
  /** Clients with transactions still blocked after every exclusion. */
  attackingClients: number;
}

/**
 * Whether a variable can be written in a ctl action: libmodsecurity v3's lexer takes `[0-9A-Za-z_/.-*:;][$]` in
 * a `ctl:ruleRemoveTargetById` value and nothing else (seclang-scanner.ll, REMOVE_RULE_BY). A name with other
 * characters (a space, `@`, a quote) is excluded site-wide by a pattern instead.
 */
export const ctlWritable = (target: string): boolean => /^[0-9A-Za-z_/.\-*:\][$]+$/.test(target);

/** Variables an exclusion cannot name: TX values that earlier rules computed (exclude the rule instead). */
const UNTARGETABLE = /^(?:TX|MATCHED_VARS?|MATCHED_VARS_NAMES|RULE):|^(?:TX|MATCHED_VAR|MATCHED_VAR_NAME|ARGS_COMBINED_SIZE|FILES_COMBINED_SIZE)$/i;

/** Whether a match is one tune may propose to exclude: a CRS detection rule's (or a site rule that denied). */
const excludable = (m: LoggedMatch): boolean => m.scoring || m.disruptive;

const targetOf = (m: LoggedMatch): string | undefined => (m.variable === undefined || UNTARGETABLE.test(m.variable) ? undefined : m.variable);

interface Group {
  ruleId: number;
  target: string | undefined;
  msg: string;
  paranoiaLevel: number | undefined;
  byPath: Map<string, number[]>;
}

function covers(e: Exclusion, m: LoggedMatch, path: string, templateOf: (path: string) => string): boolean {
  if (e.ruleId !== m.ruleId) return false;
  if (e.target !== undefined && e.target !== targetOf(m)) return false;
  if (e.target === undefined && targetOf(m) !== undefined) return false;
  switch (e.scope.kind) {
    case 'path':
      return e.scope.path === path;
    case 'path-pattern':
      return templateOf(path) === e.scope.template;
    case 'site':
      return true;
  }
}

/**
 * Proposes exclusions for the matches that repeat on benign-looking traffic. For each rule and variable, per
 * path: a path with enough transactions from enough clients gets an exclusion for that path; paths that differ
 * only by identifiers (`/users/42`, `/users/7`) are pooled under one pattern; a pair excluded on many paths becomes
 * one site-wide exclusion. Then every transaction is scored again with all exclusions applied, which gives each
 * exclusion its counts and finds the ones that would let through requests of clients that still attack.
 */
export function proposeExclusions(txs: readonly LoggedTransaction[], model: ScoreModel, options: ProposeOptions = {}): Proposal {
  const minTx = options.minTransactions ?? 5;
  const minClients = options.minClients ?? 5;
  const sitePaths = options.siteWidePaths ?? 5;
  const blockedBefore = txs.map((t) => isBlocked(t, model));

  const groups = new Map<string, Group>();
  txs.forEach((t, i) => {
    const seen = new Set<string>();
    for (const m of t.matches) {
      if (!excludable(m)) continue;
      const target = targetOf(m);
      const key = `${m.ruleId}\u0000${target ?? ''}`;
      const pathKey = `${key}\u0000${t.path}`;
      if (seen.has(pathKey)) continue;
      seen.add(pathKey);
      let g = groups.get(key);
      if (!g) {
        g = { ruleId: m.ruleId, target, msg: m.msg, paranoiaLevel: m.paranoiaLevel, byPath: new Map() };
        groups.set(key, g);
      }
      let list = g.byPath.get(t.path);
      if (!list) {
        list = [];
        g.byPath.set(t.path, list);
      }
      list.push(i);
    }
  });

  /** The variables in which libinjection detected an attack, per transaction. */
  const libinjection = txs.map((t) => new Set(t.matches.filter((m) => LIBINJECTION_RULES.has(m.ruleId)).map((m) => targetOf(m) ?? '')));
  /** Why a group of transactions is not a false positive to exclude; undefined when it is one. */
  const rejection = (ids: readonly number[], target: string | undefined): RareGroup['reason'] | undefined => {
    if (ids.length < minTx) return 'too few transactions';
    const perClient = new Map<string, number>();
    for (const i of ids) perClient.set(txs[i]!.clientIp, (perClient.get(txs[i]!.clientIp) ?? 0) + 1);
    if (perClient.size < minClients) return 'too few clients';
    if (Math.max(...perClient.values()) * 2 > ids.length) return 'one client sent most of them';
    if (ids.filter((i) => libinjection[i]!.has(target ?? '')).length * 2 > ids.length) return 'libinjection detects an attack in most of them';
    if (!ids.some((i) => blockedBefore[i])) return 'never blocked';
    return undefined;
  };
  const qualifies = (ids: readonly number[], target: string | undefined): boolean => rejection(ids, target) === undefined;

  const exclusions: Exclusion[] = [];
  const rare: RareGroup[] = [];
  const base = (g: Group, scope: ExclusionScope, note?: string): Exclusion => ({
    ruleId: g.ruleId,
    target: g.target,
    scope,
    msg: g.msg,
    paranoiaLevel: g.paranoiaLevel,
    transactions: 0,
    clients: 0,
    letThrough: 0,
    hiddenAttacks: { count: 0, ids: [], clients: [] },
    stillBlocked: 0,
    values: [],
    ...(note !== undefined ? { note } : {}),
  });

  for (const g of groups.values()) {
    const scopes: ExclusionScope[] = [];
    const left: Array<[string, number[]]> = [];
    for (const [path, ids] of g.byPath) {
      if (qualifies(ids, g.target)) scopes.push({ kind: 'path', path });
      else left.push([path, ids]);
    }
    // Paths that differ only by identifiers, pooled.
    const byTemplate = new Map<string, { pattern: string; paths: string[]; ids: number[] }>();
    for (const [path, ids] of left) {
      const t = pathTemplate(path);
      if (t.template === path) continue;
      const e = byTemplate.get(t.template) ?? { pattern: t.pattern, paths: [], ids: [] };
      e.paths.push(path);
      e.ids.push(...ids);
      byTemplate.set(t.template, e);
    }
    const pooled = new Set<string>();
    for (const [template, e] of byTemplate) {
      if (e.paths.length < 2 || !qualifies(e.ids, g.target)) continue;
      scopes.push({ kind: 'path-pattern', template, pattern: e.pattern, paths: e.paths.slice(0, 5) });
      for (const p of e.paths) pooled.add(p);
    }
    for (const [path, ids] of left) {
      if (pooled.has(path)) continue;
      rare.push({ ruleId: g.ruleId, target: g.target, path, transactions: ids.length, clients: new Set(ids.map((i) => txs[i]!.clientIp)).size, reason: rejection(ids, g.target)! });
    }
    if (scopes.length === 0) continue;
    if (scopes.length >= sitePaths) exclusions.push(base(g, { kind: 'site' }, `seen on ${scopes.length} paths`));
    else if (g.target !== undefined && !ctlWritable(g.target)) {
      exclusions.push(base(g, { kind: 'site' }, 'the variable name cannot be written in a ctl action, so it is excluded site-wide by a pattern'));
    } else for (const s of scopes) exclusions.push(base(g, s));
  }

  // Score everything again with all exclusions applied.
  const byRule = new Map<number, Exclusion[]>();
  for (const e of exclusions) byRule.set(e.ruleId, [...(byRule.get(e.ruleId) ?? []), e]);
  const templates = new Map<string, string>();
  const templateOf = (path: string): string => {
    let t = templates.get(path);
    if (t === undefined) templates.set(path, (t = pathTemplate(path).template));
    return t;
  };
  const removedBy = (m: LoggedMatch, path: string): Exclusion | undefined => byRule.get(m.ruleId)?.find((e) => covers(e, m, path, templateOf));
  const blockedAfter = txs.map((t) => isBlocked(t, model, (m) => removedBy(m, t.path) !== undefined));
  const attackers = new Set<string>();
  txs.forEach((t, i) => {
    if (blockedAfter[i]) attackers.add(t.clientIp);
  });
  const clientSets = new Map<Exclusion, Set<string>>();
  txs.forEach((t, i) => {
    const involved = new Set<Exclusion>();
    for (const m of t.matches) {
      const e = removedBy(m, t.path);
      if (!e) continue;
      involved.add(e);
      if (e.values.length < 5 && m.value !== undefined && !e.values.includes(m.value)) e.values.push(m.value);
    }
    for (const e of involved) {
      e.transactions++;
      let c = clientSets.get(e);
      if (!c) clientSets.set(e, (c = new Set()));
      c.add(t.clientIp);
      if (blockedAfter[i]) e.stillBlocked++;
      else if (blockedBefore[i]) {
        e.letThrough++;
        if (attackers.has(t.clientIp)) {
          e.hiddenAttacks.count++;
          if (e.hiddenAttacks.ids.length < 5) e.hiddenAttacks.ids.push(t.id);
          if (!e.hiddenAttacks.clients.includes(t.clientIp) && e.hiddenAttacks.clients.length < 5) e.hiddenAttacks.clients.push(t.clientIp);
        }
      }
    }
  });
  for (const [e, c] of clientSets) e.clients = c.size;
  exclusions.sort((a, b) => SCOPE_ORDER[a.scope.kind] - SCOPE_ORDER[b.scope.kind] || b.letThrough - a.letThrough || a.ruleId - b.ruleId);
  rare.sort((a, b) => b.transactions - a.transactions || a.ruleId - b.ruleId);
  return {
    exclusions,
    rare,
    blockedBefore: blockedBefore.filter(Boolean).length,
    blockedAfter: blockedAfter.filter(Boolean).length,
    attackingClients: attackers.size,
  };
}
