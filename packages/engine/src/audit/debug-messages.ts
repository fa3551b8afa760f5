import type { CompiledRule, CompiledTarget } from '../rules/compiled-rule';
import { limitTo, toHexIfNeeded } from './rule-message';

/**
 * The debug-log messages of rule evaluation, worded as libmodsecurity v3 words them (src/transaction.cc,
 * rules_set.cc, rule_with_operator.cc, rule_with_actions.cc, actions/*.cc), so that people and tools that read
 * its debug logs find the same lines. The level each is written at is trace/debug-log-sink.ts's business.
 */

const PHASE_STARTS = [
  '',
  // Two spaces: v3's own text.
  'Starting phase REQUEST_HEADERS.  (SecRules 1)',
  'Starting phase REQUEST_BODY. (SecRules 2)',
  'Starting phase RESPONSE_HEADERS. (SecRules 3)',
  'Starting phase RESPONSE_BODY. (SecRules 4)',
  'Starting phase LOGGING. (SecRules 5)',
];

/** v3's operator names (`Operator::m_op`): the SecLang name with a capital, but for these. */
const OPERATOR_NAMES: Readonly<Record<string, string>> = { streq: 'StrEq', strmatch: 'StrMatch' };

/** Operators v3 builds without a parameter: its message then has no `with param` (and no closing quote). */
const WITHOUT_PARAMETER = new Set(['detectSQLi', 'detectXSS', 'unconditionalMatch', 'noMatch', 'validateUrlEncoding', 'validateUtf8Encoding']);

/** How v3 reports an operator's capture (its own words per operator, level 7). */
const CAPTURE_WORDS: Readonly<Record<string, string>> = {
  pm: 'pm match',
  pmFromFile: 'pm match',
  detectSQLi: 'DetectSQLi match',
  detectXSS: 'DetectXSS match',
  verifyCC: 'VerifyCC match',
  verifyCPF: 'VerifyCPF match',
  verifySSN: 'VerifySSN match',
  verifySVNR: 'VerifySVNR match',
  rbl: 'RXL match',
};

const ENGINE_STATES: Readonly<Record<string, string>> = { on: 'Enabled', off: 'Disabled', detectiononly: 'DetectionOnly' };
const ALLOW_TYPES: Readonly<Record<string, string>> = { all: 'FromNowOn', phase: 'Phase', request: 'Request' };

export function operatorName(name: string): string {
  return OPERATOR_NAMES[name] ?? (name.length === 0 ? name : name[0]!.toUpperCase() + name.slice(1));
}

/** A target as v3 prints it in `against ARGS|REQUEST_HEADERS:User-Agent`. */
function targetName(t: CompiledTarget): string {
  const sel = t.selector;
  const key = sel.kind === 'key' ? `:${sel.key}` : sel.kind === 'regex' ? `:/${sel.source}/` : sel.kind === 'xpath' ? `:${sel.path}` : '';
  return `${t.count ? '&' : ''}${t.variable}${key}`;
}

/** v3's reference to a rule in skip messages: its id, or file:line for a rule without operator (SecAction). */
function ruleReference(rule: CompiledRule): string {
  return rule.unconditional && rule.targets.length === 0 ? `${rule.loc.file}:${rule.loc.line}` : String(rule.id);
}

export const debugMessages = {
  /** Level 4, as each phase starts. */
  phaseStart: (phase: number): string => PHASE_STARTS[phase] ?? `Starting phase ${phase}.`,
  /** Level 9, before the phase's rules run. */
  phaseRules: (count: number): string => `This phase consists of ${count} rule(s).`,
  /** Level 4, SecRuleEngine Off. */
  engineDisabled: (): string => 'Rule engine disabled, returning...',
  /** Level 9, an allow covers the phase. */
  phaseAllowed: (): string => "Skipping all rules evaluation on this phase as request through the utilization of an `allow' action.",
  /** Level 8, the transaction was interrupted (v3 then leaves the phase). */
  phaseIntercepted: (): string => 'Skipping this phase as this request was already intercepted.',
  /** Level 4, before a chained rule runs. */
  chainedRule: (): string => 'Executing chained rule.',
  /** Level 4, a rule starts: `(Rule: 42) Executing operator "Rx" with param "..." against ARGS.` */
  ruleStart: (rule: CompiledRule, parameter: string): string => {
    if (rule.unconditional && rule.targets.length === 0) return `(Rule: ${rule.id}) Executing unconditional rule...`;
    const op = rule.operator;
    const against = rule.targets.map(targetName).join('|');
    if (WITHOUT_PARAMETER.has(op.name) && op.argument === '') return `(Rule: ${rule.id}) Executing operator "${operatorName(op.name)} against ${against}.`;
    // v3 shows the expanded parameter, and what was written when it had macros.
    const param = op.expandArgument !== undefined ? `"${parameter}" Was: "${op.argument}"` : `"${parameter}"`;
    return `(Rule: ${rule.id}) Executing operator "${operatorName(op.name)}" with param ${param} against ${against}.`;
  },
  /** Level 9, removed for this transaction by ctl:ruleRemoveById. */
  ruleRemovedById: (rule: CompiledRule): string => `Rule id: ${rule.id} was skipped due to a ruleRemoveById action...`,
  /** Level 9, removed for this transaction by ctl:ruleRemoveByTag (ByMsg: Rampart's, in the same words). */
  ruleRemovedBy: (rule: CompiledRule, what: 'Tag' | 'Msg'): string => `Skipped rule id '${ruleReference(rule)}'. Skipped due to a ruleRemoveBy${what} action.`,
  /** Level 9, removed by SecRuleRemoveById/ByMsg/ByTag (v3's rules_set.cc, its grammar included). */
  ruleRemovedByDirective: (rule: CompiledRule, reason: 'removed-id' | 'removed-msg' | 'removed-tag'): string =>
    `Skipped rule id '${ruleReference(rule)}'. Removed by ${reason === 'removed-id' ? 'an SecRuleRemove' : reason === 'removed-msg' ? 'a SecRuleRemoveByMsg' : 'a SecRuleRemoveByTag'} directive.`,
  /** Level 9, passed over by a skip action. */
  ruleSkippedBySkip: (rule: CompiledRule, remaining: number): string => `Skipped rule id '${ruleReference(rule)}' due to a \`skip' action. Still ${remaining} to be skipped.`,
  /** Level 9, passed over on the way to a SecMarker. */
  ruleSkippedByMarker: (rule: CompiledRule, marker: string): string => `Skipped rule id '${ruleReference(rule)}' due to a SecMarker: ${marker}`,
  /** Level 9, passed over after an allow. */
  ruleSkippedByAllow: (rule: CompiledRule): string => `Skipped rule id '${ruleReference(rule)}' as request trough the utilization of an \`allow' action.`,
  /** Level 9, each transformation (a leading space: v3's own text). */
  transformation: (step: number, name: string, value: string): string => ` T (${step}) ${name}: "${limitTo(80, value)}"`,
  /** Level 9, with multiMatch, before the values are tried. */
  multiMatch: (count: number): string => `multiMatch is enabled. ${count} values to be tested.`,
  /** Level 9, each value the operator runs against. */
  targetValue: (variable: string, value: string): string => `Target value: "${limitTo(80, toHexIfNeeded(value))}" (Variable: ${variable})`,
  /** Level 7, a capture stored in TX. */
  capture: (operator: string, index: number, value: string): string =>
    CAPTURE_WORDS[operator] !== undefined ? `Added ${CAPTURE_WORDS[operator]} TX.${index}: ${value}` : `Added regex subexpression TX.${index}: ${value}`,
  /** Level 4, after the operator ran over every target (1: something matched). */
  ruleResult: (matched: boolean): string => `Rule returned ${matched ? 1 : 0}.`,
  /** Level 4, setvar runs for each matching value. */
  independentAction: (name: string): string => `Running [independent] (non-disruptive) action: ${name}`,
  /** Level 8, setvar wrote a variable. */
  variableSaved: (collection: string, key: string, value: string): string => `Saving variable: ${collection}:${key} with value: ${value}`,
  /** Level 8, setenv. */
  environmentSet: (name: string, value: string): string => `Setting environment variable: ${name} to ${value}`,
  /** Level 8, ctl:ruleEngine. */
  ruleEngineSet: (mode: string): string => `Setting SecRuleEngine to ${ENGINE_STATES[mode.toLowerCase()] ?? mode} as requested by a ctl:ruleEngine action`,
  /** Level 4 and 9, each tag of a matched rule. */
  tagAction: (): string => 'Running (non-disruptive) action: tag',
  ruleTag: (tag: string): string => `Rule tag: ${tag}`,
  /** Level 9, the msg of a matched rule. */
  msgSaved: (msg: string): string => `Saving msg: ${msg}`,
  /** Level 9, a non-disruptive action of a matched rule (`log`). */
  action: (name: string): string => `Running action: ${name}`,
  /** Level 4, the disruptive action of a matched rule (five spaces: v3's own text). */
  disruptive: (name: string): string => `Running (disruptive)     action: ${name}.`,
  /** Level 4, the disruptive action does not run (DetectionOnly). */
  disruptiveNotRun: (name: string): string => `Not running any disruptive action (or block): ${name}. SecRuleEngine is not On.`,
  /** Level 8, the disruptive action itself. */
  disruptiveRuns: (name: string): string =>
    name === 'drop' ? 'Running action drop [executing deny instead of drop.]' : `Running action ${name}`,
  /** Level 4, an allow matched. */
  allow: (scope: 'all' | 'phase' | 'request'): string => `Dropping the evaluation of upcoming rules in favor of an \`allow' action of type: ${ALLOW_TYPES[scope] ?? scope}`,
};
