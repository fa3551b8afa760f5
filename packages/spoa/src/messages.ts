import { parseHdrsBin, type HeaderPair, type SpopArg, type SpopMessage, type SpopValue } from '@rampart/spop';
import { parseHeadersText } from './headers-text';
import type { RequestInput, ResponseInput } from './inspection-input';

/** Message names the agent understands (spop.md 2.2, 2.3). */
export const MESSAGE_NAMES = {
  checkRequest: 'check-request',
  checkResponse: 'check-response',
  corazaRequest: 'coraza-req',
  corazaResponse: 'coraza-res',
} as const;

/** What one NOTIFY asks for: at most one request and one response inspection. */
export interface ParsedNotify {
  request?: { message: string; input: RequestInput; exportRuleIds: boolean };
  response?: { message: string; input: ResponseInput; exportRuleIds: boolean; detectOnly: boolean };
  /** Why a message could not be used; the NOTIFY is answered with the `error` variable when nothing usable is left. */
  problems: string[];
  /** Messages with names the agent does not know (another agent's, or a typo). */
  ignored: string[];
}

function text(v: SpopValue | undefined): string | undefined {
  if (v === undefined) return undefined;
  switch (v.type) {
    case 'string':
    case 'ipv4':
    case 'ipv6':
      return v.value;
    case 'binary':
      return v.value.toString('latin1');
    case 'int32':
    case 'uint32':
    case 'int64':
    case 'uint64':
      return String(v.value);
    case 'bool':
      return v.value ? '1' : '0';
    case 'null':
      return undefined;
  }
}

function int(v: SpopValue | undefined): number | undefined {
  if (v === undefined) return undefined;
  switch (v.type) {
    case 'int32':
    case 'uint32':
      return v.value;
    case 'int64':
    case 'uint64':
      // Clamped so that a hostile 2^63 cannot become a float that loses meaning downstream.
      return v.value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : v.value < 0n ? -1 : Number(v.value);
    case 'string': {
      if (!/^\d{1,15}$/.test(v.value)) return undefined;
      return Number(v.value);
    }
    default:
      return undefined;
  }
}

function bool(v: SpopValue | undefined): boolean {
  if (v === undefined) return false;
  if (v.type === 'bool') return v.value;
  const n = int(v);
  return n !== undefined && n !== 0;
}

function port(v: SpopValue | undefined): number {
  const n = int(v) ?? 0;
  return n >= 0 && n <= 65535 ? n : 0;
}

function body(v: SpopValue | undefined): Buffer | undefined {
  if (v === undefined || v.type === 'null') return undefined;
  if (v.type === 'binary') return v.value;
  if (v.type === 'string') return Buffer.from(v.value, 'latin1');
  return undefined;
}

/** `req.hdrs_bin` (BINARY) or `req.hdrs` (STRING text): the layout tells by the value type. */
function headers(v: SpopValue | undefined): { headers: HeaderPair[]; problem?: string } {
  if (v === undefined || v.type === 'null') return { headers: [] };
  if (v.type === 'binary') {
    const r = parseHdrsBin(v.value);
    return r.complete ? { headers: r.headers } : { headers: r.headers, problem: 'headers (hdrs_bin) truncated before the terminator' };
  }
  if (v.type === 'string') return { headers: parseHeadersText(v.value) };
  return { headers: [], problem: `headers of type ${v.type}` };
}

function version(v: SpopValue | undefined): string {
  const s = text(v) ?? '1.1';
  return s.startsWith('HTTP/') ? s.slice(5) : s;
}

type Positional = Array<SpopValue | undefined>;

/** The argument that asks for the transaction's trace (`trace=var(txn.rampart_trace)`), by name in any layout. */
export const TRACE_ARG = 'trace';

function checkRequest(msg: SpopMessage, problems: string[]): RequestInput | undefined {
  // `trace` is named and may follow the positional args; it does not count among them.
  const a: Positional = msg.args.filter((x) => x.name !== TRACE_ARG).map((x) => x.value);
  let p: { uid: number; src?: number; sport?: number; dst?: number; dport?: number; method: number; path: number; query: number; ver: number; hdrs: number; size: number; body: number };
  if (a.length === 12) p = { uid: 0, src: 1, sport: 2, dst: 3, dport: 4, method: 5, path: 6, query: 7, ver: 8, hdrs: 9, size: 10, body: 11 };
  else if (a.length === 8) p = { uid: 0, method: 1, path: 2, query: 3, ver: 4, hdrs: 5, size: 6, body: 7 };
  else {
    problems.push(`${msg.name}: expected 12 args (unique-id src src_port dst dst_port method path query req.ver req.hdrs_bin req.body_size req.body) or the older 8 (unique-id method path query req.ver req.hdrs_bin req.body_size req.body), got ${a.length}`);
    return undefined;
  }
  const h = headers(a[p.hdrs]);
  if (h.problem) problems.push(`${msg.name}: ${h.problem}`);
  const method = text(a[p.method]);
  if (method === undefined || method === '') {
    problems.push(`${msg.name}: no method (arg ${p.method + 1})`);
    return undefined;
  }
  return {
    app: undefined,
    uniqueId: text(a[p.uid]) ?? '',
    clientIp: p.src !== undefined ? (text(a[p.src]) ?? '') : '',
    clientPort: p.sport !== undefined ? port(a[p.sport]) : 0,
    serverIp: p.dst !== undefined ? (text(a[p.dst]) ?? '') : '',
    serverPort: p.dport !== undefined ? port(a[p.dport]) : 0,
    method,
    path: text(a[p.path]) ?? '/',
    query: text(a[p.query]),
    version: version(a[p.ver]),
    headers: h.headers,
    body: body(a[p.body]),
    declaredBodySize: int(a[p.size]),
    ...traced(msg.args),
  };
}

/** `{ trace: true }` when the message has a true `trace` argument (bool, or an integer other than 0). */
function traced(args: readonly SpopArg[]): { trace?: true } {
  const arg = args.find((x) => x.name === TRACE_ARG);
  return arg !== undefined && bool(arg.value) ? { trace: true } : {};
}

/** check-response: `id status version headers body`, positional (our own layout, documented in the README). */
function checkResponse(msg: SpopMessage, problems: string[]): ResponseInput | undefined {
  const a: Positional = msg.args.map((x) => x.value);
  if (a.length !== 5) {
    problems.push(`${msg.name}: expected 5 args (unique-id status res.ver res.hdrs_bin res.body), got ${a.length}`);
    return undefined;
  }
  const id = text(a[0]) ?? '';
  const status = int(a[1]);
  if (id === '' || status === undefined) {
    problems.push(`${msg.name}: ${id === '' ? 'empty id (set unique-id-format, or pass var(txn.<prefix>.id))' : 'status is not an integer'}`);
    return undefined;
  }
  const h = headers(a[3]);
  if (h.problem) problems.push(`${msg.name}: ${h.problem}`);
  return { app: undefined, id, status, version: version(a[2]), headers: h.headers, body: body(a[4]) };
}

function named(args: readonly SpopArg[]): Map<string, SpopValue> {
  const m = new Map<string, SpopValue>();
  for (const a of args) if (!m.has(a.name)) m.set(a.name, a.value);
  return m;
}

/** coraza-req: `app` first, then named args (coraza-spoa's layout). */
function corazaRequest(msg: SpopMessage, problems: string[]): RequestInput | undefined {
  const n = named(msg.args);
  const method = text(n.get('method'));
  if (method === undefined || method === '') {
    problems.push(`${msg.name}: no 'method' arg (coraza-spoa layout: app= src-ip= src-port= dst-ip= dst-port= method= path= query= version= headers= body=)`);
    return undefined;
  }
  const h = headers(n.get('headers'));
  if (h.problem) problems.push(`${msg.name}: ${h.problem}`);
  const b = body(n.get('body'));
  return {
    app: text(msg.args[0]?.name === 'app' ? msg.args[0].value : undefined) || undefined,
    uniqueId: text(n.get('id')) ?? text(n.get('unique-id')) ?? '',
    clientIp: text(n.get('src-ip')) ?? '',
    clientPort: port(n.get('src-port')),
    serverIp: text(n.get('dst-ip')) ?? '',
    serverPort: port(n.get('dst-port')),
    method,
    path: text(n.get('path')) ?? '/',
    query: text(n.get('query')),
    version: version(n.get('version')),
    headers: h.headers,
    body: b,
    declaredBodySize: int(n.get('body-size')),
    ...traced(msg.args),
  };
}

function corazaResponse(msg: SpopMessage, problems: string[]): ResponseInput | undefined {
  const n = named(msg.args);
  const id = text(n.get('id')) ?? '';
  const status = int(n.get('status'));
  if (id === '' || status === undefined) {
    problems.push(`${msg.name}: ${id === '' ? "response id is empty (pass id=var(txn.<prefix>.id))" : "no integer 'status' arg"}`);
    return undefined;
  }
  const h = headers(n.get('headers'));
  if (h.problem) problems.push(`${msg.name}: ${h.problem}`);
  return {
    app: text(msg.args[0]?.name === 'app' ? msg.args[0].value : undefined) || undefined,
    id,
    status,
    version: version(n.get('version')),
    headers: h.headers,
    body: body(n.get('body')),
  };
}

/**
 * Maps the messages of one NOTIFY onto inspections. HAProxy puts every message of an event in one frame
 * (e.g. `check-request` and `coraza-req` for the same request): the first request message wins, later
 * ones are reported as ignored rather than inspected twice. Never throws on hostile input.
 */
export function parseNotify(messages: readonly SpopMessage[]): ParsedNotify {
  const out: ParsedNotify = { problems: [], ignored: [] };
  for (const msg of messages) {
    switch (msg.name) {
      case MESSAGE_NAMES.checkRequest:
      case MESSAGE_NAMES.corazaRequest: {
        if (out.request) {
          out.ignored.push(msg.name);
          break;
        }
        const coraza = msg.name === MESSAGE_NAMES.corazaRequest;
        const input = coraza ? corazaRequest(msg, out.problems) : checkRequest(msg, out.problems);
        if (input) out.request = { message: msg.name, input, exportRuleIds: coraza ? bool(named(msg.args).get('exportRuleIDs')) : true };
        break;
      }
      case MESSAGE_NAMES.checkResponse:
      case MESSAGE_NAMES.corazaResponse: {
        if (out.response) {
          out.ignored.push(msg.name);
          break;
        }
        const coraza = msg.name === MESSAGE_NAMES.corazaResponse;
        const input = coraza ? corazaResponse(msg, out.problems) : checkResponse(msg, out.problems);
        if (input) {
          const n = coraza ? named(msg.args) : undefined;
          out.response = {
            message: msg.name,
            input,
            exportRuleIds: n ? bool(n.get('exportRuleIDs')) : true,
            detectOnly: n ? bool(n.get('detect-only')) : false,
          };
        }
        break;
      }
      default:
        out.ignored.push(msg.name);
    }
  }
  return out;
}
