import * as crypto from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { hexIfNeeded } from '../log/error-log';
import type { Transaction } from '../transaction';
import { collectAuditData, type AuditData } from './record-data';
import { PRODUCER_NAME } from './producer';
import { RuleTextSource } from './rule-text';
import { formatLogTime } from './time-format';

export interface NativeV2FormatOptions {
  /** 8 lower-case hex digits, used as given; by default a random one per record, as ModSecurity does. */
  boundary?: string;
  /** Source of random boundaries (tests); `newBoundary` by default. */
  randomBoundary?: () => string;
  /** Section H `Apache-Handler:` (the connector that handled the request); the line is left out when unset. */
  handler?: string;
  /** Where section K reads rule texts from; share one per WAF so rule files are read once. */
  ruleText?: RuleTextSource;
  /** The end of the transaction for `Stopwatch:`, as performance.now(); now by default. */
  endedAt?: number;
}

/** A new random section boundary: 8 hex digits, as ModSecurity v2 makes them. */
export function newV2Boundary(): string {
  return crypto.randomBytes(4).toString('hex');
}

/** The phase that interrupted the transaction, for section H's `Action: Intercepted (phase N)`. */
export function interceptPhase(tx: Transaction): number | undefined {
  const it = tx.interruption;
  if (!it) return undefined;
  const rule = tx.matchedRules.find((m) => m.disruptive && m.id === it.ruleId);
  if (rule) return rule.phase;
  // An engine limit (ruleId 0) stops the request body (phase 2) or, once a response exists, its body (phase 4).
  return tx.vars.has('RESPONSE_STATUS') ? 4 : 2;
}

const ENGINE_MODE: Record<string, string | undefined> = { On: 'ENABLED', DetectionOnly: 'DETECTION_ONLY' };

function trailer(tx: Transaction, d: AuditData, wroteResponseBody: boolean, options: NativeV2FormatOptions): string {
  let s = '';
  for (const line of tx.logLines) s += `Message: ${d.maskSecrets(line.startsWith('ModSecurity: ') ? line.slice(13) : line)}\n`;
  const phase = interceptPhase(tx);
  if (phase !== undefined) s += `Action: Intercepted (phase ${phase})\n`;
  if (options.handler !== undefined) s += `Apache-Handler: ${options.handler}\n`;
  const startUs = d.time.getTime() * 1000;
  const durationUs = Math.max(0, Math.round(((options.endedAt ?? performance.now()) - tx.startedAt) * 1000));
  // Stopwatch2's per-phase timings are not measured, so only the compatibility line is written.
  s += `Stopwatch: ${startUs} ${durationUs} (- - -)\n`;
  if (wroteResponseBody) s += 'Response-Body-Transformed: Dechunked\n';
  const settings = tx.waf.settings;
  s += `Producer: ${[PRODUCER_NAME, ...settings.componentSignatures].join('; ')}.\n`;
  if (settings.serverSignature !== undefined) s += `Server: ${settings.serverSignature}\n`;
  const list = (names: Iterable<string>): string => [...names].map((n) => `"${hexIfNeeded(n)}"`).join(', ');
  if (d.sanitise.args.size > 0) s += `Sanitised-Args: ${list(d.sanitise.args.values())}.\n`;
  if (d.sanitise.requestHeaders.size > 0) s += `Sanitised-Request-Headers: ${list(d.sanitise.requestHeaders.values())}.\n`;
  if (d.sanitise.responseHeaders.size > 0) s += `Sanitised-Response-Headers: ${list(d.sanitise.responseHeaders.values())}.\n`;
  const webApp = settings.webAppId;
  const session = tx.vars.get('SESSIONID');
  const user = tx.vars.get('USERID');
  if ((webApp !== undefined && webApp !== 'default') || session !== undefined || user !== undefined) {
    const q = (x: string | undefined): string => (x === undefined ? '-' : hexIfNeeded(x));
    s += `WebApp-Info: "${q(webApp)}" "${q(session)}" "${q(user)}"\n`;
  }
  if (settings.sensorId !== undefined && settings.sensorId !== 'default') s += `Sensor-Id: "${hexIfNeeded(settings.sensorId)}"\n`;
  const mode = ENGINE_MODE[tx.settings.ruleEngine];
  if (mode !== undefined) s += `Engine-Mode: "${mode}"\n`;
  return s;
}

function matchedRulesSection(tx: Transaction, texts: RuleTextSource): string {
  let s = '';
  for (const m of tx.matchedRules) {
    const head = m.id === 0 ? undefined : tx.waf.rule(m.id);
    if (!head) continue;
    // A chain is in matchedRules only when all of it matched, so every member is written as matched.
    for (let r: typeof head | undefined = head; r !== undefined; r = r.chained) s += `${texts.text(r)}\n`;
    s += '\n';
  }
  return s;
}

/**
 * One audit-log record in ModSecurity v2's Native layout (`apache2/msc_logging.c`), for sites that migrate from
 * v2 and parse its layout (`auditLogLayout: 'v2'`; the default is v3's, native-format.ts): sections
 * `--<boundary>-<letter>--` in the order A B C I F E H J K Z, each present when its letter is in `parts`
 * (A and Z always). Unlike ModSecurity v3, sections I, J and K have real content. D and G are reserved in
 * ModSecurity and never written by v2 either. The result ends with the blank line that separates records in a
 * Serial log.
 */
export function formatNativeV2Record(tx: Transaction, parts: string, options: NativeV2FormatOptions = {}): string {
  const d = collectAuditData(tx);
  if (options.boundary !== undefined) return build(tx, d, parts, options.boundary, options).text;
  // A request can carry text that looks like a section marker. It cannot guess a random boundary, but it can
  // try millions in one body: a boundary that occurs in the content is replaced, so no content can end a
  // section (or a record) early.
  let record = '';
  for (let attempt = 0; attempt < MAX_BOUNDARY_ATTEMPTS; attempt++) {
    const b = (options.randomBoundary ?? newV2Boundary)();
    const built = build(tx, d, parts, b, options);
    record = built.text;
    if (markerCount(record, `--${b}-`) === built.sections) return record;
  }
  return record;
}

const MAX_BOUNDARY_ATTEMPTS = 16;

function markerCount(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) n++;
  return n;
}

function build(tx: Transaction, d: AuditData, parts: string, b: string, options: NativeV2FormatOptions): { text: string; sections: number } {
  const has = (p: string): boolean => parts.includes(p);
  let sections = 1;
  const section = (letter: string): string => {
    sections++;
    return `\n--${b}-${letter}--\n`;
  };
  let s = `--${b}-A--\n[${formatLogTime(d.time)}] ${d.uniqueId} ${d.clientIp} ${d.clientPort} ${d.serverIp} ${d.serverPort}`;
  if (has('B')) {
    s += section('B');
    if (d.requestLine !== undefined) s += `${d.requestLine}\n`;
    for (const h of d.requestHeaders) s += `${h.name}: ${h.value}\n`;
  }
  // v2 writes the body it read (SecRequestBodyAccess On) under C, also when only I was asked for and the body
  // was not multipart.
  const body = tx.settings.requestBodyAccess ? d.requestBody : undefined;
  if ((has('C') || (has('I') && !d.multipart)) && body !== undefined) s += section('C') + body;
  if (has('I') && d.multipart) s += section('I') + d.formFields;
  if (has('F')) {
    s += section('F');
    if (d.status !== undefined) {
      const reason = STATUS_CODES[d.status];
      s += `${d.responseProtocol} ${d.status}${reason !== undefined ? ` ${reason}` : ''}\n`;
      for (const h of d.responseHeaders) s += `${h.name}: ${h.value}\n`;
    }
  }
  const wroteResponseBody = has('E') && d.responseBody !== undefined;
  if (wroteResponseBody) s += section('E') + d.responseBody!;
  if (has('H')) s += section('H') + trailer(tx, d, wroteResponseBody, options);
  if (has('J') && d.multipart) {
    s += section('J');
    let total = 0;
    for (const u of d.uploads) {
      s += `${u.part},${u.size},"${hexIfNeeded(u.filename)}","${hexIfNeeded(u.contentType)}"\n`;
      total += u.size;
    }
    s += `Total,${total}\n`;
  }
  if (has('K')) s += section('K') + matchedRulesSection(tx, options.ruleText ?? new RuleTextSource());
  s += `${section('Z')}\n`;
  return { text: s, sections };
}
