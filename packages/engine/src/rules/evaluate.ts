import type { Collection, Entry } from '../collections/collection';
import type { Transaction } from '../transaction';
import type { CompiledRule, CompiledSelector, CompiledTarget } from './compiled-rule';
import { formatErrorLogLine } from '../log/error-log';
import { evaluateXPathForTx } from '../request/xml-variable';

/** Runs every rule of one phase in order, honouring skip, skipAfter, removals and interruptions. */
export function runPhase(tx: Transaction, phase: number): void {
  const rules = tx.waf.rulesForPhase(phase);
  let skipAfter: string | undefined;
  let skip = 0;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (rule.marker !== undefined) {
      if (skipAfter !== undefined && rule.marker === skipAfter) skipAfter = undefined;
      continue;
    }
    if (skipAfter !== undefined) continue;
    if (skip > 0) {
      skip--;
      continue;
    }
    if (rule.id !== 0 && tx.isRuleRemoved(rule)) continue;
    if (!evaluateRule(tx, rule)) continue;
    if (tx.interruption) return;
    if (tx.allowScope !== undefined) {
      // allow / allow:phase / allow:request stop this phase; runPhaseOnce decides about later ones.
      if (tx.allowScope === 'phase') tx.allowScope = undefined;
      return;
    }
    if (rule.skipAfter !== undefined) skipAfter = rule.skipAfter;
    else if (rule.skip > 0) skip = rule.skip;
  }
}

interface ValueRef {
  name: string;
  value: string;
}

/**
 * Evaluates one rule and, when it matches, the rest of its chain. Per-match actions (setvar) run as each
 * value matches, as ModSecurity v3 does; the other actions run once the whole chain matched.
 */
function evaluateRule(tx: Transaction, rule: CompiledRule): boolean {
  const isHead = rule.head === rule;
  if (isHead) {
    tx.collection('MATCHED_VARS')!.clear();
    tx.collection('MATCHED_VARS_NAMES')!.clear();
  }
  tx.currentRule = rule;
  let matched = false;

  if (rule.unconditional) {
    matched = true;
    if (rule.capture && rule.operator.name !== '') tx.captures = null;
    for (const a of rule.perMatchActions) a(tx, rule);
    tx.lastMatch = { variable: '', value: '' };
  } else {
    for (const target of rule.targets) {
      const values = targetValues(tx, rule, target);
      for (let v = 0; v < values.length; v++) {
        const ref = values[v]!;
        const candidates = transformed(tx, rule, ref.value);
        for (const candidate of candidates) {
          tx.captures = rule.capture && !rule.operator.negated ? [] : null;
          const result = rule.operator.match(candidate, tx);
          if (typeof result !== 'boolean') {
            throw new Error(`rule ${rule.head.id}: operator @${rule.operator.name} is asynchronous; use the async transaction API`);
          }
          if (result === rule.operator.negated) continue;
          matched = true;
          if (tx.captures) storeCaptures(tx, tx.captures);
          tx.matchedVar = candidate;
          tx.matchedVarName = ref.name;
          tx.collection('MATCHED_VARS')!.add(ref.name, candidate);
          tx.collection('MATCHED_VARS_NAMES')!.add(ref.name, ref.name);
          for (const a of rule.perMatchActions) a(tx, rule);
          tx.lastMatch = { variable: ref.name, value: candidate };
          if (!rule.multiMatch) break;
        }
      }
    }
  }
  tx.captures = null;
  if (!matched) return false;
  if (rule.chained && !evaluateRule(tx, rule.chained)) return false;
  tx.currentRule = rule;
  for (const a of rule.afterMatchActions) a(tx, rule);
  if (isHead) onChainMatched(tx, rule);
  return true;
}

/** TX:0-TX:9 from the operator's captures; ModSecurity clears the ones the match did not produce. */
function storeCaptures(tx: Transaction, captures: string[]): void {
  const txc = tx.collection('TX')!;
  for (let i = 0; i < 10; i++) {
    const c = captures[i];
    if (c !== undefined) txc.set(String(i), c);
    else if (i < captures.length) txc.set(String(i), '');
  }
}

function transformed(tx: Transaction, rule: CompiledRule, value: string): readonly string[] {
  const chain = rule.transformations;
  if (chain.length === 0) return [value];
  let cache = tx.transformCache.get(rule.transformationKey);
  if (!cache) {
    cache = new Map();
    tx.transformCache.set(rule.transformationKey, cache);
  }
  const hit = cache.get(value);
  if (rule.multiMatch) {
    if (Array.isArray(hit)) return hit;
    const steps = [value];
    let cur = value;
    for (const t of chain) {
      const next = t.transform(cur, tx.waf.transformationContext);
      if (next !== cur) steps.push(next);
      cur = next;
    }
    // Keep the single final value cached for rules without multiMatch sharing this chain.
    cache.set(value, steps);
    return steps;
  }
  if (typeof hit === 'string') return [hit];
  if (Array.isArray(hit)) return [hit[hit.length - 1]!];
  let cur = value;
  for (const t of chain) cur = t.transform(cur, tx.waf.transformationContext);
  cache.set(value, cur);
  return [cur];
}

function selectorMatches(sel: CompiledSelector, key: string): boolean {
  switch (sel.kind) {
    case 'all':
      return true;
    case 'key':
      return key.length === sel.lower.length && key.toLowerCase() === sel.lower;
    case 'regex':
      return sel.re.test(key);
    case 'xpath':
      return false;
  }
}

function isExcluded(tx: Transaction, rule: CompiledRule, variable: string, key: string): boolean {
  for (const ex of rule.exclusions) if (ex.variable === variable && selectorMatches(ex.selector, key)) return true;
  const head = rule.head;
  for (const ex of tx.targetExclusions) {
    if (ex.variable === variable && selectorMatches(ex.selector, key) && ex.appliesTo(head)) return true;
  }
  return false;
}

function targetValues(tx: Transaction, rule: CompiledRule, target: CompiledTarget): ValueRef[] {
  const variable = target.variable;
  if (target.selector.kind === 'xpath') {
    const sel = target.selector;
    const values = evaluateXPathForTx(tx, rule, sel.xpath);
    if (target.count) return [{ name: variable, value: String(values.length) }];
    return values.map((v) => ({ name: `${variable}:${sel.path}`, value: v }));
  }
  const def = tx.waf.variables(variable);
  if (!def) return [];
  const data = def.read(tx);
  if (data === undefined) return target.count ? [{ name: variable, value: '0' }] : [];
  if (typeof data === 'string') {
    if (target.count) return [{ name: variable, value: '1' }];
    return [{ name: variable, value: data }];
  }
  const out: ValueRef[] = [];
  const sel = target.selector;
  const entries: readonly Entry[] = sel.kind === 'key' ? (data as Collection).get(sel.key) : data.entries();
  let n = 0;
  for (const e of entries) {
    if (sel.kind === 'regex' && !sel.re.test(e.key)) continue;
    if ((rule.exclusions.length > 0 || tx.targetExclusions.length > 0) && isExcluded(tx, rule, variable, e.key)) continue;
    n++;
    if (!target.count) out.push({ name: `${variable}:${e.key}`, value: e.value });
  }
  if (target.count) return [{ name: variable, value: String(n) }];
  return out;
}

/** The chain matched: record it, log it, and apply the head's disruptive action and flow. */
function onChainMatched(tx: Transaction, head: CompiledRule): void {
  const engine = tx.settings.ruleEngine;
  const disruptive = tx.waf.effectiveDisruptive(head);
  const interrupts = engine === 'On' && disruptive !== undefined && disruptive !== 'pass' && disruptive !== 'allow';
  const msg = head.msg ? head.msg.expand(tx) : '';
  const data = head.logdata ? head.logdata.expand(tx) : '';
  if (head.severity !== undefined && head.log && head.severity < tx.highestSeverity) {
    tx.highestSeverity = head.severity;
    tx.vars.set('HIGHEST_SEVERITY', String(head.severity));
  }
  const status = interrupts ? tx.waf.effectiveStatus(head, disruptive!) : undefined;
  const line = formatErrorLogLine(tx, head, { ...tx.lastMatch, msg, data, status });
  if (head.log) tx.log(line);
  tx.matchedRules.push({
    id: head.id,
    phase: head.phase,
    file: head.loc.file,
    line: head.loc.line,
    msg,
    data,
    severity: head.severity,
    tags: head.tags,
    ver: head.ver,
    rev: head.rev,
    maturity: head.maturity,
    accuracy: head.accuracy,
    logged: head.log,
    disruptive: interrupts,
    matchedVar: tx.matchedVar ?? '',
    matchedVarName: tx.matchedVarName ?? '',
    logLine: line,
  });
  if (disruptive === 'allow' && engine === 'On') {
    tx.allowScope = head.allowScope ?? 'all';
    return;
  }
  if (!interrupts) return;
  const action = disruptive === 'block' ? 'deny' : (disruptive as 'deny' | 'drop' | 'redirect' | 'proxy' | 'pause');
  tx.interruption = {
    status: status!,
    ruleId: head.id,
    action,
    ...(action === 'redirect' && head.redirect ? { url: head.redirect.expand(tx) } : {}),
    ...(head.log ? { log: line } : {}),
  };
}
