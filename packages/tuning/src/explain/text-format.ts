import * as path from 'node:path';
import type { ExplainRecord, ExplainRule, ExplainStep, ExplainValue } from './explain-record';
import { variableWanted } from './explain-recorder';

const PHASE_NAMES: Readonly<Record<number, string>> = { 1: 'request headers', 2: 'request body', 3: 'response headers', 4: 'response body', 5: 'logging' };
const SEVERITIES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'];

export interface TextFormatOptions {
  /** Longest value shown (longer ones are cut with their length said). Default 200 bytes. */
  maxValue?: number;
  /**
   * Besides the rules that logged, interrupted or raised a score: `true` every rule the record holds (it was
   * made with `all`), a variable (`ARGS:comment`) or collection (`ARGS`) the rules that looked at it.
   */
  all?: boolean | string;
}

/** Bytes outside printable ASCII as `\xNN` (and `\`, `"` escaped), cut at `max` bytes. */
function escaped(s: string, max: number, quote: boolean): string {
  const cut = s.length > max ? s.slice(0, max) : s;
  const shown = cut.replace(/[\\"]|[^\x20-\x7e]/g, (c) => (c === '\\' ? '\\\\' : c === '"' ? (quote ? '\\"' : '"') : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
  const q = quote ? '"' : '';
  return `${q}${shown}${q}${s.length > max ? `... (${s.length} bytes)` : ''}`;
}

/** A value as one line of text: bytes outside printable ASCII as `\xNN`, quoted, cut when long. */
export function showValue(s: string, max = 200): string {
  return escaped(s, max, true);
}

/** The same without quotes: a message, an operator's parameter. */
const showBare = (s: string, max: number): string => escaped(s, max, false);

/** `@rx`, `!@streq`. */
const operatorName = (op: ExplainStep['operator']): string => `${op.negated ? '!' : ''}@${op.name}`;

function matchedParts(v: ExplainValue, max: number): string {
  const spans = v.spans ?? [];
  if (spans.length === 0) return 'matched';
  const parts: string[] = [];
  for (let i = 0; i + 1 < spans.length; i += 2) {
    const at = spans[i]!;
    const len = spans[i + 1]!;
    parts.push(`${showValue(v.value.slice(at, at + len), Math.min(max, 80))} at ${at}${len !== 1 ? `-${at + len - 1}` : ''}`);
  }
  return `matched ${parts.join(', ')}`;
}

/** CRS's settings that hold a score but never grow: thresholds and the points of each severity. */
const SCORE_SETTING = /threshold|^(?:critical|error|warning|notice)_anomaly_score$/i;

/** Whether a change raised a score (`TX:inbound_anomaly_score_pl2 0 -> 5`, `TX:sql_injection_score`). */
export function raisesScore(c: ExplainRule['changes'][number]): boolean {
  if (c.kind !== 'set' || !/score/i.test(c.key) || SCORE_SETTING.test(c.key)) return false;
  const before = Number(c.previous ?? '0');
  const after = Number(c.value ?? '0');
  return Number.isFinite(before) && Number.isFinite(after) && after > before;
}

/** A rule worth showing by default: it logged, interrupted (or would have), or raised an anomaly score. */
export function isNotable(r: ExplainRule): boolean {
  if (!r.matched) return false;
  if (r.logged === true || r.interrupted === true) return true;
  if (r.disruptive !== undefined && r.disruptive !== 'pass') return true;
  return r.changes.some(raisesScore);
}

function ruleHeading(r: ExplainRule): string {
  const bits = [String(r.id || '(no id)')];
  if (r.paranoiaLevel !== undefined) bits.push(`PL${r.paranoiaLevel}`);
  if (r.severity !== undefined) bits.push(SEVERITIES[r.severity] ?? String(r.severity));
  return `  ${bits.join('  ')}  ${r.msg === '' ? '(no msg)' : showBare(r.msg, 160)}`;
}

function stepLines(s: ExplainStep, max: number): string[] {
  const out: string[] = [];
  const chained = s.position > 0 ? `chained rule (line ${s.line}): ` : '';
  const op = `${operatorName(s.operator)} ${showBare(s.operator.parameter, 120)}`;
  if (s.values.length === 0) {
    out.push(`    ${chained}${op}${s.valuesOmitted > 0 ? ` (${s.valuesOmitted} values, none matched)` : ''} -> ${s.matched ? 'matched' : 'no match'}`);
    return out;
  }
  if (chained !== '') out.push(`    ${chained}${op}`);
  for (const v of s.values) {
    // The request's own value is in the trace of the values that matched.
    out.push(v.raw !== undefined ? `    ${v.variable} = ${showValue(v.raw, max)}` : `    ${v.variable}`);
    let previous = v.raw;
    for (const t of v.transformations) {
      out.push(`      ${t.name.padEnd(22)} ${t.value === previous ? '(unchanged)' : showValue(t.value, max)}`);
      previous = t.value;
    }
    if (chained === '') out.push(`      ${op}`);
    out.push(`        ${v.matched ? matchedParts(v, max) : 'no match'}${v.matched && v.origins !== undefined && v.origins.length > 0 ? ` (value at ${v.origins[0]} in the request)` : ''}`);
  }
  if (s.valuesOmitted > 0) out.push(`    ... and ${s.valuesOmitted} other values that did not match`);
  for (const c of s.captures) out.push(`      TX:${c.index} = ${showValue(c.value, 80)}`);
  return out;
}

function ruleLines(r: ExplainRule, max: number): string[] {
  const out = [ruleHeading(r)];
  const tags = r.tags.filter((t) => !t.startsWith('paranoia-level/'));
  out.push(`      ${path.basename(r.file)}:${r.line}${tags.length > 0 ? `   tags: ${tags.join(', ')}` : ''}`);
  if (r.skipped !== undefined) {
    out.push(`    not run: ${r.skipped}`);
    return out;
  }
  for (const s of r.steps) out.push(...stepLines(s, max));
  if (r.data !== undefined && r.data !== '') out.push(`    logdata: ${showValue(r.data, max)}`);
  if (r.messages !== undefined && r.messages > 1) out.push(`    ${r.logged === true ? 'logged' : 'recorded'} ${r.messages} messages: one per match (multiMatch)`);
  for (const c of r.changes) {
    if (c.kind === 'set') out.push(`    ${c.collection}:${c.key}  ${c.previous === undefined ? '(unset)' : showValue(c.previous, 60)} -> ${c.value === undefined ? '(removed)' : showValue(c.value, 60)}`);
    else if (c.kind === 'ctl') out.push(`    ctl:${c.name}=${c.value}`);
    else out.push(`    setenv ${c.name}=${c.value === undefined ? '(removed)' : showValue(c.value, 60)}`);
  }
  if (r.interrupted === true) out.push(`    -> ${r.disruptive ?? 'deny'}${r.status !== undefined ? ` with status ${r.status}` : ''}: interrupts the transaction`);
  else if (r.matched && r.disruptive !== undefined && r.disruptive !== 'pass' && r.disruptive !== 'allow') out.push(`    -> would ${r.disruptive}${r.status !== undefined ? ` with status ${r.status}` : ''} (the engine is not On)`);
  return out;
}

/**
 * The record as text for a person, phase by phase: each rule that logged, interrupted or changed an anomaly
 * score (every rule the record holds with `all`), the values it saw and what each transformation made of them,
 * the operator and what it matched where, the scores as they grow, then the verdict and the rule that decided.
 */
export function formatExplainText(record: ExplainRecord, options: TextFormatOptions = {}): string {
  const max = options.maxValue ?? 200;
  const r = record.request;
  const out: string[] = [];
  out.push(`${r.method} ${showBare(r.target, 300)} ${r.protocol} from ${r.clientIp}:${r.clientPort} to ${r.serverIp}:${r.serverPort}; ${r.headers.length} headers, body ${r.body.length} bytes; transaction ${record.id}`);
  for (const n of record.notes) out.push(`note: ${n}`);
  for (const p of record.phases) {
    out.push('');
    const title = `Phase ${p.phase} (${PHASE_NAMES[p.phase]})`;
    if (p.skipped !== undefined) {
      out.push(`${title}: not run (${p.skipped === 'engine-off' ? 'SecRuleEngine Off' : p.skipped === 'allow' ? 'an allow action' : 'the transaction was interrupted'})`);
      continue;
    }
    const all = options.all;
    const shown = all === true ? p.rules : p.rules.filter((x) => isNotable(x) || (typeof all === 'string' && x.steps.some((st) => st.values.some((v) => variableWanted(all, v.variable)))));
    const quiet = p.rules.filter((x) => x.matched).length - shown.filter((x) => x.matched).length;
    out.push(`${title}: ${p.ran} rules ran, ${p.matched} matched${quiet > 0 ? ` (${quiet} of them without logging or scoring: setup and bookkeeping; --all '*' shows them)` : ''}${p.stopped !== undefined ? '; the phase stopped there: the transaction was interrupted' : ''}`);
    for (const rule of shown) out.push(...ruleLines(rule, max));
  }
  out.push('');
  const scores = Object.entries(record.scores).filter(([k]) => /^(?:blocking_)?(?:inbound|outbound)_anomaly_score$|^anomaly_score$/i.test(k));
  if (scores.length > 0) out.push(`Anomaly scores: ${scores.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const v = record.verdict;
  if (v.interrupted) out.push(`Verdict: interrupted, ${v.action ?? 'deny'} with status ${v.status ?? '?'}, by rule ${v.ruleId ?? '?'}${v.phase !== undefined ? ` in phase ${v.phase}` : ''}`);
  else if (v.wouldInterrupt !== undefined) {
    out.push(`Verdict: passed, because the engine is ${v.engine}; with SecRuleEngine On, rule ${v.wouldInterrupt.ruleId} would ${v.wouldInterrupt.action}${v.wouldInterrupt.status !== undefined ? ` with status ${v.wouldInterrupt.status}` : ''}`);
  } else out.push(`Verdict: passed (no rule interrupted the transaction; engine ${v.engine})`);
  out.push(`Logged rules (the error log's [id]s): ${v.loggedRuleIds.length > 0 ? v.loggedRuleIds.join(', ') : 'none'}`);
  return `${out.join('\n')}\n`;
}
