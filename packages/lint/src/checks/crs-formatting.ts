import { crsLayout } from '../crs/format';
import type { SourceFile } from '../source';
import type { Check } from '../types';

const clip = (s: string) => (s.length > 70 ? `${s.slice(0, 70)}...` : s);

/** The first line where `actual` and `expected` differ, described for a message. */
function firstDifference(actual: string, expected: string, firstLine: number): string {
  const a = actual.split('\n');
  const e = expected.split('\n');
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] === e[i]) continue;
    if (e[i] === undefined) return `line ${firstLine + i} should not be part of the rule`;
    return `line ${firstLine + i} should read '${clip(e[i] as string)}'`;
  }
  return 'whitespace differs';
}

/** A one-line directive with each run of blanks outside quotes made one space. */
function singleSpaced(text: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote !== undefined) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    if ((c === ' ' || c === '\t') && (out.endsWith(' ') || out === '')) continue;
    out += c === '\t' ? ' ' : c;
  }
  return out.trimEnd();
}

/** End of the trailing blanks (and a CR) that follow `offset` on its line. */
function pastTrailingBlanks(source: SourceFile, offset: number): number {
  let i = offset;
  while (i < source.text.length && (source.text[i] === ' ' || source.text[i] === '\t' || source.text[i] === '\r')) i++;
  return i;
}

/**
 * CRS's layout, as crs-linter checks it by rewriting each file with msc_pyparser and comparing: a rule starts
 * at column 1 (a chained rule four spaces in per level), its target list and quoted operator follow after one
 * space, its actions go in double quotes, on the line of the operator or on continuation lines indented four
 * more spaces, each line but the last ending in `,\`; which actions share a line is kept. Other directives
 * start at column 1, and no line ends in blanks (or CR). The fix rewrites the rule in that layout.
 */
export const crsFormatting: Check = {
  name: 'crs-formatting',
  meta: {
    severity: 'error',
    docs:
      'Layout other than CRS\'s: indentation of rules, chained rules and their continuation lines, quoting and ' +
      'spacing of targets, operator and actions, spacing of other directives, blanks at line ends.',
    profiles: ['crs'],
    fixable: true,
    crsLinterNames: ['indentation'],
  },
  check(ctx) {
    /** Per file, the lines rules cover (their own text is checked as a whole). */
    const covered = new Map<string, Set<number>>();
    const cover = (file: string, from: number, to: number) => {
      const set = covered.get(file) ?? new Set<number>();
      for (let n = from; n <= to; n++) set.add(n);
      covered.set(file, set);
    };
    for (const { rule, position } of ctx.rules) {
      const source = ctx.source(rule.loc.file);
      if (source === undefined) continue;
      cover(rule.loc.file, rule.loc.line, rule.loc.endLine);
      const from = source.lineStart(rule.loc.line);
      const to = pastTrailingBlanks(source, source.end(rule.loc));
      const actual = source.text.slice(from, to);
      const expected = crsLayout(rule, position, source);
      if (actual === expected) continue;
      ctx.report(rule.loc, `not laid out as CRS writes rules: ${firstDifference(actual, expected, rule.loc.line)}`, {
        fix: { file: rule.loc.file, edits: [{ start: from, end: to, text: expected }] },
      });
    }
    for (const d of ctx.ast.directives) {
      if (d.kind === 'SecRule' || d.kind === 'SecAction') continue;
      const source = ctx.source(d.loc.file);
      if (source === undefined) continue;
      if (d.loc.column !== 1) {
        const from = source.lineStart(d.loc.line);
        ctx.report(d.loc, `${d.rawName} is indented: CRS starts directives at column 1`, {
          fix: { file: d.loc.file, edits: [{ start: from, end: source.start(d.loc), text: '' }] },
        });
        continue;
      }
      if (d.loc.endLine !== d.loc.line) continue;
      const text = source.slice(d.loc);
      const spaced = singleSpaced(text);
      if (spaced !== text) {
        ctx.report(d.loc, `${d.rawName}: one space between the directive and each argument, as CRS writes it`, {
          fix: { file: d.loc.file, edits: [{ start: source.start(d.loc), end: source.end(d.loc), text: spaced }] },
        });
      }
    }
    for (const source of ctx.sourceFiles) {
      const file = source.file;
      const rules = covered.get(file);
      for (let n = 1; n <= source.lineCount; n++) {
        if (rules?.has(n) === true) continue;
        const start = source.lineStart(n);
        const end = n < source.lineCount ? source.lineStart(n + 1) - 1 : source.text.length;
        const text = source.text.slice(start, end);
        const m = /[ \t\r]+$/.exec(text);
        if (m === null) continue;
        const at = start + m.index;
        ctx.report(source.loc(at, end), /^[ \t]*\r$/.test(m[0]) ? 'line ends with CR LF: CRS files use LF' : 'blanks at the end of the line', {
          fix: { file, edits: [{ start: at, end, text: '' }] },
        });
      }
    }
  },
};
