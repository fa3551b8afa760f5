/**
 * The catalog: names and properties of everything SecLang knows, as plain data. One source of truth for
 * the parser (canonical names, how to parse a directive), the linter (unknown names, selector checks)
 * and the engine (which names it must implement or refuse).
 *
 * `support` records which reference engines implement a name (anchors-features.md), so a tool can say
 * "ModSecurity v3 does not know this" without guessing.
 */
export interface Support {
  v2: boolean;
  v3: boolean;
  coraza: boolean;
  /** Partial support in words, e.g. `v3 accepts Off only` or `Coraza: silent no-op`. */
  notes?: string;
}

/** How the parser reads a directive's arguments. */
export type DirectiveSyntax =
  | 'rule' /* SecRule VARIABLES OPERATOR [ACTIONS] */
  | 'action' /* SecAction ACTIONS */
  | 'default-action' /* SecDefaultAction ACTIONS */
  | 'marker' /* SecMarker LABEL */
  | 'remove-by-id' /* SecRuleRemoveById ID|RANGE ... */
  | 'remove-by-pattern' /* SecRuleRemoveByTag / ByMsg PATTERN */
  | 'update-target-by-id'
  | 'update-target-by-pattern'
  | 'update-action-by-id'
  | 'include'
  | 'setting'; /* any other directive: a fixed or variable number of plain arguments */

export interface DirectiveInfo {
  /** Canonical spelling, e.g. `SecRequestBodyLimit`. Lookup is case-insensitive. */
  name: string;
  aliases?: string[];
  syntax: DirectiveSyntax;
  /** The minimum and maximum number of arguments (`max` is `Infinity` for open lists). */
  args?: { min: number; max: number };
  /** For `setting` directives with a closed set of values, e.g. `['On', 'Off', 'DetectionOnly']` (case-insensitive). */
  values?: string[];
  /** The kind of the (first) argument, for lint: integer, octal file mode, regex, path, ... */
  argKind?: 'integer' | 'octal' | 'regex' | 'path' | 'string' | 'enum' | 'char' | 'parts';
  support: Support;
  summary: string;
}

export interface OperatorInfo {
  /** Canonical name without `@`, e.g. `pmFromFile`. */
  name: string;
  aliases?: string[];
  /** Whether an argument is required (`@unconditionalMatch` takes none). */
  argument: 'required' | 'optional' | 'none';
  /** The argument names a data file (`@pmFromFile`, `@ipMatchFromFile`). */
  dataFile?: boolean;
  /** The argument is a regular expression compiled at load time. */
  regex?: boolean;
  /** Macros in the argument are expanded at run time. */
  expandsMacros?: boolean;
  support: Support;
  summary: string;
}

export interface TransformationInfo {
  /** Canonical name, e.g. `normalizePath`. */
  name: string;
  /** Other accepted spellings, e.g. `normalisePath`. */
  aliases?: string[];
  support: Support;
  summary: string;
}

export type ActionKind = 'disruptive' | 'flow' | 'metadata' | 'data' | 'non-disruptive';

export interface ActionInfo {
  /** Canonical name, e.g. `sanitiseArg`. */
  name: string;
  aliases?: string[];
  kind: ActionKind;
  /** Whether the action takes a `:value`. */
  value: 'required' | 'optional' | 'none';
  /** Allowed only on the first rule of a chain (id, phase, disruptive actions, skip, ...). */
  chainStarterOnly?: boolean;
  /** The value may contain macros, expanded at run time. */
  expandsMacros?: boolean;
  support: Support;
  summary: string;
}

export interface CtlOptionInfo {
  /** Canonical name, e.g. `ruleRemoveTargetById`. */
  name: string;
  /** The value's form, for lint and parsing. */
  valueKind: 'on-off' | 'engine-mode' | 'integer' | 'id-range' | 'pattern' | 'target' | 'processor' | 'parts' | 'string';
  support: Support;
  summary: string;
}

export interface VariableInfo {
  /** Canonical upper-case name, e.g. `REQUEST_HEADERS`. */
  name: string;
  aliases?: string[];
  /** `collection` variables hold key/value entries and accept `:key`, `:/regex/` selectors and `&` counts. */
  kind: 'scalar' | 'collection';
  /** Whether `:selector` is accepted (true for collections; false for scalars such as REQUEST_URI). */
  selectable: boolean;
  /** Earliest phase in which the variable has data (1-5). */
  phase: number;
  support: Support;
  summary: string;
}
