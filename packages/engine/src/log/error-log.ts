import type { CompiledRule } from '../rules/compiled-rule';
import type { Transaction } from '../transaction';
import { formatMatchMessage, limitTo } from '../audit/rule-message';

export interface LogMatch {
  /** `ARGS:q`. */
  variable: string;
  /** The value as the request had it: v3's match text shows it untransformed. */
  raw: string;
  /** The chain member whose operator matched last; undefined for a rule without operator (SecAction). */
  rule: CompiledRule | undefined;
  msg: string;
  data: string;
  /** Set when the rule interrupted the transaction. */
  status?: number | undefined;
  /** The rule's tags with macros expanded (default: as written). */
  tags?: readonly string[];
  /** The chain's match reference (`[ref "..."]`, log/match-reference.ts); empty when not recorded. */
  reference?: string;
}

/** ModSecurity's `toHexIfNeeded(s, escapeSpecial)`: non-printable bytes, `"` and `\` as `\xNN`. */
export function hexIfNeeded(s: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
      out += s.slice(last, i) + '\\x' + (c < 16 ? '0' : '') + c.toString(16);
      last = i + 1;
    }
  }
  return last === 0 ? s : out + s.slice(last);
}

const limit = (s: string, n: number): string => (s.length > n ? s.slice(0, n) + '...' : s);

/**
 * One error-log line in ModSecurity v3's format (RuleMessage::log), which go-ftw and existing log tooling
 * parse: `ModSecurity: Warning. Matched "Operator ..." [file "..."] [line "..."] [id "..."] ... [unique_id "..."]
 * [ref "..."]`. `[id]` comes before `[msg]`; the line never contains a newline.
 */
export function formatErrorLogLine(tx: Transaction, head: CompiledRule, m: LogMatch): string {
  const prefix =
    m.status !== undefined
      ? `ModSecurity: Access denied with code ${m.status} (phase ${head.phase}). `
      : 'ModSecurity: Warning. ';
  let s = prefix + formatMatchMessage(tx, m.rule, m.variable, m.raw);
  s += ` [file "${head.loc.file}"] [line "${head.loc.line}"] [id "${head.id}"] [rev "${hexIfNeeded(head.rev ?? '')}"]`;
  s += ` [msg "${hexIfNeeded(m.msg)}"] [data "${hexIfNeeded(limit(m.data, 200))}"]`;
  s += ` [severity "${head.severity ?? 0}"] [ver "${hexIfNeeded(head.ver ?? '')}"] [maturity "${head.maturity ?? 0}"] [accuracy "${head.accuracy ?? 0}"]`;
  for (const t of m.tags ?? head.tags) s += ` [tag "${hexIfNeeded(t)}"]`;
  s += ` [hostname "${hexIfNeeded(tx.vars.get('SERVER_NAME') ?? tx.vars.get('SERVER_ADDR') ?? '')}"]`;
  s += ` [uri "${hexIfNeeded(limit(tx.vars.get('REQUEST_FILENAME') ?? '', 200))}"] [unique_id "${hexIfNeeded(tx.id)}"]`;
  s += ` [ref "${limitTo(200, m.reference ?? '')}"]`;
  return s.replace(/[\r\n]/g, ' ');
}
