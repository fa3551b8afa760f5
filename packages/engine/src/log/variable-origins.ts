import type { Collection, Entry } from '../collections/collection';
import type { Transaction } from '../transaction';
import { findVariableDefinition } from '../variables/table';
import type { ValueRef } from '../rules/value-state';

/**
 * Where a variable's value came from in the request, as libmodsecurity v3 counts it (`VariableOrigin`, the
 * `v` parts of the error log's `[ref "o0,6v17,6t:trim"]`): `[offset, length, ...]`.
 *
 * v3 keeps a running offset while it is fed the transaction (`Transaction::m_variableOffset`): 0 for the
 * connection, the request line (`METHOD URI PROTOCOL`) from 0, then each request header as if written
 * `Name: Value` plus one byte, then the request body (one byte further for a urlencoded body), where the
 * response's variables all sit. Every value records the offset it was set at; this module replays that
 * arithmetic from what the transaction kept (method, target, protocol, the headers in order, the body), so
 * nothing is counted while requests are parsed: only a logged, traced or sanitised match asks.
 *
 * The quirks are v3's and kept on purpose, so that logs compare: an argument's value offset adds the length
 * of its *decoded* name to where its raw piece starts; REQUEST_FILENAME spans the raw path; a cookie without
 * `=` counts one byte too many; ARGS_COMBINED_SIZE lists the name and value of every argument v3 adds with
 * addArgument (query string, urlencoded and JSON bodies: not multipart parts); a multipart part's name is placed
 * one byte after it when quoted, its file one or two bytes into its content (the line end v3 holds back).
 * Values v3 does not place (TX and the persistent collections, ENV, MATCHED_VAR*, counts, engine flags,
 * MULTIPART_PART_HEADERS) have none.
 */
export function variableOrigins(tx: Transaction, variable: string, ref: ValueRef): readonly number[] {
  switch (variable) {
    case 'REMOTE_ADDR':
    case 'REMOTE_HOST':
    case 'REMOTE_PORT':
    case 'SERVER_ADDR':
    case 'SERVER_PORT':
    case 'UNIQUE_ID':
      return [0, ref.value.length];
    case 'REQUEST_METHOD':
    case 'REQUEST_LINE':
      return tx.vars.has(variable) ? [0, ref.value.length] : NONE;
    case 'REQUEST_PROTOCOL':
    case 'QUERY_STRING':
    case 'PATH_INFO':
    case 'REQUEST_FILENAME':
    case 'REQUEST_BASENAME':
    case 'REQUEST_URI':
    case 'REQUEST_URI_RAW':
      return tx.vars.has(variable) ? requestLineOrigin(tx, variable, ref.value) : NONE;
    case 'REQUEST_HEADERS':
    case 'REQUEST_HEADERS_NAMES':
    case 'REQUEST_COOKIES':
    case 'REQUEST_COOKIES_NAMES':
    case 'AUTH_TYPE':
    case 'SERVER_NAME':
    case 'REQBODY_PROCESSOR':
    case 'REMOTE_USER':
      return headerOrigins(tx, variable, ref);
    case 'ARGS':
    case 'ARGS_GET':
    case 'ARGS_POST':
    case 'ARGS_NAMES':
    case 'ARGS_GET_NAMES':
    case 'ARGS_POST_NAMES':
      return argumentOrigin(tx, variable, ref);
    case 'ARGS_COMBINED_SIZE':
      return combinedSizeOrigins(tx);
    case 'FILES':
    case 'FILES_NAMES':
    case 'FILES_SIZES':
    case 'FILES_TMP_CONTENT':
    case 'FILES_TMPNAMES':
    case 'MULTIPART_NAME':
    case 'MULTIPART_FILENAME':
      return multipartOrigin(tx, variable, ref);
    case 'FILES_COMBINED_SIZE': {
      const out: number[] = [];
      for (const p of multipartLayout(tx)) if (p.file) out.push(p.contentAt, p.size);
      return out;
    }
    case 'REQUEST_BODY':
    case 'REQUEST_BODY_LENGTH':
      return tx.vars.has(variable) ? [bodyOffset(tx), tx.requestBody.text().length] : NONE;
    case 'FULL_REQUEST':
    case 'FULL_REQUEST_LENGTH':
    case 'RESPONSE_STATUS':
    case 'RESPONSE_PROTOCOL':
    case 'RESPONSE_BODY':
    case 'RESPONSE_CONTENT_LENGTH':
      return tx.vars.has(variable) ? [bodyOffset(tx), ref.value.length] : NONE;
    case 'RESPONSE_HEADERS':
      return [bodyOffset(tx), ref.value.length];
    case 'RESPONSE_HEADERS_NAMES':
      return [bodyOffset(tx), (ref.key ?? '').length];
    default:
      return NONE;
  }
}

const NONE: readonly number[] = Object.freeze([]);

interface RequestLine {
  method: string;
  /** The target as received, fragment included. */
  raw: string;
  /** The target without its fragment. */
  target: string;
  /** Where the query string starts in `target` (its `?`), or -1. */
  query: number;
  length: number;
}

function requestLine(tx: Transaction): RequestLine {
  const method = tx.vars.get('REQUEST_METHOD') ?? '';
  const raw = tx.vars.get('REQUEST_URI_RAW') ?? '';
  const hash = raw.indexOf('#');
  const target = hash === -1 ? raw : raw.slice(0, hash);
  return { method, raw, target, query: target.indexOf('?'), length: (tx.vars.get('REQUEST_LINE') ?? '').length };
}

/** Transaction::processURI's offsets: everything is placed from the start of the request line. */
function requestLineOrigin(tx: Transaction, variable: string, value: string): readonly number[] {
  const line = requestLine(tx);
  const start = line.method.length + 1;
  switch (variable) {
    case 'REQUEST_PROTOCOL':
      return [start + line.raw.length + 1, value.length];
    case 'QUERY_STRING':
      return line.query === -1 ? NONE : [start + line.query + 1, value.length];
    case 'PATH_INFO':
    case 'REQUEST_FILENAME':
      // The raw path's length, not the decoded value's.
      return [start, line.query === -1 ? line.target.length : line.query];
    case 'REQUEST_BASENAME': {
      const path = tx.vars.get('REQUEST_FILENAME') ?? '';
      const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
      return [start + cut + 1, value.length];
    }
    case 'REQUEST_URI':
      return [start, line.target.length];
    default:
      return [start, line.raw.length];
  }
}

/** Where each request header's name and value sit, and the running offset after the last one. */
interface HeaderLayout {
  names: number[];
  values: number[];
  end: number;
}

function headerLayout(tx: Transaction): HeaderLayout {
  let at = requestLine(tx).length + 1;
  const names: number[] = [];
  const values: number[] = [];
  for (const h of headers(tx)) {
    names.push(at);
    at += h.key.length + 2;
    values.push(at);
    at += h.value.length + 1;
  }
  return { names, values, end: at };
}

function headers(tx: Transaction): readonly Entry[] {
  return tx.collection('REQUEST_HEADERS')?.entries() ?? NO_ENTRIES;
}

const NO_ENTRIES: readonly Entry[] = Object.freeze([]);

function headerOrigins(tx: Transaction, variable: string, ref: ValueRef): readonly number[] {
  const layout = headerLayout(tx);
  const list = headers(tx);
  switch (variable) {
    case 'REQUEST_HEADERS': {
      const i = list.indexOf(ref as Entry);
      return i === -1 ? NONE : [layout.values[i]!, ref.value.length];
    }
    case 'REQUEST_HEADERS_NAMES': {
      const i = indexIn(tx, variable, ref);
      return i === -1 ? NONE : [layout.names[i]!, ref.value.length];
    }
    case 'REQUEST_COOKIES':
    case 'REQUEST_COOKIES_NAMES': {
      const i = indexIn(tx, variable, ref);
      const spans = cookieSpans(list, layout);
      const names = variable === 'REQUEST_COOKIES_NAMES';
      return i === -1 || 4 * i >= spans.length ? NONE : names ? [spans[4 * i]!, spans[4 * i + 1]!] : [spans[4 * i + 2]!, spans[4 * i + 3]!];
    }
    case 'REMOTE_USER': {
      const i = list.findIndex((h) => h.key.toLowerCase() === 'authorization');
      return i === -1 ? NONE : [layout.values[i]!, list[i]!.value.length];
    }
    default: {
      // Anchored variables set by each header of their kind: v3 keeps every origin.
      const out: number[] = [];
      for (let i = 0; i < list.length; i++) {
        const h = list[i]!;
        const lower = h.key.toLowerCase();
        if (variable === 'AUTH_TYPE' && lower === 'authorization') out.push(layout.values[i]!, (h.value.split(' ')[0] ?? '').length);
        else if (variable === 'SERVER_NAME' && lower === 'host') out.push(layout.values[i]!, (h.value.split(':')[0] ?? '').length);
        else if (variable === 'REQBODY_PROCESSOR' && lower === 'content-type') {
          const type = h.value.toLowerCase();
          if (type.startsWith('multipart/form-data')) out.push(layout.values[i]!, 'MULTIPART'.length);
          else if (type.startsWith('application/x-www-form-urlencoded')) out.push(layout.values[i]!, 'URLENCODED'.length);
        }
      }
      return out;
    }
  }
}

/**
 * `[nameOffset, nameLength, valueOffset, valueLength]` for every cookie, in order, with
 * Transaction::addRequestHeader's arithmetic (the pieces v3 skips are the pieces the cookie parser skips).
 */
function cookieSpans(list: readonly Entry[], layout: HeaderLayout): number[] {
  const out: number[] = [];
  for (let h = 0; h < list.length; h++) {
    if (list[h]!.key.toLowerCase() !== 'cookie') continue;
    let at = layout.values[h]!;
    const pieces = list[h]!.value.split(';');
    if (pieces.length > 0 && pieces[pieces.length - 1] === '') pieces.pop();
    if (pieces.length > 0) pieces[pieces.length - 1] = pieces[pieces.length - 1]!.replace(/[ \t\n\v\f\r]+$/, '');
    for (const piece of pieces) {
      if (piece === '') {
        at++;
        continue;
      }
      const eq = piece.indexOf('=');
      let name = eq === -1 ? piece : piece.slice(0, eq);
      const value = eq === -1 ? '' : piece.slice(eq + 1);
      while (name !== '' && /^[ \t\n\v\f\r]/.test(name)) {
        name = name.slice(1);
        at++;
      }
      if (name === '') {
        at += piece.length + 1;
        continue;
      }
      out.push(at, name.length);
      at += name.length + 1;
      out.push(at, value.length);
      at += value.length + 1;
    }
  }
  return out;
}

/** The entry's position in the variable's collection (the *_NAMES collections list their source's keys in order). */
function indexIn(tx: Transaction, variable: string, ref: ValueRef): number {
  const data = findVariableDefinition(variable)?.read(tx);
  if (data === undefined || typeof data === 'string') return -1;
  return (data as Collection).entries().indexOf(ref as Entry);
}

/** Where the request body starts: after the headers, one byte further for a urlencoded body. */
function bodyOffset(tx: Transaction): number {
  return headerLayout(tx).end + (tx.settings.requestBodyProcessor === 'URLENCODED' ? 1 : 0);
}

/**
 * `[valueOffset, valueLength, ...]` of the arguments Transaction::extractArguments adds from `text`: each piece
 * between separators starts where the previous one ended plus one; its value is placed at the piece's start
 * plus the length of the decoded name plus one.
 */
function urlencodedOrigins(text: string, start: number, separator: string, args: readonly Entry[]): number[] {
  const out: number[] = [];
  let at = start;
  let from = 0;
  for (let i = 0; i < args.length && from < text.length; i++) {
    let end = text.indexOf(separator, from);
    if (end === -1) end = text.length;
    const arg = args[i]!;
    out.push(at + arg.key.length + 1, arg.value.length);
    at += end - from + 1;
    from = end + 1;
  }
  return out;
}

/** The value origins of the query-string arguments, then those of the body's, in ARGS order (null: not placed). */
function argumentValueOrigins(tx: Transaction): { get: number[]; body: Array<number | null> } {
  const separator = (tx.waf.settings.argumentSeparator || '&').charAt(0);
  const line = requestLine(tx);
  const getArgs = tx.collection('ARGS_GET')?.entries() ?? NO_ENTRIES;
  const query = line.query === -1 ? '' : line.target.slice(line.query + 1);
  const get = urlencodedOrigins(query, line.method.length + 1 + line.query + 1, separator, getArgs);
  const all = tx.collection('ARGS')?.entries() ?? NO_ENTRIES;
  const bodyArgs = all.slice(getArgs.length);
  const body: Array<number | null> = [];
  const processor = tx.settings.requestBodyProcessor;
  if (processor === 'URLENCODED') {
    const spans = urlencodedOrigins(tx.requestBody.text(), bodyOffset(tx), separator, bodyArgs);
    for (let i = 0; i < bodyArgs.length; i++) body.push(2 * i < spans.length ? spans[2 * i]! : null);
  } else if (processor === 'MULTIPART') {
    // Multipart::multipart_complete: each named form field at one byte past the body's start plus where its
    // value starts.
    const fields = multipartLayout(tx).filter((p) => !p.file && p.name !== undefined);
    for (let i = 0; i < bodyArgs.length; i++) body.push(i < fields.length ? fields[i]!.valueAt : null);
  } else if (processor === 'JSON') {
    // json.cc adds every value with offset 0: the value is placed just after its name.
    for (const a of bodyArgs) body.push(a.key.length + 1);
  } else {
    for (let i = 0; i < bodyArgs.length; i++) body.push(null);
  }
  return { get, body };
}

function argumentOrigin(tx: Transaction, variable: string, ref: ValueRef): readonly number[] {
  const names = variable.endsWith('_NAMES');
  const source = names ? variable.slice(0, -'_NAMES'.length) : variable;
  const i = indexIn(tx, variable, ref);
  if (i === -1) return NONE;
  const origins = argumentValueOrigins(tx);
  const getCount = origins.get.length / 2;
  let valueAt: number | null;
  if (source === 'ARGS_GET') valueAt = i < getCount ? origins.get[2 * i]! : null;
  else if (source === 'ARGS_POST') valueAt = origins.body[i] ?? null;
  else valueAt = i < getCount ? origins.get[2 * i]! : (origins.body[i - getCount] ?? null);
  if (valueAt === null) return NONE;
  const entry = (findVariableDefinition(source)!.read(tx) as Collection).entries()[i];
  if (entry === undefined) return NONE;
  // A name sits just before its value (AnchoredSetVariableTranslationProxy).
  return names ? [valueAt - entry.key.length - 1, entry.key.length] : [valueAt, entry.value.length];
}

/** ARGS_COMBINED_SIZE: v3 adds the name and the value of each argument as they are added. */
function combinedSizeOrigins(tx: Transaction): readonly number[] {
  const origins = argumentValueOrigins(tx);
  const all = tx.collection('ARGS')?.entries() ?? NO_ENTRIES;
  const getCount = origins.get.length / 2;
  const out: number[] = [];
  for (let i = 0; i < all.length; i++) {
    const valueAt = i < getCount ? origins.get[2 * i]! : origins.body[i - getCount];
    if (valueAt === null || valueAt === undefined) continue;
    const e = all[i]!;
    out.push(valueAt - e.key.length - 1, e.key.length, valueAt, e.value.length);
  }
  return out;
}

/** A multipart part as v3's parser places it (absolute offsets, the body's start included). */
interface PartLayout {
  file: boolean;
  name: string | undefined;
  /** Where each `name` and `filename` parameter's value sits, as parse_content_disposition counts. */
  names: number[];
  filenames: number[];
  /** A form field's value: one byte past the body's start, plus where its first data line starts. */
  valueAt: number;
  /** A file's content: where its first data line starts plus the line end v3 holds back (FILES_SIZES). */
  contentAt: number;
  /** Where its last data line starts plus its line end (FILES_TMP_CONTENT, rewritten at each write). */
  lastContentAt: number;
  size: number;
}

/** v3's part buffer: a longer line is taken in pieces, and the held-back line end is then not at its start. */
const MULTIPART_BUF_SIZE = 4096;

/**
 * Replays v3's multipart scan (Multipart::process, line by line) for the offsets it records: parts between
 * `--boundary` lines, headers up to the first empty line, then data lines. Only what the offsets need: the
 * engine's own parser decided what the parts are.
 */
function multipartLayout(tx: Transaction): PartLayout[] {
  if (tx.settings.requestBodyProcessor !== 'MULTIPART') return [];
  const type = tx.collection('REQUEST_HEADERS')?.first('content-type') ?? '';
  const b = /boundary\s*=\s*"?([^";,\s]+)/i.exec(type);
  if (b === null) return [];
  const delimiter = `--${b[1]!}`;
  const body = tx.requestBody.text();
  const base = headerLayout(tx).end;
  const parts: PartLayout[] = [];
  let part: PartLayout | undefined;
  let inHeaders = false;
  let dataLines = 0;
  for (let start = 0; start < body.length; ) {
    const nl = body.indexOf('\n', start);
    const end = nl === -1 ? body.length : nl + 1;
    const line = body.slice(start, end);
    const rest = line.startsWith(delimiter) ? line.slice(delimiter.length) : undefined;
    if (rest !== undefined && /^(?:--)?\r?\n$/.test(rest)) {
      if (part !== undefined) parts.push(part);
      part = rest.startsWith('--') ? undefined : { file: false, name: undefined, names: [], filenames: [], valueAt: base + 1, contentAt: 0, lastContentAt: 0, size: 0 };
      inHeaders = true;
      dataLines = 0;
      if (part === undefined) break;
    } else if (part !== undefined && inHeaders) {
      if (line === '\n' || line === '\r\n') inHeaders = false;
      else placeDisposition(part, line, base + start);
    } else if (part !== undefined) {
      const held = line.length > MULTIPART_BUF_SIZE ? 0 : line.endsWith('\r\n') ? 2 : line.endsWith('\n') ? 1 : 0;
      if (dataLines === 0) {
        part.valueAt = base + 1 + start;
        part.contentAt = base + start + held;
      }
      part.lastContentAt = base + start + held;
      dataLines++;
    }
    start = end;
  }
  for (const p of parts) {
    const size = p.file ? Number(filesSizeOf(tx, parts, p)) : 0;
    p.size = Number.isFinite(size) ? size : 0;
  }
  return parts;
}

/** The size FILES_SIZES gives the part (the engine counted its content). */
function filesSizeOf(tx: Transaction, parts: readonly PartLayout[], p: PartLayout): string {
  const i = parts.filter((x) => x.file).indexOf(p);
  return tx.collection('FILES_SIZES')?.entries()[i]?.value ?? '0';
}

/**
 * A Content-Disposition line: parse_content_disposition places a parameter's value at the header value's start
 * plus the position just after the value (past its closing quote) minus the value's length.
 */
function placeDisposition(part: PartLayout, line: string, lineAt: number): void {
  const colon = line.indexOf(':');
  if (colon <= 0 || line.slice(0, colon).toLowerCase() !== 'content-disposition') return;
  let i = colon + 1;
  while (line[i] === ' ' || line[i] === '\t') i++;
  const valueAt = lineAt + i;
  const v = line.slice(i).replace(/\r?\n$/, '');
  if (!v.startsWith('form-data')) return;
  let p = 'form-data'.length;
  const ws = (): void => {
    while (v[p] === ' ' || v[p] === '\t') p++;
  };
  ws();
  while (p < v.length && v[p] === ';') {
    p++;
    ws();
    const nameStart = p;
    while (p < v.length && v[p] !== '=' && v[p] !== ' ' && v[p] !== '\t') p++;
    const name = v.slice(nameStart, p);
    ws();
    if (v[p] !== '=') return;
    p++;
    ws();
    let length = 0;
    if (v[p] === '"' || v[p] === "'") {
      const quote = v[p];
      p++;
      while (p < v.length && v[p] !== quote) {
        if (v[p] === '\\' && (v[p + 1] === quote || v[p + 1] === '\\')) p++;
        p++;
        length++;
      }
      p++;
    } else {
      while (p < v.length && v[p] !== ';' && v[p] !== ' ' && v[p] !== '\t') {
        p++;
        length++;
      }
    }
    const at = valueAt + p - length;
    if (name === 'name') {
      part.names.push(at);
      part.name ??= v.slice(p - length, p);
    } else if (name === 'filename' || name === 'filename*') {
      if (name === 'filename') part.filenames.push(at);
      part.file = true;
    }
    ws();
  }
}

function multipartOrigin(tx: Transaction, variable: string, ref: ValueRef): readonly number[] {
  const i = indexIn(tx, variable, ref);
  if (i === -1) return NONE;
  const parts = multipartLayout(tx);
  const files = parts.filter((p) => p.file && p.name !== undefined);
  const length = ref.value.length;
  switch (variable) {
    case 'MULTIPART_NAME': {
      const at = parts.flatMap((p) => p.names)[i];
      return at === undefined ? NONE : [at, length];
    }
    case 'MULTIPART_FILENAME': {
      const at = parts.flatMap((p) => p.filenames)[i];
      return at === undefined ? NONE : [at, length];
    }
    default: {
      const f = files[i];
      if (f === undefined) return NONE;
      if (variable === 'FILES_NAMES') return f.names.length > 0 ? [f.names[f.names.length - 1]!, length] : NONE;
      if (variable === 'FILES' || variable === 'FILES_TMPNAMES') return f.filenames.length > 0 ? [f.filenames[f.filenames.length - 1]!, length] : NONE;
      if (variable === 'FILES_SIZES') return [f.contentAt, f.size];
      return [f.lastContentAt, length];
    }
  }
}
