import type { ActionNode } from '@rampart/seclang';
import type { SourceFile } from '../source';
import type { RuleNode } from '../types';

const INDENT = '    ';

/**
 * A rule laid out as CRS writes it (msc_pyparser's writer, which crs-linter compares files with):
 *
 *     SecRule TARGETS "OPERATOR" \
 *         "id:1,\
 *         phase:1,\
 *         t:none,t:lowercase,\
 *         chain"
 *         SecRule TARGETS "OPERATOR" \
 *             "t:none"
 *
 * A chained rule is indented four spaces per level, its actions four more. Which actions share a line is the
 * author's choice and is kept, as is the text of each target list, operator and action; what changes is the
 * whitespace and quoting around them. Returns the text from the start of the rule's first line (indentation
 * included) to the end of the rule.
 */
export function crsLayout(rule: RuleNode, level: number, source: SourceFile): string {
  const pad = INDENT.repeat(level);
  const actionPad = INDENT.repeat(level + 1);
  let out = `${pad}${rule.rawName}`;
  let line = rule.loc.line;
  if (rule.kind === 'SecRule') {
    const first = rule.variables[0];
    const last = rule.variables[rule.variables.length - 1];
    const targets = first === undefined || last === undefined ? '' : source.text.slice(source.start(first.loc), source.end(last.loc));
    const op = rule.operator;
    const operator = op.argument === '' && op.rawName === '' ? '' : source.slice(op.loc);
    out += ` ${targets}`;
    if (op.loc.line > line) {
      out += ` \\\n${actionPad}"${operator}"`;
      line = op.loc.line;
    } else out += ` "${operator}"`;
  }
  const actions = rule.actions;
  if (actions.length === 0) return out;
  const groups: ActionNode[][] = [];
  for (const a of actions) {
    const group = groups[groups.length - 1];
    const previous = group?.[group.length - 1];
    if (group === undefined || previous === undefined || a.loc.line > previous.loc.line) groups.push([a]);
    else group.push(a);
  }
  const text = (g: ActionNode[]) => g.map((a) => source.slice(a.loc)).join(',');
  const firstGroup = groups[0] as ActionNode[];
  const opening = (firstGroup[0] as ActionNode).loc.line > line ? ` \\\n${actionPad}"` : ' "';
  return `${out}${opening}${groups.map(text).join(`,\\\n${actionPad}`)}"`;
}
