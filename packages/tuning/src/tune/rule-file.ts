import { literalPattern } from './path-template';
import { ctlWritable, SCOPE_ORDER, type Exclusion, type ExclusionScope } from './propose';

export interface RuleFileOptions {
  /** Rule ids for the exclusion rules: the first and the last that may be used (default 10000-19999). */
  firstId?: number;
  lastId?: number;
  /** Comment lines for the top of the file (what was read, the score model, the counts). */
  header?: readonly string[];
}

/** The id range does not hold as many rules as the proposal needs. */
export class IdRangeError extends Error {
  readonly code = 'id-range';
}

/** Text for a comment line: one line, printable, not too long. */
function commentText(s: string, max = 80): string {
  const cut = s.length > max ? `${s.slice(0, max)}...` : s;
  return cut.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const count = (n: number): string => n.toLocaleString('en-US');

/** A path that `@streq` can take as written: no quote, backslash, macro, blank or control byte. */
const STREQ_SAFE = /^[\x21-\x7e]*$/;

function scopeOperator(scope: Exclude<ExclusionScope, { kind: 'site' }>): string {
  if (scope.kind === 'path-pattern') return `@rx ${scope.pattern}`;
  const p = scope.path;
  return STREQ_SAFE.test(p) && !/["\\]|%\{/.test(p) ? `@streq ${p}` : `@rx ^${literalPattern(p)}$`;
}

function scopeTitle(scope: ExclusionScope): string {
  switch (scope.kind) {
    case 'path':
      return commentText(scope.path, 120);
    case 'path-pattern':
      return `${commentText(scope.template, 120)} (${scope.paths.map((p) => commentText(p, 40)).join(', ')}${scope.paths.length >= 5 ? ', ...' : ''})`;
    case 'site':
      return 'every path';
  }
}

/** What one exclusion does and would do, as comment lines above its rule. */
function describe(e: Exclusion): string[] {
  const what = e.target === undefined ? 'the whole rule (the logs name no variable)' : e.target;
  const lines = [
    `# ${e.ruleId}${e.paranoiaLevel !== undefined ? ` (PL${e.paranoiaLevel})` : ''} ${commentText(e.msg, 70)}`,
    `#   on ${commentText(what, 100)}: ${count(e.transactions)} transactions from ${count(e.clients)} clients; ${count(e.letThrough)} of them were blocked and pass with this file`,
  ];
  if (e.values.length > 0) lines.push(`#   values: ${e.values.map((v) => JSON.stringify(commentText(v, 50))).join(', ')}`);
  if (e.note !== undefined) lines.push(`#   note: ${e.note}`);
  if (e.stillBlocked > 0) lines.push(`#   also removes this match from ${count(e.stillBlocked)} transactions that stay blocked by other rules (attacks, most likely)`);
  if (e.hiddenAttacks.count > 0) {
    lines.push(
      `# WARNING: would also let through ${count(e.hiddenAttacks.count)} transactions from clients that sent attacks still blocked with this file`,
      `#   (clients ${e.hiddenAttacks.clients.join(', ')}; transactions ${e.hiddenAttacks.ids.map((i) => commentText(i, 40)).join(', ')}): review before loading`,
    );
  }
  return lines;
}

/** The ctl action of an exclusion that applies within a path. */
const ctlAction = (e: Exclusion): string => (e.target === undefined ? `ctl:ruleRemoveById=${e.ruleId}` : `ctl:ruleRemoveTargetById=${e.ruleId};${e.target}`);

/** A variable for SecRuleUpdateTargetById: as named, or as a pattern on its key when the name has characters SecLang quotes cannot hold. */
function updateTarget(target: string): string {
  if (ctlWritable(target)) return target;
  const colon = target.indexOf(':');
  if (colon === -1) return target;
  // `/` would end the pattern.
  return `${target.slice(0, colon)}:/^${literalPattern(target.slice(colon + 1)).replace(/\//g, '\\x2f')}$/`;
}

/** The lines of one rule, one action per line, as CRS writes its rules (and `rampart lint --profile crs` wants them). */
function secRule(operator: string, id: number, actions: readonly string[]): string[] {
  const all = [`id:${id}`, 'phase:1', 'pass', 't:none', 'nolog', ...actions];
  return [`SecRule REQUEST_FILENAME "${operator}" \\`, ...all.map((a, i) => `    ${i === 0 ? '"' : ''}${a}${i === all.length - 1 ? '"' : ',\\'}`)];
}

/**
 * The exclusions as a SecLang file to load before the CRS rules, narrowest first: one `SecRule REQUEST_FILENAME`
 * per path (or path pattern) with a `ctl:ruleRemoveTargetById` per rule and variable, then the site-wide ones as
 * `SecRuleUpdateTargetById` (`SecRuleRemoveById` where no variable is known). Each comes with its counts, sample
 * values and, where it applies, the warning that it would let attacks through. Rule ids are taken in order from
 * the range given; a range too small is an error, never a silent cut.
 */
export function renderRuleFile(exclusions: readonly Exclusion[], options: RuleFileOptions = {}): string {
  const firstId = options.firstId ?? 10000;
  const lastId = options.lastId ?? 19999;
  const scoped = new Map<string, { scope: Exclude<ExclusionScope, { kind: 'site' }>; items: Exclusion[] }>();
  const site: Exclusion[] = [];
  for (const e of [...exclusions].sort((a, b) => SCOPE_ORDER[a.scope.kind] - SCOPE_ORDER[b.scope.kind])) {
    if (e.scope.kind === 'site') {
      site.push(e);
      continue;
    }
    const key = e.scope.kind === 'path' ? `p\u0000${e.scope.path}` : `t\u0000${e.scope.template}`;
    const g = scoped.get(key) ?? { scope: e.scope, items: [] };
    g.items.push(e);
    scoped.set(key, g);
  }
  if (scoped.size > lastId - firstId + 1) {
    throw new IdRangeError(`the proposal needs ${scoped.size} rule ids, the range ${firstId}-${lastId} has ${lastId - firstId + 1}: give a larger range`);
  }
  const out: string[] = [...(options.header ?? []).map((l) => `# ${commentText(l, 200)}`.trimEnd())];
  if (out.length > 0) out.push('');
  let id = firstId;
  for (const { scope, items } of scoped.values()) {
    out.push(`# --- ${scope.kind === 'path' ? 'path' : 'paths'} ${scopeTitle(scope)}`);
    for (const e of items) out.push(...describe(e));
    out.push(...secRule(scopeOperator(scope), id++, items.map(ctlAction)), '');
  }
  if (site.length > 0) {
    out.push(
      '# --- every path',
      '# libmodsecurity v3 and Rampart apply these wherever the file is loaded; ModSecurity v2 only to rules defined',
      '# before them: there, move these lines after the CRS rules (RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf).',
    );
    for (const e of site) {
      out.push(...describe(e));
      out.push(e.target === undefined ? `SecRuleRemoveById ${e.ruleId}` : `SecRuleUpdateTargetById ${e.ruleId} "!${updateTarget(e.target)}"`, '');
    }
  }
  if (scoped.size === 0 && site.length === 0) out.push('# No exclusion to propose: no match repeats often enough, from enough clients, to call it a false positive.', '');
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
