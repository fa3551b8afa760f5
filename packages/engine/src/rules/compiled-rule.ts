import type { SourceLocation } from '@rampart/seclang';
import type { Expandable, AsyncOperatorMatcher } from '../operators/types';
import type { TransformationDefinition } from '../transformations/types';
import type { Transaction } from '../transaction';
import type { CompiledXPath } from '../body/xpath';
import type { VariableDefinition } from '../variables/table';
import type { RegexSetRef } from './regex-sets';
import type { PrefilterRef } from '../prefilter/regex-prefilter';
import type { ReadAheadOpen } from '../collections/read-ahead';

/** How a target picks entries out of its variable. */
export type CompiledSelector =
  | { kind: 'all' }
  | { kind: 'key'; key: string; lower: string }
  | { kind: 'regex'; source: string; matches: (key: string) => boolean }
  | { kind: 'xpath'; path: string; xpath: CompiledXPath };

export interface CompiledTarget {
  /** Canonical variable name, e.g. `ARGS`. */
  variable: string;
  /** Resolved at load time so evaluation does no name lookup. */
  definition: VariableDefinition;
  selector: CompiledSelector;
  count: boolean;
  /** The rule's own exclusions of this variable (`!ARGS:foo`), set once the rule set is complete. */
  exclusions?: CompiledSelector[] | undefined;
}

/** `!ARGS:foo` or `!REQUEST_COOKIES:/^_ga/`: entries of `variable` this rule must not inspect. */
export interface Exclusion {
  variable: string;
  selector: CompiledSelector;
  /**
   * A regex exclusion added by SecRuleUpdateTargetBy*: it also removes the matching keys of the variable's family
   * (`!ARGS:/x/` removes ARGS_NAMES:x; rules/key-families.ts).
   */
  family?: boolean;
}

/** A run-time action: setvar, ctl, setenv, initcol, ... It returns nothing and never throws. */
export type RuntimeAction = (tx: Transaction, rule: CompiledRule) => void;

export type DisruptiveKind = 'deny' | 'drop' | 'block' | 'pass' | 'allow' | 'redirect' | 'proxy' | 'pause';

export interface CompiledRule {
  /** 0 when the rule has no id (a chained member, or a rule written without one). */
  id: number;
  phase: 1 | 2 | 3 | 4 | 5;
  loc: SourceLocation;
  /** The chain head this rule belongs to (itself for a head). */
  head: CompiledRule;
  /** `SecMarker` entries are rules that do nothing but name a place for `skipAfter`. */
  marker?: string;
  /** `SecAction` and `@unconditionalMatch` rules match once without variables. */
  unconditional: boolean;
  targets: CompiledTarget[];
  exclusions: Exclusion[];
  operator: {
    name: string;
    /** The argument as written, for log messages. */
    argument: string;
    negated: boolean;
    match: AsyncOperatorMatcher;
    async: boolean;
    /** The argument when it has no macros (a constant `@rx` pattern can join a regex set). */
    patternConstant?: string;
    /** The argument with its macros, for the log line (libmodsecurity v3 logs the expanded parameter). */
    expandArgument?: Expandable | undefined;
  };
  /** Set when this rule's constant `@rx` pattern is answered by a shared RE2 set (rules/regex-sets.ts). */
  regexSet?: RegexSetRef;
  /** Set when this rule's constant `@rx` pattern requires literal text: values without it skip RE2. */
  prefilter?: PrefilterRef;
  transformations: TransformationDefinition[];
  /**
   * One bit per transformation, parallel to `transformations`, numbered per rule set (0 beyond 30 of them):
   * a value remembers which transformations leave it unchanged (rules/value-state.ts).
   */
  transformationBits: number[];
  /** All of transformationBits, or 0 when a transformation has no bit. */
  chainMask: number;
  /**
   * The transformations' names as the rule wrote them (`t:base64encode`), parallel to `transformations`:
   * libmodsecurity v3 logs them so (match reference, debug log). See transformationName.
   */
  transformationNames?: string[];
  /** Identifies the transformation chain in the per-transaction cache. */
  transformationKey: string;
  /** A small number per distinct transformation chain, indexing per-value caches (rules/value-state.ts). */
  chainId: number;
  /** For multiMatch rules: a small number per distinct chain among multiMatch rules, indexing step lists. */
  stepsId: number;
  multiMatch: boolean;
  capture: boolean;
  /** Run for every matching value, as the match happens (ModSecurity v3: setvar). */
  perMatchActions: RuntimeAction[];
  /** Run once when the rule and the rest of its chain matched. */
  afterMatchActions: RuntimeAction[];
  disruptive?: DisruptiveKind;
  /** For `block`: the disruptive action of the SecDefaultAction in force where the rule was defined. */
  blockAs?: DisruptiveKind;
  /** For `allow`: `phase`, `request`, or all remaining phases. */
  allowScope?: 'all' | 'phase' | 'request';
  status?: number;
  redirect?: Expandable;
  skip: number;
  skipAfter?: string;
  log: boolean;
  auditLog: boolean;
  msg?: Expandable;
  logdata?: Expandable;
  severity?: number;
  /** Tags as written; rule removal by tag compares these. */
  tags: string[];
  /** Set when a tag has macros (`tag:'Host: %{request_headers.host}'`): expanded at match time for logs. */
  tagMacros?: Expandable[];
  ver?: string;
  rev?: string;
  maturity?: number;
  accuracy?: number;
  chained?: CompiledRule;
  /** The rule has `chain` but no rule follows it: the chain never matches (libmodsecurity v3 loads it so). */
  chainIncomplete: boolean;
  /** This rule or a rule chained to it has an asynchronous operator (`@rbl`). */
  hasAsyncOperator: boolean;
  /**
   * The persistent collections (bits of collections/persistent-use.ts) this rule reads, counts, writes or
   * expands in a macro; on a chain's first rule, the whole chain's. An asynchronous store's reads wait
   * until the first rule that needs one of them.
   */
  persistentUse: number;
  /**
   * The records this rule (on a chain's first rule: the whole chain) may open with a key made only of request
   * constants: read ahead when the phase waits before it (collections/read-ahead.ts).
   */
  readAheadOpens: ReadAheadOpen[] | undefined;
  /** `xmlns` prefixes for this rule's XPath targets. */
  xmlNamespaces: Map<string, string>;
  /** Names of sanitise* actions, for the audit log. */
  sanitise: { args: string[]; requestHeaders: string[]; responseHeaders: string[]; matched: boolean; matchedBytes?: string };
}

/** The name of the rule's transformation `i` as the rule wrote it, when known; else its canonical name. */
export function transformationName(rule: CompiledRule, i: number): string {
  const written = rule.transformationNames;
  return written !== undefined && written.length === rule.transformations.length ? written[i]! : rule.transformations[i]!.name;
}
