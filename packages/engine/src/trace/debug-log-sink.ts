import type { DebugLogger } from '../audit/debug-log';
import { debugMessages as dm } from '../audit/debug-messages';
import type { Transaction } from '../transaction';
import type { TraceEvent, TraceSink } from './events';

/**
 * The trace written to SecDebugLog: each event as the lines libmodsecurity v3 writes for it, at v3's level
 * (4: phases, rules and their results, actions; 7: captures; 8: variables set, disruptive actions; 9: every
 * value, transformation and skipped rule). `values` is set for the level-9 sink only, so that at levels 4 to 8
 * the evaluator builds nothing per value.
 */
export function debugLogSink(debug: DebugLogger, values: boolean): TraceSink {
  return {
    values,
    matches: false,
    event(e: TraceEvent, tx: Transaction): void {
      const log = (level: number, message: string): void => {
        if (debug.enabled(level, tx)) debug.log(level, tx, message);
      };
      writeEvent(e, log);
    },
  };
}

function writeEvent(e: TraceEvent, log: (level: number, message: string) => void): void {
  switch (e.kind) {
    case 'phase':
      log(4, dm.phaseStart(e.phase));
      if (e.skipped === 'engine-off') log(4, dm.engineDisabled());
      else if (e.skipped === 'interrupted') log(8, dm.phaseIntercepted());
      else {
        log(9, dm.phaseRules(e.ruleCount));
        if (e.skipped === 'allow') log(9, dm.phaseAllowed());
      }
      return;
    case 'phase-stopped':
      log(8, dm.phaseIntercepted());
      return;
    case 'rule':
      if (e.rule.head !== e.rule) log(4, dm.chainedRule());
      log(4, dm.ruleStart(e.rule, e.parameter));
      return;
    case 'rule-skipped':
      switch (e.reason) {
        case 'skip':
          log(9, dm.ruleSkippedBySkip(e.rule, e.remaining ?? 0));
          return;
        case 'skipAfter':
          log(9, dm.ruleSkippedByMarker(e.rule, e.marker ?? ''));
          return;
        case 'allow':
          log(9, dm.ruleSkippedByAllow(e.rule));
          return;
        case 'ctl-remove-id':
          log(9, dm.ruleRemovedById(e.rule));
          return;
        case 'ctl-remove-tag':
          log(9, dm.ruleRemovedBy(e.rule, 'Tag'));
          return;
        case 'ctl-remove-msg':
          log(9, dm.ruleRemovedBy(e.rule, 'Msg'));
          return;
        case 'removed-id':
        case 'removed-msg':
        case 'removed-tag':
          log(9, dm.ruleRemovedByDirective(e.rule, e.reason));
          return;
      }
      return;
    case 'transformation':
      log(9, dm.transformation(e.step, e.name, e.value));
      return;
    case 'target-value':
      if (e.candidates !== undefined) log(9, dm.multiMatch(e.candidates));
      log(9, dm.targetValue(e.variable, e.value));
      return;
    case 'match':
      // Not sent to this sink (matches: false): v3 writes nothing for a match (the error log says where).
      return;
    case 'capture':
      log(7, dm.capture(e.rule.operator.name, e.index, e.value));
      return;
    case 'rule-result':
      // v3 says nothing more for a rule without operator (SecAction).
      if (!(e.rule.unconditional && e.rule.targets.length === 0)) log(4, dm.ruleResult(e.matched));
      return;
    case 'variable-set':
      log(4, dm.independentAction('setvar'));
      if (e.value !== undefined) log(8, dm.variableSaved(e.collection, e.key, e.value));
      return;
    case 'env-set':
      if (e.value !== undefined) log(8, dm.environmentSet(e.name, e.value));
      return;
    case 'ctl':
      if (e.name === 'ruleEngine') log(8, dm.ruleEngineSet(e.value));
      return;
    case 'chain-matched':
      // v3's order once a rule matched: its tags, then msg, then the other actions, the disruptive one last.
      for (const tag of e.tags) {
        log(4, dm.tagAction());
        log(9, dm.ruleTag(tag));
      }
      if (e.rule.msg !== undefined) log(9, dm.msgSaved(e.msg));
      if (e.logged) log(9, dm.action('log'));
      if (e.disruptive !== undefined && e.disruptive !== 'pass' && e.disruptive !== 'allow') {
        const name = e.disruptive === 'block' ? 'deny' : e.disruptive;
        if (e.interrupted) {
          log(4, dm.disruptive(name));
          log(8, dm.disruptiveRuns(name));
        } else log(4, dm.disruptiveNotRun(name));
      }
      return;
    case 'allow':
      log(4, dm.allow(e.scope));
      return;
  }
}
