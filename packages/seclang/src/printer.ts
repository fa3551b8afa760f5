import type { ActionNode, ConfigAst, Directive, IdRange, IncludeNode, OperatorNode, SecActionNode, SecRuleNode, VariableRef } from './ast';

/**
 * Prints an AST as canonical SecLang: one directive per line, no continuations, chained rules indented under
 * their head, names as written (so that parsing the output gives the same AST). Comments are not kept.
 *
 * Directives that an Include brought in are not printed after it: the output is the text of the files the
 * AST was parsed from, with each Include left to pull its files in again.
 */
export function print(ast: ConfigAst | readonly Directive[]): string {
  const directives: readonly Directive[] = 'directives' in ast ? ast.directives : ast;
  const lines: string[] = [];
  let i = 0;
  while (i < directives.length) {
    const d = directives[i] as Directive;
    printDirective(d, '', lines);
    i++;
    if (d.kind === 'Include') i = skipIncluded(directives, i, d);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Skips the directives that `include` expanded to: those located in its files, nested Includes included. */
function skipIncluded(directives: readonly Directive[], from: number, include: IncludeNode): number {
  let i = from;
  for (const file of include.files) {
    while (i < directives.length && (directives[i] as Directive).loc.file === file) {
      const d = directives[i] as Directive;
      i++;
      if (d.kind === 'Include') i = skipIncluded(directives, i, d);
    }
  }
  return i;
}

function printDirective(d: Directive, indent: string, lines: string[]): void {
  switch (d.kind) {
    case 'SecRule':
    case 'SecAction':
      printRule(d, indent, lines);
      return;
    case 'SecDefaultAction':
      lines.push(`${indent}${d.rawName} ${arg(printActions(d.actions))}`);
      return;
    case 'SecMarker':
      lines.push(`${indent}${d.rawName} ${arg(d.label)}`);
      return;
    case 'RuleRemove':
      if (d.by === 'id') lines.push(`${indent}${d.rawName} ${(d.ids ?? []).map(printRange).join(' ')}`);
      else lines.push(`${indent}${d.rawName} ${arg(d.pattern ?? '')}`);
      return;
    case 'RuleUpdateTarget': {
      const first = d.by === 'id' ? (d.ids ?? []).map(printRange).join(' ') : (d.pattern ?? '');
      const replace = d.replace === undefined ? '' : ` ${arg(printVariables(d.replace))}`;
      lines.push(`${indent}${d.rawName} ${arg(first)} ${arg(printVariables(d.variables))}${replace}`);
      return;
    }
    case 'RuleUpdateAction': {
      const id = `${d.ids.map(printRange).join(' ')}${d.chainOffset === undefined ? '' : `:${d.chainOffset}`}`;
      lines.push(`${indent}${d.rawName} ${arg(id)} ${arg(printActions(d.actions))}`);
      return;
    }
    case 'Include':
      lines.push(`${indent}${d.rawName} ${arg(d.pattern)}`);
      return;
    case 'Setting':
    case 'Unknown':
      lines.push([`${indent}${d.rawName}`, ...d.args.map(arg)].join(' '));
      return;
  }
}

function printRule(head: SecRuleNode | SecActionNode, indent: string, lines: string[]): void {
  // A loop, not recursion: a hand-built AST may hold a chain of any length.
  let pad = indent;
  for (let rule: SecRuleNode | SecActionNode | undefined = head; rule !== undefined; rule = rule.chained) {
    const actions = rule.actions.length === 0 ? '' : ` ${arg(printActions(rule.actions))}`;
    if (rule.kind === 'SecRule') {
      lines.push(`${pad}${rule.rawName} ${arg(printVariables(rule.variables))} ${arg(printOperator(rule.operator))}${actions}`);
    } else {
      lines.push(`${pad}${rule.rawName}${actions === '' ? ' ""' : actions}`);
    }
    if (pad === indent) pad = `${indent}    `;
  }
}

function printRange(r: IdRange): string {
  return r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`;
}

export function printVariables(variables: readonly VariableRef[]): string {
  return variables
    .map((v) => {
      let s = `${v.negated ? '!' : ''}${v.count ? '&' : ''}${v.rawName}`;
      const sel = v.selector;
      if (sel === undefined) return s;
      if (sel.kind === 'key') s += sel.quoted ? `:'${sel.value.replace(/'/g, "\\'")}'` : `:${sel.value}`;
      else if (sel.kind === 'regex') s += `:/${sel.pattern}/`;
      else s += `:${sel.path}`;
      return s;
    })
    .join('|');
}

export function printOperator(op: OperatorNode): string {
  const not = op.negated ? '!' : '';
  if (op.implicit) return `${not}${op.argument}`;
  return `${not}@${op.rawName}${op.argument === '' ? '' : ` ${op.argument}`}`;
}

export function printActions(actions: readonly ActionNode[]): string {
  return actions
    .map((a) => {
      if (a.value === undefined) return a.rawName;
      return `${a.rawName}:${a.quoted ? `'${a.value.replace(/'/g, "\\'")}'` : a.value}`;
    })
    .join(',');
}

/**
 * One directive argument: bare when that reads back the same, else double-quoted with `"` escaped. A bare
 * value ending in `\` gets a trailing blank so that the backslash is not read as a line continuation.
 */
function arg(value: string): string {
  if (value !== '' && !/[\s"]/.test(value) && value[0] !== "'") return value.endsWith('\\') ? `${value} ` : value;
  return `"${value.replace(/"/g, '\\"')}"`;
}
