import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseTree, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { ConformanceError } from '../errors';

/**
 * One case of libmodsecurity v3's regression suite (test/test-cases/regression/*.json), read as ModSecurity's
 * runner (test/regression/regression_test.cc) reads it. Every string is a latin1 byte string: the JSON text is
 * UTF-8 and libmodsecurity sees its bytes.
 */
export interface ModsecCase {
  /** `<file>:<position in the file, from 1>`, e.g. `action-block.json:2`. */
  readonly id: string;
  readonly file: string;
  readonly title: string;
  readonly enabled: boolean;
  /** The build feature the case needs (`lua`, `libxml2`, `geoip`, `maxmind`, `curl`, `ssdeep`), or ''. */
  readonly resource: string;
  readonly client: { readonly ip: string; readonly port: number };
  readonly server: { readonly ip: string; readonly port: number; readonly hostname: string };
  readonly request: {
    readonly uri: string;
    readonly method: string;
    /** The raw number text of `http_version` ("1.1"), '' when missing. */
    readonly httpVersion: string;
    /** In file order, duplicate JSON keys kept. */
    readonly headers: ReadonlyArray<readonly [string, string]>;
    readonly body: string;
  };
  readonly response: {
    readonly headers: ReadonlyArray<readonly [string, string]>;
    readonly body: string;
    readonly protocol: string;
  };
  /** The configuration: each line followed by "\n". */
  readonly rules: string;
  readonly expected: {
    readonly httpCode: number;
    readonly parserError: string;
    readonly debugLog: string;
    readonly errorLog: string;
    readonly auditLog: string;
    readonly redirectUrl: string;
  };
}

/** UTF-8 text as the latin1 string of its bytes. */
function bytes(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

/** An object node's members in file order, duplicates kept. */
function members(node: JsonNode | undefined): Array<[string, JsonNode]> {
  if (node?.type !== 'object') return [];
  const out: Array<[string, JsonNode]> = [];
  for (const prop of node.children ?? []) {
    const [k, v] = prop.children ?? [];
    if (k !== undefined && v !== undefined) out.push([String(k.value), v]);
  }
  return out;
}

/** The last member of that name (a later duplicate wins, as with JSON.parse and yajl's lookups in order). */
function member(node: JsonNode | undefined, name: string): JsonNode | undefined {
  let found: JsonNode | undefined;
  for (const [k, v] of members(node)) if (k === name) found = v;
  return found;
}

function str(node: JsonNode | undefined): string {
  return node?.type === 'string' ? bytes(node.value as string) : '';
}

function int(node: JsonNode | undefined, fallback: number): number {
  return node?.type === 'number' ? Math.trunc(node.value as number) : fallback;
}

/** `["a", "b"]` -> "a\nb\n" (regression_test.cc yajl_array_to_str); a string body is taken as it is. */
function lines(node: JsonNode | undefined): string {
  if (node?.type === 'array') return (node.children ?? []).map((c) => `${str(c)}\n`).join('');
  return str(node);
}

function headerList(node: JsonNode | undefined): Array<readonly [string, string]> {
  return members(node).map(([k, v]) => [bytes(k), str(v)] as const);
}

/** Expected fields are read in order: when `expected` appears twice, every field of the later one wins. */
function expectedOf(caseNode: JsonNode): ModsecCase['expected'] {
  const e = { httpCode: 200, parserError: '', debugLog: '', errorLog: '', auditLog: '', redirectUrl: '' };
  for (const [k, v] of members(caseNode)) {
    if (k !== 'expected') continue;
    for (const [f, fv] of members(v)) {
      if (f === 'http_code') e.httpCode = int(fv, 200);
      else if (f === 'parser_error') e.parserError = str(fv);
      else if (f === 'debug_log') e.debugLog = str(fv);
      else if (f === 'error_log') e.errorLog = str(fv);
      else if (f === 'audit_log') e.auditLog = str(fv);
      else if (f === 'redirect_url') e.redirectUrl = str(fv);
    }
  }
  return e;
}

/** Reads the cases of one file (`text` is its content; `file` its base name, used in ids). */
export function parseCaseFile(text: string, file: string): ModsecCase[] {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0 || root?.type !== 'array') {
    throw new ConformanceError('TEST_FILE_INVALID', `${file}: not a JSON array of cases${errors[0] ? ` (error at offset ${errors[0].offset})` : ''}`);
  }
  return (root.children ?? []).map((c, i): ModsecCase => {
    const client = member(c, 'client');
    const server = member(c, 'server');
    const request = member(c, 'request');
    const response = member(c, 'response');
    const version = member(request, 'http_version');
    return {
      id: `${file}:${i + 1}`,
      file,
      title: str(member(c, 'title')),
      enabled: int(member(c, 'enabled'), 1) !== 0,
      resource: str(member(c, 'resource')),
      client: { ip: str(member(client, 'ip')), port: int(member(client, 'port'), 0) },
      server: { ip: str(member(server, 'ip')), port: int(member(server, 'port'), 0), hostname: str(member(server, 'hostname')) },
      request: {
        uri: str(member(request, 'uri')),
        method: str(member(request, 'method')),
        // yajl's YAJL_GET_NUMBER is the number's source text ("1.1", "2"), not a re-printed float.
        httpVersion: version?.type === 'number' ? text.slice(version.offset, version.offset + version.length) : '',
        headers: headerList(member(request, 'headers')),
        body: lines(member(request, 'body')),
      },
      response: {
        headers: headerList(member(response, 'headers')),
        body: lines(member(response, 'body')),
        protocol: str(member(response, 'protocol')),
      },
      rules: lines(member(c, 'rules')),
      expected: expectedOf(c),
    };
  });
}

/** Every case of every `*.json` file of the directory, files in byte order of their names. */
export function loadCases(dir: string): ModsecCase[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return files.flatMap((f) => parseCaseFile(readFileSync(path.join(dir, f), 'utf8'), f));
}
