import { parseMacroString } from '@rampart/seclang';
import { compileMacro } from '../macro';
import type { Expandable } from '../operators/types';
import type { CompiledRule } from '../rules/compiled-rule';
import type { Transaction } from '../transaction';

/**
 * ModSecurity v3's rule message (`RuleMessage::log`), the text that both its error log and section H of its
 * Native audit log carry, field for field:
 *
 *   ModSecurity: Warning. Matched "Operator `Rx' with parameter `union' against variable `ARGS:q' (Value: `1 union' )
 *   [file "/r.conf"] [line "3"] [id "942100"] [rev ""] [msg "SQLi"] [data "..."] [severity "2"] [ver "..."]
 *   [maturity "0"] [accuracy "0"] [tag "attack-sqli"] ... [hostname "10.0.0.2"] [uri "/"] [unique_id "..."] [ref "o2,5v8,7"]
 *
 * (one line). Shared by the audit formats; the error-log line (log/error-log.ts) is the same text.
 */

/** v3's `utils::string::limitTo`: longer text is cut at `n` bytes and told how much was left out. */
export function limitTo(n: number, s: string): string {
  return s.length > n ? `${s.slice(0, n)} (${s.length - n} characters omitted)` : s;
}

/**
 * v3's `utils::string::toHexIfNeeded`: bytes below 0x20 and above 0x7e as `\xNN` (lower-case hex), and with
 * `escapeSpecial` also `"` and `\`. Text is latin1 (one char per byte); a char above 0xff (configuration given
 * as a JS string) is escaped by its UTF-8 bytes, as v3 would see them.
 */
export function toHexIfNeeded(s: string, escapeSpecial = false): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e && !(escapeSpecial && (c === 0x22 || c === 0x5c))) continue;
    out += s.slice(last, i);
    last = i + 1;
    if (c <= 0xff) out += hexByte(c);
    else for (const b of Buffer.from(s[i]!, 'utf8')) out += hexByte(b);
  }
  return last === 0 ? s : out + s.slice(last);
}

const hexByte = (b: number): string => `\\x${b < 16 ? '0' : ''}${b.toString(16)}`;

/** Operator names as v3 writes them (`m_op`): the SecLang name with a capital, but for these two. */
const OPERATOR_NAMES: Readonly<Record<string, string>> = { streq: 'StrEq', strmatch: 'StrMatch' };

/** Operators whose message shows the argument with its macros expanded (v3's `m_couldContainsMacro`). */
const EXPANDED_IN_MESSAGE = new Set(['rx', 'rxGlobal', 'ge', 'gt', 'le', 'lt', 'endsWith', 'strmatch', 'within']);

/** Operators that describe their match in their own words (v3's `m_match_message`). */
const OWN_MESSAGE: Readonly<Record<string, string>> = {
  detectSQLi: 'detected SQLi using libinjection.',
  detectXSS: 'detected XSS using libinjection.',
};

/**
 * Collections held in v3's collection backend (TX and the persistent ones): a value selected by key is named as
 * the rule wrote the key (`TX:BLOCKING_INBOUND_ANOMALY_SCORE`), not as it was stored (`tx.blocking_...`).
 */
const BACKEND_COLLECTIONS = new Set(['TX', 'IP', 'SESSION', 'USER', 'GLOBAL', 'RESOURCE']);

interface MessageArgument {
  /** The argument as written in the rule: the parser unescaped `\"`, which v3 keeps. */
  written: string;
  /** The argument as v3 prints it without a transaction: macro references dropped. */
  literal: string;
  macro: Expandable | undefined;
}

const argumentCache = new WeakMap<CompiledRule, MessageArgument>();

function messageArgument(rule: CompiledRule): MessageArgument {
  let a = argumentCache.get(rule);
  if (a === undefined) {
    const written = rule.operator.argument.replace(/"/g, '\\"');
    const parsed = parseMacroString(written);
    const literal = parsed.parts.filter((p): p is string => typeof p === 'string').join('');
    a = { written, literal, macro: parsed.parts.some((p) => typeof p !== 'string') ? compileMacro(parsed) : undefined };
    argumentCache.set(rule, a);
  }
  return a;
}

function variableName(rule: CompiledRule, variable: string): string {
  const colon = variable.indexOf(':');
  if (colon === -1 || !BACKEND_COLLECTIONS.has(variable.slice(0, colon))) return variable;
  const lower = variable.slice(colon + 1).toLowerCase();
  const collection = variable.slice(0, colon);
  for (const t of rule.targets) {
    if (t.variable === collection && t.selector.kind === 'key' && t.selector.lower === lower) return `${collection}:${t.selector.key}`;
  }
  return variable;
}

/**
 * v3's `m_match` for the value that matched last (`Operator::resolveMatchMessage`): the operator, its argument
 * (macros expanded for the operators that expand them) cut at 200 bytes, the variable, and the value as the
 * request had it, before transformations, escaped and cut at 100 bytes. Empty for SecAction.
 */
export function formatMatchMessage(tx: Transaction, rule: CompiledRule | undefined, variable: string, rawValue: string): string {
  if (rule === undefined || (rule.unconditional && rule.targets.length === 0)) return '';
  const op = rule.operator;
  const own = OWN_MESSAGE[op.name];
  if (own !== undefined) return own;
  const name = OPERATOR_NAMES[op.name] ?? op.name.charAt(0).toUpperCase() + op.name.slice(1);
  const arg = messageArgument(rule);
  const param = arg.macro === undefined ? arg.written : EXPANDED_IN_MESSAGE.has(op.name) ? arg.macro.expand(tx) : arg.literal;
  return (
    `Matched "Operator \`${name}' with parameter \`${limitTo(200, param)}' against variable \`${variableName(rule, variable)}' ` +
    `(Value: \`${limitTo(100, toHexIfNeeded(rawValue))}' )`
  );
}

/** The fields of one rule message; the transaction-wide ones (hostname, uri, unique_id) are v3's `m_transaction`. */
export interface RuleMessageFields {
  /** Whether the rule interrupted the transaction (v3's `m_isDisruptive`). */
  disruptive: boolean;
  phase: number;
  /** v3's `m_match` (formatMatchMessage). */
  match: string;
  file: string;
  line: number;
  id: number;
  rev: string | undefined;
  msg: string;
  data: string;
  severity: number | undefined;
  ver: string | undefined;
  maturity: number | undefined;
  accuracy: number | undefined;
  tags: readonly string[];
  /** v3's `m_reference`: match offsets and transformations, `o0,6v14,6t:lowercase`. */
  reference: string;
}

export interface RuleMessageContext {
  /** v3's `[hostname]`: the server's address (SERVER_ADDR), unless the connector named the host. */
  hostname: string;
  /** The path without query string, decoded (REQUEST_FILENAME). */
  uri: string;
  uniqueId: string;
}

/**
 * One rule message as v3's `RuleMessage::log(0, code)` writes it: `code` is the status the client got, which
 * v3 puts in `Access denied with code N` when the audit record is written. No line break can remain: bytes
 * outside printable ASCII end as `\xNN`.
 */
export function formatRuleMessage(m: RuleMessageFields, ctx: RuleMessageContext, code: number): string {
  let s = m.disruptive ? `ModSecurity: Access denied with code ${code} (phase ${m.phase}). ` : 'ModSecurity: Warning. ';
  s += m.match;
  s += ` [file "${m.file}"] [line "${m.line}"] [id "${m.id}"] [rev "${toHexIfNeeded(m.rev ?? '', true)}"]`;
  s += ` [msg "${m.msg}"] [data "${toHexIfNeeded(limitTo(200, m.data), true)}"] [severity "${m.severity ?? 0}"]`;
  s += ` [ver "${toHexIfNeeded(m.ver ?? '', true)}"] [maturity "${m.maturity ?? 0}"] [accuracy "${m.accuracy ?? 0}"]`;
  for (const t of m.tags) s += ` [tag "${toHexIfNeeded(t, true)}"]`;
  s += ` [hostname "${ctx.hostname}"] [uri "${limitTo(200, ctx.uri)}"] [unique_id "${ctx.uniqueId}"] [ref "${limitTo(200, m.reference)}"]`;
  return toHexIfNeeded(s);
}

/** The transaction-wide fields of its rule messages. */
export function ruleMessageContext(tx: Transaction): RuleMessageContext {
  return { hostname: tx.vars.get('SERVER_ADDR') ?? '', uri: tx.vars.get('REQUEST_FILENAME') ?? '', uniqueId: tx.id };
}

/**
 * The messages v3 keeps for the audit record (`m_rulesMessages`): one per matched rule whose last log action
 * keeps it (`log` or `auditlog`, not `nolog` or `noauditlog`), in the order they matched, an interrupting
 * rule's included.
 */
export function loggedRuleMessages(tx: Transaction): RuleMessageFields[] {
  const out: RuleMessageFields[] = [];
  for (const m of tx.matchedRules) {
    if (!m.auditLogged) continue;
    out.push({
      disruptive: m.disruptive,
      phase: m.phase,
      match: m.match ?? '',
      file: m.file,
      line: m.line,
      id: m.id,
      rev: m.rev,
      msg: m.msg,
      data: m.data,
      severity: m.severity,
      ver: m.ver,
      maturity: m.maturity,
      accuracy: m.accuracy,
      tags: m.tags,
      reference: m.reference,
    });
  }
  return out;
}
