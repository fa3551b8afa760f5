import type { CompiledRule, TraceEvent, TraceSink, Transaction } from '@rampart/engine';
import { paranoiaLevelOf } from '../audit-log/rule-message';
import type { HttpRequest } from '../request/http-request';
import type { ExplainPhase, ExplainRecord, ExplainRule, ExplainStep, ExplainTransformation, ExplainValue, ExplainVerdict } from './explain-record';

export interface ExplainOptions {
  /**
   * Which rules that ran without matching to keep, with the values they looked at: `true` every one, a variable
   * (`ARGS:comment`) or a collection (`ARGS`) the ones that looked at it. Default: only the rules that matched.
   */
  all?: boolean | string;
}

/** Whether a value's variable is the one asked for: `ARGS` takes `ARGS:comment`, `ARGS:comment` only itself (names compared as the engine compares keys: case-insensitively). */
export function variableWanted(filter: string, variable: string): boolean {
  const f = filter.toLowerCase();
  const v = variable.toLowerCase();
  return f.includes(':') ? v === f : v === f || v.startsWith(`${f}:`);
}

/** Makes data of a value that may be a number array the trace shares with the engine (records outlive the transaction). */
const copy = (spans: readonly number[]): number[] => Array.from(spans);

/**
 * Builds an ExplainRecord from a transaction's evaluation trace, as the events arrive: attach it with
 * `waf.newTransaction({ trace: recorder })`, run the transaction, then `record(tx, request)`. What does not
 * go into the record (the values of rules that did not match, unless `all` asks for them) is dropped as the
 * trace goes, so a large request costs the record's size, not the trace's.
 *
 * @example
 * const recorder = new ExplainRecorder();
 * const tx = waf.newTransaction({ trace: recorder });
 * // ... the phases ...
 * const record = recorder.record(tx, request);
 */
export class ExplainRecorder implements TraceSink {
  readonly values = true;
  private readonly phases: ExplainPhase[] = [];
  private phase: ExplainPhase | undefined;
  private rule: ExplainRule | undefined;
  private step: ExplainStep | undefined;
  private pending: ExplainTransformation[] = [];
  /** Whether the last value looked at is to be kept whatever the rule's result (it is of the variable asked for). */
  private lastKept = false;
  private wouldInterrupt: ExplainVerdict['wouldInterrupt'];
  /** The chains that matched and logged, as the trace saw them (the error log's ids). */
  private readonly logged: number[] = [];

  constructor(private readonly options: ExplainOptions = {}) {}

  private keepsValue(variable: string): boolean {
    const all = this.options.all;
    return all === true || (typeof all === 'string' && variableWanted(all, variable));
  }

  private currentPhase(): ExplainPhase {
    // A rule outside any phase event cannot happen with the engine's evaluator; a record must not lose it.
    this.phase ??= this.openPhase(1, 0);
    return this.phase;
  }

  private openPhase(phase: ExplainPhase['phase'], ruleCount: number): ExplainPhase {
    const p: ExplainPhase = { phase, ruleCount, ran: 0, matched: 0, rules: [] };
    this.phases.push(p);
    return p;
  }

  /** The rule (chain) that ran last is done: kept when it matched, or ran on what `all` asks for. */
  private closeRule(): void {
    this.closeValue();
    const r = this.rule;
    if (r === undefined) return;
    this.rule = undefined;
    this.step = undefined;
    const all = this.options.all;
    const ranOnWanted = all === true || r.steps.some((s) => s.values.length > 0);
    if (r.matched || (all !== undefined && all !== false && ranOnWanted)) this.currentPhase().rules.push(r);
  }

  /** Drops the last value looked at unless it matched or is of the variable asked for. */
  private closeValue(): void {
    const s = this.step;
    if (s === undefined || s.values.length === 0) return;
    const last = s.values[s.values.length - 1]!;
    if (!last.matched && !this.lastKept) {
      s.values.pop();
      s.valuesOmitted++;
    }
    this.lastKept = true;
  }

  private describe(rule: CompiledRule): ExplainRule {
    const head = rule.head;
    const pl = paranoiaLevelOf(head.tags);
    return {
      id: head.id,
      file: head.loc.file,
      line: head.loc.line,
      msg: head.msg?.constant ?? '',
      tags: [...head.tags],
      ...(pl !== undefined ? { paranoiaLevel: pl } : {}),
      ...(head.severity !== undefined ? { severity: head.severity } : {}),
      matched: false,
      steps: [],
      changes: [],
    };
  }

  event(e: TraceEvent): void {
    switch (e.kind) {
      case 'phase':
        this.closeRule();
        this.phase = this.openPhase(e.phase, e.ruleCount);
        if (e.skipped !== undefined) this.phase.skipped = e.skipped;
        break;
      case 'phase-stopped':
        this.closeRule();
        this.currentPhase().stopped = e.reason;
        break;
      case 'rule': {
        const rule = e.rule;
        if (rule.head === rule || this.rule === undefined) {
          this.closeRule();
          this.rule = this.describe(rule);
          this.currentPhase().ran++;
        } else this.closeValue();
        this.step = {
          position: this.rule.steps.length,
          line: rule.loc.line,
          operator: { name: rule.operator.name, negated: rule.operator.negated, parameter: e.parameter },
          values: [],
          valuesOmitted: 0,
          matched: false,
          captures: [],
        };
        this.rule.steps.push(this.step);
        this.pending = [];
        this.lastKept = true;
        break;
      }
      case 'rule-skipped':
        if (this.options.all === true && e.rule.head === e.rule && e.rule.id !== 0) {
          this.closeRule();
          const r = this.describe(e.rule);
          r.skipped = e.reason === 'skip' ? `skip (${e.remaining ?? 0} more)` : e.reason === 'skipAfter' ? `skipAfter ${e.marker ?? ''}` : e.reason;
          this.currentPhase().rules.push(r);
        }
        break;
      case 'transformation':
        this.pending.push({ name: e.name, value: e.value });
        break;
      case 'target-value': {
        this.closeValue();
        const v: ExplainValue = { variable: e.variable, transformations: this.pending, value: e.value, matched: false };
        this.pending = [];
        this.step?.values.push(v);
        this.lastKept = this.keepsValue(e.variable);
        break;
      }
      case 'match': {
        const values = this.step?.values;
        const last = values?.[values.length - 1];
        if (last !== undefined && last.variable === e.variable && !last.matched) {
          last.matched = true;
          last.raw = e.raw;
          last.spans = copy(e.spans);
          last.origins = copy(e.origins);
        } else if (this.step !== undefined) {
          // A match without its value event (a sink that asked for no values cannot get here, but be whole).
          this.step.values.push({ variable: e.variable, raw: e.raw, transformations: [], value: e.value, matched: true, spans: copy(e.spans), origins: copy(e.origins) });
        }
        break;
      }
      case 'capture':
        this.step?.captures.push({ index: e.index, value: e.value });
        break;
      case 'rule-result':
        this.closeValue();
        if (this.step !== undefined) this.step.matched = e.matched;
        break;
      case 'variable-set':
        this.rule?.changes.push({ kind: 'set', collection: e.collection, key: e.key, value: e.value, previous: e.previous });
        break;
      case 'env-set':
        this.rule?.changes.push({ kind: 'env', name: e.name, value: e.value });
        break;
      case 'ctl':
        this.rule?.changes.push({ kind: 'ctl', name: e.name, value: e.value });
        break;
      case 'allow':
        this.rule?.changes.push({ kind: 'ctl', name: 'allow', value: e.scope });
        break;
      case 'chain-matched': {
        const r = this.rule;
        if (r === undefined) break;
        r.matched = true;
        r.msg = e.msg;
        r.data = e.data;
        r.tags = [...e.tags];
        if (e.severity !== undefined) r.severity = e.severity;
        r.logged = e.logged;
        if (e.disruptive !== undefined) r.disruptive = e.disruptive;
        r.interrupted = e.interrupted;
        if (e.status !== undefined) r.status = e.status;
        this.currentPhase().matched++;
        r.messages = e.messages;
        // A multiMatch head that logs writes one line per match.
        if (e.logged) for (let i = 0; i < e.messages; i++) this.logged.push(r.id);
        const acts = e.disruptive !== undefined && e.disruptive !== 'pass' && e.disruptive !== 'allow';
        if (acts && !e.interrupted && e.engine !== 'On' && this.wouldInterrupt === undefined) {
          this.wouldInterrupt = { ruleId: r.id, status: e.status, action: e.disruptive === 'block' ? 'deny' : e.disruptive! };
        }
        break;
      }
    }
  }

  /** The record of the transaction once it has run (its phases up to logging, or those the caller ran). */
  record(tx: Transaction, request: HttpRequest): ExplainRecord {
    this.closeRule();
    const it = tx.interruption;
    const verdict: ExplainVerdict = {
      interrupted: it !== undefined,
      engine: tx.settings.ruleEngine,
      loggedRuleIds: [...this.logged],
    };
    if (it !== undefined) {
      verdict.status = it.status;
      verdict.action = it.action;
      verdict.ruleId = it.ruleId;
      const decided = tx.matchedRules.find((m) => m.disruptive && m.id === it.ruleId);
      if (decided !== undefined) verdict.phase = decided.phase;
    } else if (this.wouldInterrupt !== undefined) {
      verdict.wouldInterrupt = this.wouldInterrupt;
      verdict.ruleId = this.wouldInterrupt.ruleId;
    }
    const scores: Record<string, string> = {};
    for (const entry of tx.collection('TX')?.entries() ?? []) if (/anomaly_score/i.test(entry.key)) scores[entry.key] = entry.value;
    const c = request.connection;
    return {
      format: 'rampart-explain/1',
      id: tx.id,
      request: {
        method: request.method,
        target: request.target,
        protocol: request.protocol,
        headers: request.headers.map(([n, v]) => [n, v]),
        body: request.body,
        clientIp: c.clientIp,
        clientPort: c.clientPort,
        serverIp: c.serverIp,
        serverPort: c.serverPort,
      },
      notes: [...request.notes],
      phases: this.phases,
      verdict,
      scores,
    };
  }
}
