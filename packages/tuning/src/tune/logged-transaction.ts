import { createWaf, type Waf } from '@rampart/engine';
import type { AuditEntry } from '../audit-log/audit-entry';

/** Which anomaly score a CRS rule adds to: rules 950000-959999 inspect the response. */
export type Direction = 'inbound' | 'outbound';

/** One rule match of a logged transaction, as tune groups it. */
export interface LoggedMatch {
  ruleId: number;
  /** The variable that matched, as an exclusion names it (`ARGS:comment`); undefined when the log does not say. */
  variable: string | undefined;
  value: string | undefined;
  /** From the `paranoia-level/N` tag. */
  paranoiaLevel: number | undefined;
  severity: number | undefined;
  direction: Direction;
  /** A CRS detection rule (it has a paranoia level and a severity, so it adds to the anomaly score). */
  scoring: boolean;
  /** The message said this rule interrupted the transaction. */
  disruptive: boolean;
  msg: string;
  tags: string[];
}

/** A logged transaction reduced to what tune needs. */
export interface LoggedTransaction {
  id: string;
  clientIp: string;
  method: string;
  /** The path as the rules saw it (REQUEST_FILENAME: without query string, percent-decoded). */
  path: string;
  matches: LoggedMatch[];
  /** CRS's verdict as logged: the Total Score of 949110 / 959100 when they matched. */
  loggedInboundScore: number | undefined;
  loggedOutboundScore: number | undefined;
  /** A rule other than CRS's evaluation rules interrupted the transaction (a `deny` rule of the site's own). */
  deniedBy: number | undefined;
}

/** CRS's blocking evaluation (949xxx inbound, 959xxx outbound) and reporting (980xxx) rules: verdicts, not findings. */
export function isEvaluationRule(id: number): boolean {
  return (id >= 949000 && id < 950000) || (id >= 959000 && id < 960000) || (id >= 980000 && id < 981000);
}

export const directionOf = (ruleId: number): Direction => (ruleId >= 950000 && ruleId < 960000 ? 'outbound' : 'inbound');

const TOTAL_SCORE = /\(Total Score: (\d+)\)/;

/**
 * REQUEST_FILENAME of a request target, computed by the engine itself (so that the paths tune matches with
 * `@streq` are the engine's): a throwaway transaction per target, no rules.
 */
export class RequestFilenames {
  private readonly waf: Waf = createWaf({ directives: '', onWarning: () => undefined });

  of(target: string): string {
    const tx = this.waf.newTransaction({ id: '-' });
    tx.processUri(target, 'GET', 'HTTP/1.1');
    return tx.vars.get('REQUEST_FILENAME') ?? '/';
  }
}

/** Reduces an audit entry to a logged transaction; the path comes from the request line, else the messages' `[uri]`. */
export function loggedTransaction(entry: AuditEntry, filenames: RequestFilenames): LoggedTransaction {
  const matches: LoggedMatch[] = [];
  let inbound: number | undefined;
  let outbound: number | undefined;
  let deniedBy: number | undefined;
  let uri: string | undefined;
  for (const m of entry.messages) {
    uri ??= m.uri;
    if (isEvaluationRule(m.ruleId)) {
      const total = TOTAL_SCORE.exec(m.msg);
      if (m.ruleId >= 949000 && m.ruleId < 950000 && total) inbound = Math.max(inbound ?? 0, Number(total[1]));
      if (m.ruleId >= 959000 && m.ruleId < 960000 && total) outbound = Math.max(outbound ?? 0, Number(total[1]));
      continue;
    }
    const scoring = m.paranoiaLevel !== undefined && m.severity !== undefined;
    if (m.disruptive && !scoring) deniedBy ??= m.ruleId;
    matches.push({
      ruleId: m.ruleId,
      variable: m.variable,
      value: m.value,
      paranoiaLevel: m.paranoiaLevel,
      severity: m.severity,
      direction: directionOf(m.ruleId),
      scoring,
      disruptive: m.disruptive,
      msg: m.msg,
      tags: m.tags,
    });
  }
  // The request line is exact; a message's [uri] is cut at 200 bytes (the fallback when part B was not logged).
  const path = entry.request !== undefined ? filenames.of(entry.request.target) : (uri ?? '/');
  return {
    id: entry.id,
    clientIp: entry.connection.clientIp,
    method: entry.request?.method ?? '',
    path,
    matches,
    loggedInboundScore: inbound,
    loggedOutboundScore: outbound,
    deniedBy,
  };
}
