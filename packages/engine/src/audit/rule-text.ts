import * as fs from 'node:fs';
import type { SourceLocation } from '@rampart/seclang';
import type { CompiledRule } from '../rules/compiled-rule';

/** Rule files larger than this are not read back for section K (the fallback text is used). */
const MAX_RULE_FILE_BYTES = 32 * 1024 * 1024;
const MAX_CACHED_FILES = 256;

/**
 * The text of a rule as written in its file, for section K (ModSecurity v2 prints each matched rule's
 * `unparsed` text). Files are read once, on first use, and kept: a rule set is a fixed set of files. Rules given
 * as a string (no file on disk) fall back to a reconstruction of what the compiled rule still knows.
 */
export class RuleTextSource {
  private readonly files = new Map<string, string[] | null>();

  text(rule: CompiledRule): string {
    const fromFile = this.fromFile(rule.loc);
    if (fromFile !== undefined) return fromFile;
    return reconstruct(rule);
  }

  private lines(file: string): string[] | null {
    let lines = this.files.get(file);
    if (lines !== undefined) return lines;
    lines = null;
    try {
      const st = fs.statSync(file);
      if (st.isFile() && st.size <= MAX_RULE_FILE_BYTES) lines = fs.readFileSync(file, 'latin1').split('\n');
    } catch {
      lines = null;
    }
    if (this.files.size >= MAX_CACHED_FILES) this.files.clear();
    this.files.set(file, lines);
    return lines;
  }

  private fromFile(loc: SourceLocation): string | undefined {
    const lines = this.lines(loc.file);
    if (!lines || loc.line < 1 || loc.endLine < loc.line || loc.endLine > lines.length) return undefined;
    const parts: string[] = [];
    for (let n = loc.line; n <= loc.endLine; n++) {
      let s = lines[n - 1]!;
      if (n === loc.endLine) s = s.slice(0, loc.endColumn);
      if (n === loc.line) s = s.slice(Math.max(0, loc.column - 1));
      // One line per rule, as ModSecurity writes it: continuation backslashes and indentation go.
      s = s.replace(/\r$/, '').replace(/\\$/, '').trim();
      if (s.length > 0) parts.push(s);
    }
    const text = parts.join(' ');
    return /^Sec(?:Rule|Action)\b/i.test(text) ? text : undefined;
  }
}

function reconstruct(rule: CompiledRule): string {
  const list: string[] = [];
  if (rule.id !== 0) list.push(`id:${rule.id}`);
  if (rule.head === rule) list.push(`phase:${rule.phase}`);
  if (rule.disruptive !== undefined) list.push(rule.disruptive);
  if (rule.status !== undefined) list.push(`status:${rule.status}`);
  if (rule.chained) list.push('chain');
  if (rule.msg?.constant !== undefined) list.push(`msg:'${rule.msg.constant}'`);
  if (rule.severity !== undefined) list.push(`severity:${rule.severity}`);
  for (const t of rule.tags) list.push(`tag:'${t}'`);
  if (rule.ver !== undefined) list.push(`ver:'${rule.ver}'`);
  const actions = list.join(',').replace(/"/g, '\\"');
  if (rule.unconditional && rule.targets.length === 0) return `SecAction "${actions}"`;
  const targets = rule.targets
    .map((t) => {
      const sel = t.selector;
      const key = sel.kind === 'key' ? `:${sel.key}` : sel.kind === 'regex' ? `:/${sel.source}/` : sel.kind === 'xpath' ? `:${sel.path}` : '';
      return `${t.count ? '&' : ''}${t.variable}${key}`;
    })
    .join('|');
  const op = `${rule.operator.negated ? '!' : ''}@${rule.operator.name} ${rule.operator.argument}`;
  return `SecRule ${targets} "${op.replace(/"/g, '\\"')}" "${actions}"`;
}
