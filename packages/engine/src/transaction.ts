import type { MacroRef } from '@rampart/seclang';
import type { ResolvedMacroRef } from './macro';
import type { ValueRef, ValueState } from './rules/value-state';
import { Collection } from './collections/collection';
import { TRANSACTION_COLLECTIONS } from './collections/transaction-collections';
import type { CompiledRule, CompiledSelector } from './rules/compiled-rule';
import type { Interruption, MatchedRule } from './interruption';
import type { PendingMatch } from './log/match-reference';
import type { OperatorRunContext, XmlRequestBody } from './operators/types';
import { runPhase } from './rules/evaluate';
import { tracePhaseSkipped } from './trace/evaluation-events';
import type { TraceSink } from './trace/events';
import { RampartError } from './errors';
import { urlDecodeForUri } from './request/uri-decode';
import { requestUriOf } from './request/request-uri';
import { RequestBodyProcessing } from './request/request-body';
import { ResponseBodyProcessing } from './request/response-body';
import { parseQueryArguments, parseCookieHeader } from './request/arguments';
import type { EngineMode, Waf, WafSettings } from './waf';
import type { PersistentRecordHandle } from './collections/store';
import type { ReadsAhead } from './collections/read-ahead';
import { persistRecords } from './collections/persistent-records';
import { debugArguments, debugLevel, debugLine } from './trace/debug-lines';
import { base64Decode } from './transformations/base64-decode';

export type Phase = 1 | 2 | 3 | 4 | 5;

/** Per-transaction copies of the settings that `ctl:` may change for one transaction. */
export interface TransactionSettings {
  ruleEngine: EngineMode;
  requestBodyAccess: boolean;
  requestBodyLimit: number;
  responseBodyAccess: boolean;
  responseBodyLimit: number;
  requestBodyProcessor: string | undefined;
  forceRequestBodyVariable: boolean;
  auditEngine: WafSettings['auditEngine'];
  auditLogParts: string;
  debugLogLevel: number;
}

/** A run-time target exclusion added by `ctl:ruleRemoveTarget*`. */
export interface RuntimeTargetExclusion {
  appliesTo(rule: CompiledRule): boolean;
  variable: string;
  selector: CompiledSelector;
}


/**
 * One HTTP transaction through a compiled WAF. Call the phase methods in order; each returns the
 * interruption when a disruptive rule fired (in `On` mode), else undefined. Hostile input never throws:
 * it becomes variables and rule matches.
 *
 * @example
 * const tx = waf.newTransaction({ id });
 * tx.processConnection('10.0.0.1', 51000, '10.0.0.2', 80);
 * tx.processUri('/search?q=1', 'GET', 'HTTP/1.1');
 * tx.addRequestHeader('Host', 'example.com');
 * const it = tx.processRequestHeaders();
 */
/** `1.1`, `2`, `2.0`: an HTTP version without its `HTTP/` (code ported from libmodsecurity's C API passes these). */
const BARE_HTTP_VERSION = /^\d(?:\.\d)?$/;

export class Transaction implements OperatorRunContext {
  readonly id: string;
  readonly waf: Waf;
  readonly settings: TransactionSettings;
  readonly startedAt = performance.now();
  private readonly createdAt: Date;

  /** Scalar variables by upper-case name. */
  readonly vars = new Map<string, string>();
  private readonly collections = new Map<string, Collection>();
  /** The same collections by position in TRANSACTION_COLLECTIONS, for variables/table.ts. */
  readonly ownCollections: Collection[] = [];
  private readonly ownNamesCache: Array<{ size: number; names: Collection } | undefined> = [];
  /** Persistent collections opened by initcol / setsid / setuid / setrsc, by upper-case name. */
  readonly persistent = new Map<string, PersistentRecordHandle>();
  /** Reads of an asynchronous collection store not yet awaited (rules/evaluate.ts awaits them). */
  pendingLoads: Promise<void>[] | undefined = undefined;
  /** Which persistent collections those reads are for (collections/persistent-use.ts bits). */
  pendingCollections = 0;
  /** Records read ahead of the rules of this phase that may open them (collections/read-ahead.ts). */
  readsAhead: ReadsAhead | undefined = undefined;
  /** Time this transaction's regex matches spent on the backtracking engine (operators/regex.ts matchWithinBudget). */
  backtrackingMs = 0;
  /** Collection store failures: a collection its rules ran without, changes that were not written. */
  collectionErrors: RampartError[] | undefined = undefined;

  // Matching state, read by variables and macros.
  matchedVar: string | undefined;
  matchedVarName: string | undefined;
  highestSeverity = 255;
  currentRule: CompiledRule | undefined;
  /**
   * Receives this transaction's evaluation trace (trace/events.ts) instead of the debug log: set it before the
   * first phase (`waf.newTransaction({ trace })`) to explain what the rules did with one request.
   */
  trace: TraceSink | undefined = undefined;
  /**
   * The latest operator match, for the log line: the variable, the value the operator saw (transformed), the
   * value as the request had it, and the rule (chain member) that matched.
   */
  lastMatch: { variable: string; value: string; raw: string; rule: CompiledRule | undefined } = { variable: '', value: '', raw: '', rule: undefined };
  /**
   * The values of the current chain that matched, kept for chains that log, interrupt, sanitise or are traced:
   * where they matched is worked out only if the whole chain matches (log/match-reference.ts). A new list per
   * chain.
   */
  pendingMatches: PendingMatch[] = [];
  /** Set for the operator call of a rule with `capture`. */
  captures: string[] | null = null;
  /** Reused by the rule evaluator for `captures` (rules/evaluate.ts emptyCaptures). */
  readonly captureBuffer: string[] = [];
  /** Reused by the rule evaluator while it collects a multiMatch chain's steps (rules/evaluate.ts transformed). */
  readonly stepBuffer: string[] = [];

  interruption: Interruption | undefined;
  /** A rule with `auditlog` (the default) matched: the transaction is relevant for SecAuditEngine RelevantOnly. */
  auditLogMarked = false;
  /** `allow` seen: which phases it lets through without further rules. */
  allowScope: 'all' | 'phase' | 'request' | undefined;
  readonly matchedRules: MatchedRule[] = [];
  readonly logLines: string[] = [];

  // Exceptions added at run time by ctl.
  readonly removedRuleIds: Array<{ from: number; to: number }> = [];
  readonly removedRuleTags: string[] = [];
  readonly removedRuleMsgs: string[] = [];
  readonly targetExclusions: RuntimeTargetExclusion[] = [];

  /**
   * MATCHED_VARS and MATCHED_VARS_NAMES. The rule evaluator records every matching value (recordMatch); the
   * collections are brought up to date only when something reads them, which few rules do.
   */
  private readonly matchedVars: Collection;
  /** TX, which setvar and captures write on every match. */
  readonly txCollection: Collection;
  private readonly matchedVarsNames: Collection;
  private readonly matchNames: string[] = [];
  private readonly matchValues: string[] = [];
  /** How many recorded matches the two collections hold. */
  private matchesShown = 0;
  /**
   * The last value the rule evaluator offered for each scalar variable, by definition slot, as a one-element
   * list: rules reading an unchanged scalar reuse it (and the value record remembered on it).
   */
  readonly scalarValues: Array<readonly ValueRef[] | undefined> = [];
  /** What rules learned about each string: transformed forms, prefilter and regex-set answers. */
  readonly valueStates = new Map<string, ValueState>();

  private readonly phasesDone = new Set<Phase>();
  readonly requestBody: RequestBodyProcessing;
  readonly responseBody: ResponseBodyProcessing;
  /** XML document of the request body, when the XML processor parsed one. */
  xmlDocument: unknown;
  /** The body the XML processor ran on, for @validateSchema / @validateDTD (libxml2 parses it again). */
  xmlBody: XmlRequestBody | undefined;
  readonly xmlNamespaces = new Map<string, string>();

  constructor(waf: Waf, id: string, now: Date = new Date()) {
    this.waf = waf;
    this.id = id;
    this.createdAt = now;
    const s = waf.settings;
    this.settings = {
      ruleEngine: s.ruleEngine,
      requestBodyAccess: s.requestBodyAccess,
      requestBodyLimit: s.requestBodyLimit,
      responseBodyAccess: s.responseBodyAccess,
      responseBodyLimit: s.responseBodyLimit,
      requestBodyProcessor: undefined,
      forceRequestBodyVariable: false,
      auditEngine: s.auditEngine,
      auditLogParts: s.auditLogParts,
      debugLogLevel: s.debugLogLevel,
    };
    for (const name of TRANSACTION_COLLECTIONS) {
      const c = new Collection();
      this.collections.set(name, c);
      this.ownCollections.push(c);
    }
    this.matchedVars = this.collections.get('MATCHED_VARS')!;
    this.txCollection = this.collections.get('TX')!;
    this.matchedVarsNames = this.collections.get('MATCHED_VARS_NAMES')!;
    for (const [k, v] of waf.environment) this.collections.get('ENV')!.add(k, v);
    if (s.webAppId !== undefined) this.vars.set('WEBAPPID', s.webAppId);
    this.vars.set('MODSEC_BUILD', '030009');
    this.vars.set('INBOUND_DATA_ERROR', '0');
    this.vars.set('OUTBOUND_DATA_ERROR', '0');
    // libmodsecurity v3 sets it at the start; an invalid %-encoding in the query string or the body sets it to 1.
    this.vars.set('URLENCODED_ERROR', '0');
    this.vars.set('HIGHEST_SEVERITY', '255');
    // Present but empty until a processor is chosen, so `REQBODY_PROCESSOR "!@rx ..."` (CRS 901340) matches.
    this.vars.set('REQBODY_PROCESSOR', '');
    this.requestBody = new RequestBodyProcessing(this);
    this.responseBody = new ResponseBodyProcessing(this);
  }

  now(): Date {
    return this.createdAt;
  }

  /** A value matched in the current rule chain (for MATCHED_VARS and MATCHED_VARS_NAMES). */
  recordMatch(name: string, value: string): void {
    this.matchNames.push(name);
    this.matchValues.push(value);
  }

  /** A new rule chain starts: MATCHED_VARS and MATCHED_VARS_NAMES become empty. */
  clearMatches(): void {
    if (this.matchNames.length !== 0) {
      this.matchNames.length = 0;
      this.matchValues.length = 0;
    }
    if (this.matchesShown !== 0) {
      this.matchedVars.clear();
      this.matchedVarsNames.clear();
      this.matchesShown = 0;
    }
  }

  /** MATCHED_VARS (`names` false) or MATCHED_VARS_NAMES, up to date. */
  matchedCollection(names: boolean): Collection {
    for (let i = this.matchesShown; i < this.matchNames.length; i++) {
      this.matchedVars.add(this.matchNames[i]!, this.matchValues[i]!);
      this.matchedVarsNames.add(this.matchNames[i]!, this.matchNames[i]!);
    }
    this.matchesShown = this.matchNames.length;
    return names ? this.matchedVarsNames : this.matchedVars;
  }

  collection(name: string): Collection | undefined {
    if (name === 'MATCHED_VARS' || name === 'MATCHED_VARS_NAMES') return this.matchedCollection(name === 'MATCHED_VARS_NAMES');
    return this.collections.get(name) ?? this.persistent.get(name)?.collection;
  }

  /**
   * The keys of one of the transaction's own collections (by position: variables/table.ts) as their own
   * collection, for ARGS_NAMES and the like; rebuilt only when the source grew.
   */
  ownNames(index: number): Collection {
    const source = this.ownCollections[index]!;
    const cached = this.ownNamesCache[index];
    if (cached !== undefined && cached.size === source.size) return cached.names;
    const names = new Collection();
    for (const e of source.entries()) names.add(e.key, e.key);
    this.ownNamesCache[index] = { size: source.size, names };
    return names;
  }

  argsCombinedSize(): number {
    let n = 0;
    for (const e of this.collections.get('ARGS')!.entries()) n += e.key.length + e.value.length;
    return n;
  }

  // -------------------------------------------------------------------------------------------
  // Phase 0: connection and request line

  processConnection(clientIp: string, clientPort: number, serverIp: string, serverPort: number): void {
    this.vars.set('REMOTE_ADDR', clientIp);
    this.vars.set('REMOTE_HOST', clientIp);
    this.vars.set('USERAGENT_IP', clientIp);
    this.vars.set('REMOTE_PORT', String(clientPort));
    this.vars.set('SERVER_ADDR', serverIp);
    this.vars.set('SERVER_PORT', String(serverPort));
  }

  /**
   * The request line. `uri` is the request target as received (bytes as a latin1 string), `protocol`
   * e.g. `HTTP/1.1`; a bare version (`1.1`, what libmodsecurity's `msc_process_uri` takes) means `HTTP/1.1`.
   * Derives REQUEST_LINE, REQUEST_URI(_RAW), QUERY_STRING, REQUEST_FILENAME, REQUEST_BASENAME and ARGS_GET as
   * ModSecurity v3 does.
   */
  processUri(uri: string, method: string, protocol: string): void {
    if (BARE_HTTP_VERSION.test(protocol)) protocol = `HTTP/${protocol}`;
    this.vars.set('REQUEST_METHOD', method);
    this.vars.set('REQUEST_PROTOCOL', protocol);
    this.vars.set('REQUEST_LINE', `${method} ${uri} ${protocol}`);
    this.vars.set('REQUEST_URI_RAW', uri);
    // A fragment is kept only in the raw forms.
    const hash = uri.indexOf('#');
    let target = hash === -1 ? uri : uri.slice(0, hash);
    this.vars.set('REQUEST_URI', requestUriOf(target));
    // An absolute-form target (`http://host/path`) keeps only the path in the query string and the file name.
    const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.exec(target);
    if (scheme) {
      const slash = target.indexOf('/', scheme[0].length);
      target = slash === -1 ? '/' : target.slice(slash);
    }
    const q = target.indexOf('?');
    const query = q === -1 ? '' : target.slice(q + 1);
    this.vars.set('QUERY_STRING', query);
    // The raw target is cut at its first '?' and only then decoded, as libmodsecurity 3.0.12+ does: decoding
    // first let `/x%3f.php` read as `/x` (CVE-2024-1019, a bypass of every rule on REQUEST_FILENAME).
    const path = urlDecodeForUri(q === -1 ? target : target.slice(0, q));
    this.vars.set('REQUEST_FILENAME', path);
    this.vars.set('PATH_INFO', path);
    const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    if (cut !== -1 && cut + 1 < path.length) this.vars.set('REQUEST_BASENAME', path.slice(cut + 1));
    else if (cut === -1 && path.length > 0) this.vars.set('REQUEST_BASENAME', path);
    if (query.length > 0) {
      const parsed = parseQueryArguments(query, this.waf.settings.argumentSeparator, this.waf.settings.argumentsLimit);
      debugArguments(this, 'GET', parsed.args, parsed.limitExceeded);
      if (parsed.invalidEncoding) this.vars.set('URLENCODED_ERROR', '1');
      const get = this.collections.get('ARGS_GET')!;
      const all = this.collections.get('ARGS')!;
      for (const a of parsed.args) {
        get.add(a.name, a.value);
        all.add(a.name, a.value);
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Phase 1: request headers

  addRequestHeader(name: string, value: string): void {
    this.collections.get('REQUEST_HEADERS')!.add(name, value);
    const lower = name.toLowerCase();
    if (lower === 'cookie') {
      const cookies = this.collections.get('REQUEST_COOKIES')!;
      for (const c of parseCookieHeader(value, this.waf.settings.cookieFormat)) cookies.add(c.name, c.value);
    } else if (lower === 'host' && !this.vars.has('SERVER_NAME')) {
      const colon = value.startsWith('[') ? value.indexOf(':', value.indexOf(']')) : value.indexOf(':');
      this.vars.set('SERVER_NAME', colon === -1 ? value : value.slice(0, colon));
    } else if (lower === 'authorization') {
      const sp = value.indexOf(' ');
      this.vars.set('AUTH_TYPE', sp === -1 ? value : value.slice(0, sp));
      // REMOTE_USER: the user of the first Authorization header when it is `Basic user:password` (v3's remote_user.cc).
      if (this.collections.get('REQUEST_HEADERS')!.getLower('authorization').length === 1 && value.startsWith('Basic ')) {
        const credentials = base64Decode.transform(value.slice(6), this.waf.transformationContext);
        const colon = credentials.indexOf(':');
        if (colon !== -1) this.vars.set('REMOTE_USER', credentials.slice(0, colon));
      }
    }
  }

  processRequestHeaders(): Interruption | undefined {
    this.requestBody.selectProcessorFromHeaders();
    return this.runPhaseOnce(1);
  }

  // -------------------------------------------------------------------------------------------
  // Phase 2: request body

  appendRequestBody(chunk: string | Uint8Array): void {
    this.requestBody.append(typeof chunk === 'string' ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1'));
  }

  processRequestBody(): Interruption | undefined {
    const early = this.prepareRequestBody();
    if (early) return early;
    return this.runPhaseOnce(2);
  }

  // -------------------------------------------------------------------------------------------
  // Phases 3 and 4: response

  addResponseHeader(name: string, value: string): void {
    this.collections.get('RESPONSE_HEADERS')!.add(name, value);
    const lower = name.toLowerCase();
    if (lower === 'content-type') this.vars.set('RESPONSE_CONTENT_TYPE', value);
    else if (lower === 'content-length') this.vars.set('RESPONSE_CONTENT_LENGTH', value);
  }

  processResponseHeaders(status: number, protocol = 'HTTP/1.1'): Interruption | undefined {
    this.setResponseStatus(status, protocol);
    return this.runPhaseOnce(3);
  }

  private setResponseStatus(status: number, protocol: string): void {
    this.vars.set('RESPONSE_STATUS', String(status));
    this.vars.set('RESPONSE_PROTOCOL', protocol);
    this.vars.set('STATUS_LINE', `${protocol} ${status}`);
  }

  appendResponseBody(chunk: string | Uint8Array): void {
    this.responseBody.append(typeof chunk === 'string' ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1'));
  }

  processResponseBody(): Interruption | undefined {
    const early = this.prepareResponseBody();
    if (early) return early;
    return this.runPhaseOnce(4);
  }

  /**
   * The interruption, forgotten once read, as libmodsecurity's `msc_intervention()` does: the later phases then
   * run their rules as if nothing had interrupted (their own disruptive rules may interrupt again). For
   * connectors and test runners that reproduce libmodsecurity's behaviour after an interruption that the
   * server did not act on; the `interruption` field keeps it otherwise.
   */
  takeInterruption(): Interruption | undefined {
    const it = this.interruption;
    this.interruption = undefined;
    return it;
  }

  /** Whether the response body would be inspected (access on and the MIME type listed). */
  isResponseBodyProcessable(): boolean {
    return this.responseBody.isProcessable();
  }

  // -------------------------------------------------------------------------------------------
  // Phase 5: logging

  processLogging(): void {
    if (this.phasesDone.has(5)) return;
    this.phasesDone.add(5);
    if (this.settings.ruleEngine === 'Off') tracePhaseSkipped(this, 5, 'engine-off');
    else {
      const pending = runPhase(this, 5);
      if (pending) {
        pending.catch(() => undefined);
        throw new RampartError('async-operator', 'phase 5 waited for an asynchronous operator (@rbl) or collection store: use processLoggingAsync');
      }
    }
    // An asynchronous store's writes finish in the background here; processLoggingAsync waits for them.
    void this.finish();
  }

  /** End of transaction: persistent collections are written, the audit log record goes out. */
  private finish(): Promise<void> | undefined {
    const writes = persistRecords(this);
    this.waf.auditLog?.(this);
    return writes;
  }

  /** Before phase 2: an earlier interruption stands; else the body is processed (which may hit its limit). */
  private prepareRequestBody(): Interruption | undefined {
    return this.interruption ?? this.requestBody.process();
  }

  /** Before phase 4: an earlier interruption stands; else the body is buffered out (which may hit its limit). */
  private prepareResponseBody(): Interruption | undefined {
    return this.interruption ?? this.responseBody.process();
  }

  /** Runs a phase unless it ran already; a promise only when an asynchronous operator (`@rbl`) ran. */
  private startPhase(phase: Phase): Promise<void> | undefined {
    if (this.phasesDone.has(phase)) return undefined;
    this.phasesDone.add(phase);
    if (this.interruption) return tracePhaseSkipped(this, phase, 'interrupted');
    if (this.settings.ruleEngine === 'Off') return tracePhaseSkipped(this, phase, 'engine-off');
    if (this.allowScope === 'all' || (this.allowScope === 'request' && phase <= 2)) return tracePhaseSkipped(this, phase, 'allow');
    if (phase === 4 && !this.responseBody.runsPhase4()) return undefined;
    if (this.allowScope === 'phase') this.allowScope = undefined;
    return runPhase(this, phase);
  }

  private runPhaseOnce(phase: Phase): Interruption | undefined {
    const pending = this.startPhase(phase);
    if (pending) {
      // The rest of the phase continues in the background; the caller must use the *Async methods.
      pending.catch(() => undefined);
      throw new RampartError(
        'async-operator',
        `phase ${phase} waited for an asynchronous operator (@rbl) or collection store: use the *Async transaction methods with this rule set`,
      );
    }
    return this.interruption;
  }

  private async runPhaseOnceAsync(phase: Phase): Promise<Interruption | undefined> {
    await this.startPhase(phase);
    return this.interruption;
  }

  /**
   * Phase 1 for rule sets with asynchronous operators (`@rbl`) or an asynchronous collection store (Redis);
   * the same as processRequestHeaders otherwise.
   */
  async processRequestHeadersAsync(): Promise<Interruption | undefined> {
    this.requestBody.selectProcessorFromHeaders();
    return this.runPhaseOnceAsync(1);
  }

  async processRequestBodyAsync(): Promise<Interruption | undefined> {
    const early = this.prepareRequestBody();
    if (early) return early;
    return this.runPhaseOnceAsync(2);
  }

  async processResponseHeadersAsync(status: number, protocol = 'HTTP/1.1'): Promise<Interruption | undefined> {
    this.setResponseStatus(status, protocol);
    return this.runPhaseOnceAsync(3);
  }

  async processResponseBodyAsync(): Promise<Interruption | undefined> {
    const early = this.prepareResponseBody();
    if (early) return early;
    return this.runPhaseOnceAsync(4);
  }

  async processLoggingAsync(): Promise<void> {
    if (this.phasesDone.has(5)) return;
    this.phasesDone.add(5);
    if (this.settings.ruleEngine !== 'Off') await runPhase(this, 5);
    await this.finish();
  }

  // -------------------------------------------------------------------------------------------
  // Macros and run context

  resolve(ref: MacroRef): string {
    return resolveMacro(this, ref);
  }

  setGeo(fields: ReadonlyMap<string, string>): void {
    const geo = this.collections.get('GEO')!;
    geo.clear();
    for (const [k, v] of fields) geo.add(k, v);
  }

  debug(level: number, message: () => string): void {
    if (debugLevel(this) >= level) debugLine(this, level, message());
  }

  xmlRequestBody(): XmlRequestBody | undefined {
    return this.xmlBody;
  }

  regexLimitExceeded(): void {
    this.vars.set('MSC_PCRE_ERROR', '1');
    this.vars.set('MSC_PCRE_LIMITS_EXCEEDED', '1');
    this.txCollection.set('MSC_PCRE_LIMITS_EXCEEDED', '1');
  }

  /** Writes one error-log line (ModSecurity's native format) to the WAF's sink and keeps it. */
  log(line: string): void {
    this.logLines.push(line);
    this.waf.errorLog(line, this);
  }

  isRuleRemoved(rule: CompiledRule): boolean {
    const id = rule.id;
    for (const r of this.removedRuleIds) if (id >= r.from && id <= r.to) return true;
    if (this.removedRuleTags.length > 0) for (const t of rule.tags) if (this.removedRuleTags.includes(t)) return true;
    if (this.removedRuleMsgs.length > 0 && rule.msg?.constant !== undefined && this.removedRuleMsgs.includes(rule.msg.constant)) return true;
    return false;
  }
}

/** `%{tx.foo}`, `%{REQUEST_HEADERS.host}`, `%{MATCHED_VAR}`, `%{RULE.id}`: unknown references expand to ''. */
function resolveMacro(tx: Transaction, ref: MacroRef): string {
  const name = ref.collection;
  const resolved = (ref as Partial<ResolvedMacroRef>).definition;
  const def = resolved !== undefined ? resolved : tx.waf.variables(name);
  if (ref.key === undefined) {
    if (!def) return '';
    const v = def.read(tx);
    if (v === undefined) return '';
    if (typeof v === 'string') return v;
    return v.entries()[0]?.value ?? '';
  }
  if (name === 'RULE') return ruleField(tx.currentRule, ref.key);
  if (!def || def.kind !== 'collection') return '';
  const c = def.read(tx);
  if (!c || typeof c === 'string') return '';
  const keyRegex = (ref as Partial<ResolvedMacroRef>).keyRegex;
  if (keyRegex !== undefined) {
    for (const e of c.entries()) if (keyRegex.test(e.key)) return e.value;
    return '';
  }
  const lowerKey = (ref as Partial<ResolvedMacroRef>).lowerKey ?? ref.key.toLowerCase();
  return c.getLower(lowerKey)[0]?.value ?? '';
}

function ruleField(rule: CompiledRule | undefined, key: string): string {
  if (!rule) return '';
  const head = rule.head;
  switch (key.toLowerCase()) {
    case 'id':
      return String(head.id);
    case 'phase':
      return String(head.phase);
    case 'rev':
      return head.rev ?? '';
    case 'ver':
      return head.ver ?? '';
    case 'severity':
      return head.severity === undefined ? '' : String(head.severity);
    case 'maturity':
      return head.maturity === undefined ? '' : String(head.maturity);
    case 'accuracy':
      return head.accuracy === undefined ? '' : String(head.accuracy);
    case 'msg':
      return head.msg?.constant ?? '';
    default:
      return '';
  }
}
