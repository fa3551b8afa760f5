/**
 * The SecLang AST: plain, typed, serialisable objects. Every node carries its source location.
 *
 * This file is the contract between the parser (which produces it), the printer, the linter and the
 * engine's compiler (which consume it). Names as written in the source are kept in `rawName` fields;
 * `name` fields hold the canonical spelling from the catalog when the name is known (for example
 * `normalisePath` -> `normalizePath`, `SECRULE` -> `SecRule`, `@RX` -> `rx`), else the name as written.
 */

/** 1-based line and column, end inclusive of the last character of the node. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type Severity = 'error' | 'warning';

/** A problem found while reading configuration. Parsing never throws: it returns these. */
export interface Diagnostic {
  severity: Severity;
  /** Stable kebab-case identifier, e.g. `syntax`, `unknown-directive`, `include-cycle`. */
  code: string;
  message: string;
  loc: SourceLocation;
  /**
   * Set on an error that libmodsecurity v3 does not refuse: the risk of loading the file anyway. An engine may
   * load such a file with a warning (Rampart does, unless `strict`); a linter keeps reporting it as an error.
   */
  modsecurityLoads?: string;
}

// ---------------------------------------------------------------------------------------------
// Macros

/** `%{tx.anomaly_score}`, `%{REQUEST_HEADERS.host}`, `%{MATCHED_VAR}`. */
export interface MacroRef {
  /** Upper-case collection or variable name: `TX`, `REQUEST_HEADERS`, `MATCHED_VAR`. */
  collection: string;
  /** The key after the first `.` (or `:`), as written; absent for plain variables. */
  key?: string;
  /** The whole reference as written, including `%{` and `}`. */
  raw: string;
}

/** A string that may contain macros, split at parse time into literal and macro parts. */
export interface MacroString {
  /** The text as written (after unquoting). */
  text: string;
  /** Literal strings and macro references in order; a single string part when there is no macro. */
  parts: Array<string | MacroRef>;
}

// ---------------------------------------------------------------------------------------------
// Rule parts

export type Selector =
  /** `ARGS:id`, `REQUEST_HEADERS:'User-Agent'` */
  | { kind: 'key'; value: string; quoted: boolean }
  /** `TX:/^rfi_parameter_/` */
  | { kind: 'regex'; pattern: string }
  /** `XML:/*`, `XML://@*` — only on the XML variable. */
  | { kind: 'xpath'; path: string };

/** One entry of a SecRule target list: `!REQUEST_HEADERS:Referer`, `&TX:foo`, `ARGS`. */
export interface VariableRef {
  /** Canonical upper-case name, e.g. `REQUEST_HEADERS`. */
  name: string;
  rawName: string;
  /** `!` prefix: exclude this key from the collection named earlier in the list. */
  negated: boolean;
  /** `&` prefix: the number of matching entries instead of their values. */
  count: boolean;
  selector?: Selector;
  loc: SourceLocation;
}

export interface OperatorNode {
  /** Canonical name without `@`, e.g. `rx`, `pmFromFile`. `rx` when the rule names none. */
  name: string;
  rawName: string;
  /** `!@rx ...` */
  negated: boolean;
  /** True when the operator string had no `@name` and so means `@rx <whole string>`. */
  implicit: boolean;
  /** The argument after the operator name and its separating whitespace, with `\"` unescaped. */
  argument: string;
  /** The argument split into literal and macro parts (operators that expand macros use this). */
  argumentMacro: MacroString;
  loc: SourceLocation;
}

/** `setvar:'tx.score=+%{tx.critical_anomaly_score}'` */
export interface SetVarSpec {
  /** Upper-case collection name: `TX`, `IP`, `SESSION`, `GLOBAL`, `RESOURCE`, `USER`. */
  collection: string;
  /** The key, possibly with macros: `header_name_920450_%{tx.0}`. */
  key: MacroString;
  /** `set` (`=` or no `=`), `add` (`=+`), `subtract` (`=-`), `delete` (`!tx.x`). */
  op: 'set' | 'add' | 'subtract' | 'delete';
  /** Absent for `delete`, and for `set` without `=` (ModSecurity then stores `1`... see the engine). */
  value?: MacroString;
}

/** `ctl:ruleRemoveTargetByTag=xss-perf-disable;REQUEST_FILENAME` */
export interface CtlSpec {
  /** Canonical option name, e.g. `ruleRemoveTargetByTag`. */
  option: string;
  rawOption: string;
  /** Everything after the first `=`. */
  value: string;
  /** For the `ruleRemoveTarget*` options: the part before `;` and the parsed targets after it. */
  target?: { selector: string; variables: VariableRef[] };
}

/** One action of an action list. */
export interface ActionNode {
  /** Canonical name, e.g. `setvar`, `t`, `skipAfter`, `sanitiseArg`. */
  name: string;
  rawName: string;
  /** The value after `:`, unquoted and with `\'` unescaped; absent when the action has no `:`. */
  value?: string;
  /** True when the value was written in single quotes. */
  quoted: boolean;
  /** The value split into literal and macro parts (set for msg, logdata, tag, setvar, setenv, initcol,
   *  expirevar, deprecatevar, setsid, setuid, setrsc, redirect, skipAfter, status, ...). */
  macro?: MacroString;
  /** Set for `setvar`. */
  setvar?: SetVarSpec;
  /** Set for `ctl`. */
  ctl?: CtlSpec;
  loc: SourceLocation;
}

// ---------------------------------------------------------------------------------------------
// Directives

interface DirectiveBase {
  /** Canonical directive name, e.g. `SecRule`. */
  name: string;
  rawName: string;
  loc: SourceLocation;
}

/** `SecRule VARIABLES OPERATOR [ACTIONS]`. A rule with a `chain` action owns its next rule as `chained`. */
export interface SecRuleNode extends DirectiveBase {
  kind: 'SecRule';
  variables: VariableRef[];
  operator: OperatorNode;
  actions: ActionNode[];
  chained?: SecRuleNode | SecActionNode;
}

/** `SecAction ACTIONS` — a rule that always matches. */
export interface SecActionNode extends DirectiveBase {
  kind: 'SecAction';
  actions: ActionNode[];
  chained?: SecRuleNode | SecActionNode;
}

/** `SecDefaultAction "phase:2,log,auditlog,pass"` */
export interface DefaultActionNode extends DirectiveBase {
  kind: 'SecDefaultAction';
  actions: ActionNode[];
}

/** `SecMarker END-HOST-CHECK` */
export interface MarkerNode extends DirectiveBase {
  kind: 'SecMarker';
  label: string;
}

/** An inclusive id range; a single id has `from === to`. */
export interface IdRange {
  from: number;
  to: number;
}

/** `SecRuleRemoveById 1 2 9000-9010`, `SecRuleRemoveByTag 'attack-sqli'`, `SecRuleRemoveByMsg 'FAIL'`. */
export interface RuleRemoveNode extends DirectiveBase {
  kind: 'RuleRemove';
  by: 'id' | 'tag' | 'msg';
  /** For `by: 'id'`. */
  ids?: IdRange[];
  /** For `by: 'tag' | 'msg'`: the pattern (a regex in ModSecurity v2/v3 semantics). */
  pattern?: string;
}

/** `SecRuleUpdateTargetById 942100 "!ARGS:foo|ARGS:bar" ["REPLACED_TARGET"]` */
export interface RuleUpdateTargetNode extends DirectiveBase {
  kind: 'RuleUpdateTarget';
  by: 'id' | 'tag' | 'msg';
  ids?: IdRange[];
  pattern?: string;
  variables: VariableRef[];
  /** The optional third argument: the target the new ones replace. */
  replace?: VariableRef[];
}

/** `SecRuleUpdateActionById 900100[:chainOffset] "actions"` */
export interface RuleUpdateActionNode extends DirectiveBase {
  kind: 'RuleUpdateAction';
  ids: IdRange[];
  /** `id:N` form selects the N-th rule of a chain (1-based); absent for the head. */
  chainOffset?: number;
  actions: ActionNode[];
}

/** `Include path/*.conf`. After include resolution, the included files' directives follow this node. */
export interface IncludeNode extends DirectiveBase {
  kind: 'Include';
  pattern: string;
  /** Absolute paths the pattern expanded to, sorted; empty before resolution. */
  files: string[];
}

/**
 * Every other directive: engine settings and metadata (`SecRuleEngine On`, `SecRequestBodyLimit 13107200`,
 * `SecComponentSignature "OWASP_CRS/4.28.0"`, `SecAuditLogParts ABIJDEFHZ`). `args` are the unquoted
 * arguments in order; the catalog says how many each directive takes and of what kind.
 */
export interface SettingNode extends DirectiveBase {
  kind: 'Setting';
  args: string[];
}

/** A directive whose name the catalog does not know. Reported as a diagnostic and kept for tooling. */
export interface UnknownDirectiveNode extends DirectiveBase {
  kind: 'Unknown';
  args: string[];
}

export type Directive =
  | SecRuleNode
  | SecActionNode
  | DefaultActionNode
  | MarkerNode
  | RuleRemoveNode
  | RuleUpdateTargetNode
  | RuleUpdateActionNode
  | IncludeNode
  | SettingNode
  | UnknownDirectiveNode;

/** A whole configuration: the directives of the entry text and, after each Include, the included ones. */
export interface ConfigAst {
  directives: Directive[];
  /** Every file that was read, in reading order (the entry first when it is a file). */
  files: string[];
}

export interface ParseResult {
  ast: ConfigAst;
  diagnostics: Diagnostic[];
}
