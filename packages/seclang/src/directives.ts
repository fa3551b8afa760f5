import type { IToken } from 'chevrotain';
import type { Directive, IdRange, SourceLocation } from './ast';
import { type DirectiveSyntax, findDirective } from './catalog';
import { scanActionList } from './actions';
import { clip, type DiagnosticSink } from './diagnostics';
import type { RawArg, RawDirective } from './line-parser';
import { scanOperator } from './operator';
import { extractValue, type MappedSpan, type SourceText, type Span } from './source-text';
import { scanVariableList } from './variables';

/**
 * The structured directives, whose arguments are grammar rather than settings: the parser knows them even
 * when the catalog does not (the catalog wins when it has an entry).
 */
const STRUCTURED: ReadonlyMap<string, { name: string; syntax: DirectiveSyntax }> = new Map(
  (
    [
      ['SecRule', 'rule'],
      ['SecAction', 'action'],
      ['SecDefaultAction', 'default-action'],
      ['SecMarker', 'marker'],
      ['Include', 'include'],
      ['SecRuleRemoveById', 'remove-by-id'],
      ['SecRuleRemoveByTag', 'remove-by-pattern'],
      ['SecRuleRemoveByMsg', 'remove-by-pattern'],
      ['SecRuleUpdateTargetById', 'update-target-by-id'],
      ['SecRuleUpdateTargetByTag', 'update-target-by-pattern'],
      ['SecRuleUpdateTargetByMsg', 'update-target-by-pattern'],
      ['SecRuleUpdateActionById', 'update-action-by-id'],
    ] as const
  ).map(([name, syntax]) => [name.toLowerCase(), { name, syntax }]),
);

export function resolveDirectiveName(rawName: string): { name: string; syntax?: DirectiveSyntax; args?: { min: number; max: number } } {
  const info = findDirective(rawName);
  if (info !== undefined) {
    const out: { name: string; syntax: DirectiveSyntax; args?: { min: number; max: number } } = { name: info.name, syntax: info.syntax };
    if (info.args !== undefined) out.args = info.args;
    return out;
  }
  const builtin = STRUCTURED.get(rawName.toLowerCase());
  if (builtin !== undefined) return { name: builtin.name, syntax: builtin.syntax };
  return { name: rawName };
}

/** An argument with its value, quoting and location. */
interface Arg {
  span: MappedSpan;
  quoted: boolean;
  loc: SourceLocation;
  quote: '"' | "'" | undefined;
  /** A quote left open: the argument ends at the end of the line. */
  unterminated: boolean;
}

/** Turns the raw directives of one file into typed nodes; directives too broken to type are dropped (with diagnostics). */
export function buildDirectives(raws: RawDirective[], source: SourceText, sink: DiagnosticSink): Directive[] {
  const out: Directive[] = [];
  for (const raw of raws) {
    const d = buildDirective(raw, source, sink);
    if (d !== undefined) out.push(d);
  }
  return out;
}

function tokenEnd(t: IToken): number {
  return (t.endOffset ?? t.startOffset + t.image.length - 1) + 1;
}

/** End of a word without the continuations it ends with (`ARGS\` + newline), for its location. */
function visibleEnd(text: string, start: number, end: number): number {
  let e = end;
  for (;;) {
    if (e - 2 >= start && text[e - 1] === '\n' && text[e - 2] === '\\') e -= 2;
    else if (e - 3 >= start && text[e - 1] === '\n' && text[e - 2] === '\r' && text[e - 3] === '\\') e -= 3;
    else return e > start ? e : end;
  }
}

function readArg(arg: RawArg, source: SourceText, sink: DiagnosticSink): Arg {
  if (arg.quote === undefined) {
    const t = arg.text as IToken;
    const end = visibleEnd(source.text, t.startOffset, tokenEnd(t));
    return { span: extractValue(source, t.startOffset, tokenEnd(t)), quoted: false, loc: source.loc(t.startOffset, end - 1), quote: undefined, unterminated: false };
  }
  const open = arg.open as IToken;
  const start = open.startOffset + 1;
  const end = arg.text === undefined ? start : tokenEnd(arg.text);
  const span = extractValue(source, start, end, arg.quote);
  const last = arg.close === undefined ? end - 1 : arg.close.startOffset;
  return { span, quoted: true, loc: source.loc(open.startOffset, Math.max(open.startOffset, last)), quote: arg.quote, unterminated: arg.close === undefined };
}

/**
 * An unterminated quote is an error. libmodsecurity v3 loads one case of it: the action list of a SecRule or
 * SecAction, its last argument, left open at the end of the line (its lexer ends the list there).
 */
function reportUnterminated(args: readonly Arg[], actionIndex: number | undefined, sink: DiagnosticSink): void {
  args.forEach((a, i) => {
    if (a.quote === undefined || !a.unterminated) return;
    const message = `unterminated ${a.quote === '"' ? 'double' : 'single'} quote`;
    if (i === actionIndex && i === args.length - 1) {
      sink.errorModsecurityLoads(
        'unterminated-quote',
        message,
        a.loc,
        'the action list ends at the end of the line; whatever was meant to follow on a later line is not part of the rule',
      );
    } else sink.error('unterminated-quote', message, a.loc);
  });
}

function buildDirective(raw: RawDirective, source: SourceText, sink: DiagnosticSink): Directive | undefined {
  const nameSpan = extractValue(source, raw.name.startOffset, tokenEnd(raw.name));
  const rawName = nameSpan.text;
  const args = raw.args.map((a) => readArg(a, source, sink));
  const syntax = resolveDirectiveName(nameSpan.text).syntax;
  reportUnterminated(args, syntax === 'rule' ? 2 : syntax === 'action' ? 0 : undefined, sink);
  const trailing = args.at(-1);
  if (trailing !== undefined && !trailing.quoted && trailing.span.text === '\\') {
    // `\` then blanks or the end of the file: Apache only continues a line on `\` + line break.
    sink.error('broken-continuation', 'a line continuation needs the line break right after the backslash', trailing.loc);
    args.pop();
  }
  const lastArg = args.at(-1);
  const nameLoc = source.loc(raw.name.startOffset, visibleEnd(source.text, raw.name.startOffset, tokenEnd(raw.name)) - 1);
  const loc: SourceLocation =
    lastArg === undefined
      ? nameLoc
      : { file: nameLoc.file, line: nameLoc.line, column: nameLoc.column, endLine: lastArg.loc.endLine, endColumn: lastArg.loc.endColumn };
  const resolved = resolveDirectiveName(rawName);
  const name = resolved.name;
  const values = (): string[] => args.map((a) => a.span.text);

  const arity = (min: number, max: number, usage: string): boolean => {
    if (args.length >= min && args.length <= max) return true;
    sink.error('arg-count', `${resolved.name} takes ${usage}, got ${args.length} argument${args.length === 1 ? '' : 's'}`, loc);
    return false;
  };
  const arg = (i: number): Arg => args[i] as Arg;

  switch (resolved.syntax) {
    case undefined:
      sink.error('unknown-directive', `unknown directive '${clip(rawName)}'`, nameLoc);
      return { kind: 'Unknown', name, rawName, loc, args: values() };
    case 'setting': {
      const range = resolved.args;
      if (range !== undefined && (args.length < range.min || args.length > range.max)) {
        const usage = range.min === range.max ? `${range.min}` : `${range.min} to ${range.max === Infinity ? 'any number of' : range.max}`;
        sink.error('arg-count', `${resolved.name} takes ${usage} argument${range.max === 1 ? '' : 's'}, got ${args.length}`, loc);
      }
      return { kind: 'Setting', name, rawName, loc, args: values() };
    }
    case 'rule': {
      if (!arity(2, 3, 'VARIABLES OPERATOR [ACTIONS]')) return undefined;
      const variables = scanVariableList(arg(0).span, sink);
      const operator = scanOperator(arg(1).span, sink);
      const actions = args.length === 3 ? scanActionList(arg(2).span, sink) : [];
      return { kind: 'SecRule', name, rawName, loc, variables, operator, actions };
    }
    case 'action':
      if (!arity(1, 1, 'one argument (ACTIONS)')) return undefined;
      return { kind: 'SecAction', name, rawName, loc, actions: scanActionList(arg(0).span, sink) };
    case 'default-action':
      if (!arity(1, 1, 'one argument (ACTIONS)')) return undefined;
      return { kind: 'SecDefaultAction', name, rawName, loc, actions: scanActionList(arg(0).span, sink) };
    case 'marker':
      if (!arity(1, 1, 'one argument (LABEL)')) return undefined;
      return { kind: 'SecMarker', name, rawName, loc, label: arg(0).span.text };
    case 'include':
      if (!arity(1, 1, 'one argument (PATH)')) return undefined;
      return { kind: 'Include', name, rawName, loc, pattern: arg(0).span.text, files: [] };
    case 'remove-by-id': {
      if (!arity(1, Infinity, 'one or more ids or id ranges')) return undefined;
      const ids: IdRange[] = [];
      for (const a of args) for (const r of parseIdList(a.span, sink)) ids.push(r);
      return { kind: 'RuleRemove', name, rawName, loc, by: 'id', ids };
    }
    case 'remove-by-pattern':
      if (!arity(1, 1, 'one argument (PATTERN)')) return undefined;
      return { kind: 'RuleRemove', name, rawName, loc, by: byOf(resolved.name), pattern: arg(0).span.text };
    case 'update-target-by-id':
    case 'update-target-by-pattern': {
      if (!arity(2, 3, 'ID|PATTERN TARGETS [REPLACED_TARGET]')) return undefined;
      const node: Directive = {
        kind: 'RuleUpdateTarget',
        name,
        rawName,
        loc,
        by: resolved.syntax === 'update-target-by-id' ? 'id' : byOf(resolved.name),
        variables: scanVariableList(arg(1).span, sink),
      };
      if (resolved.syntax === 'update-target-by-id') node.ids = parseIdList(arg(0).span, sink);
      else node.pattern = arg(0).span.text;
      if (args.length === 3) node.replace = scanVariableList(arg(2).span, sink);
      return node;
    }
    case 'update-action-by-id': {
      if (!arity(2, 2, 'ID[:OFFSET] ACTIONS')) return undefined;
      const m = /^\s*(\d+)(?::(\d+))?\s*$/.exec(arg(0).span.text);
      if (m === null) {
        sink.error('bad-id', `expected ID or ID:OFFSET, got '${clip(arg(0).span.text)}'`, arg(0).loc);
        return undefined;
      }
      const id = Number(m[1]);
      const node: Directive = { kind: 'RuleUpdateAction', name, rawName, loc, ids: [{ from: id, to: id }], actions: scanActionList(arg(1).span, sink) };
      if (m[2] !== undefined) node.chainOffset = Number(m[2]);
      return node;
    }
  }
}

function byOf(name: string): 'tag' | 'msg' {
  return name.toLowerCase().endsWith('msg') ? 'msg' : 'tag';
}

/** `1 2 9000-9010` (blanks or commas between entries) into inclusive ranges. */
export function parseIdList(span: Span, sink: DiagnosticSink): IdRange[] {
  const out: IdRange[] = [];
  const re = /[^\s,]+/g;
  const text = span.text;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const word = m[0];
    const r = /^(\d+)(?:-(\d+))?$/.exec(word);
    const from = r === null ? NaN : Number(r[1]);
    const to = r === null ? NaN : r[2] === undefined ? from : Number(r[2]);
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from > to) {
      sink.error('bad-id', `expected a rule id or an id range (N-M), got '${clip(word)}'`, span.loc(m.index, m.index + word.length));
      continue;
    }
    out.push({ from, to });
  }
  if (out.length === 0 && !/[^\s,]/.test(text)) sink.error('bad-id', 'expected at least one rule id', span.loc(0, text.length));
  return out;
}
