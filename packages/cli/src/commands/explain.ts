import * as fs from 'node:fs';
import { isIP } from 'node:net';
import * as path from 'node:path';
import { ConfigLoadError } from '@rampart/engine';
import { crsSource } from '@rampart/spoa';
import {
  AuditLogReadError,
  DEFAULT_CONNECTION,
  explainRequest,
  explainWaf,
  findAuditEntry,
  formatExplainJson,
  formatExplainText,
  requestFromAuditEntry,
  requestFromCurl,
  requestFromText,
  RequestInputError,
  type Connection,
  type ExplainConfig,
  type HttpRequest,
} from '@rampart/tuning';
import { parseArgs } from '../args';
import { EXIT_FATAL, EXIT_OK, UsageError } from '../io';
import type { CliIo } from '../io';
import type { Command } from './types';

const help = `Usage: rampart explain [options] REQUEST
       rampart explain [options] -- curl [curl options] URL
       rampart explain [options] --audit-log LOG --id TRANSACTION-ID

Runs one request through the rules with the engine's evaluation trace on, and shows what happened, phase
by phase: each rule that logged, interrupted or raised an anomaly score (id, paranoia level, severity, msg,
tags), the variable and the value it saw, what each transformation made of it, the operator and what it
matched where, the scores as they grow; then the verdict, the rule that decided it, and the rule ids the
error log would show. The trace is of the engine's own run of the request: nothing is evaluated twice.

The request (one of):
  REQUEST              a file holding a raw HTTP request (request line, headers, blank line, body), a
                       curl command line, or a HAR file (told apart by their content); - for standard input
  -- curl ARGS...      the curl command line itself (after --, so that its options stay curl's)
      --audit-log LOG  with --id: the request of that transaction in an audit log (Native in v3's or v2's
                       layout, or JSON; gzip too; a directory for a Concurrent log), with its response
                       when the record has one (part F)
      --id ID          the transaction id (unique_id) to find in --audit-log
      --entry N        for a HAR file with several entries: the one to explain (from 1)
      --client IP[:PORT]  the client of a raw request or curl command (default 127.0.0.1:50000)

The configuration:
  -f FILE              SecLang configuration (as rampart spoa -f); its audit log, debug log and persistent
                       collections are left alone (collections start empty, in memory)
      --paranoia N     without -f: rampart spoa's default configuration (the recommended engine settings
                       and CRS) at paranoia level N (1-4, default 1)
      --crs DIR        the CRS copy for the default configuration

The output:
      --all VARIABLE   also the rules that ran on VARIABLE and did not match, with each value they saw and
                       its transformations: ARGS:comment, ARGS (every argument), REQUEST_HEADERS:User-Agent;
                       '*' for every rule that ran (long), and the rules that were skipped and why
      --json           the explain record as JSON (format rampart-explain/1, documented in the README of
                       @rampart/tuning); the agent's trace log (rampart spoa --trace-log) holds the same
                       records, one per line
      --max-value N    longest value shown in the text, in bytes (default 200)
  -h, --help           show this help

Exit codes: 0 explained (whatever the verdict), 2 usage error, unreadable request or configuration.
`;

function positiveInt(v: string | true | undefined, name: string, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) throw new UsageError(`--${name} takes a whole number from 1 to ${max}`);
  return Number(v);
}

/** `--client 10.0.0.7`, `10.0.0.7:4711`, `2001:db8::1` or `[2001:db8::1]:4711`. */
function clientOption(v: string | true | undefined): Connection | undefined {
  if (v === undefined) return undefined;
  const text = typeof v === 'string' ? v : '';
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  const [ip, port] = bracketed !== null ? [bracketed[1]!, bracketed[2]] : isIP(text) !== 0 ? [text, undefined] : [text.slice(0, text.lastIndexOf(':')), text.slice(text.lastIndexOf(':') + 1)];
  if (isIP(ip) === 0 || (port !== undefined && (!/^\d{1,5}$/.test(port) || Number(port) > 65535))) throw new UsageError('--client takes IP or IP:PORT ([v6]:PORT)');
  return { ...DEFAULT_CONNECTION, clientIp: ip, ...(port !== undefined ? { clientPort: Number(port) } : {}) };
}

async function readRequest(positionals: readonly string[], options: Map<string, string | true>, io: CliIo): Promise<HttpRequest> {
  const auditLog = options.get('audit-log');
  const id = options.get('id');
  const connection = clientOption(options.get('client'));
  const entry = positiveInt(options.get('entry'), 'entry', Number.MAX_SAFE_INTEGER);
  if (auditLog !== undefined || id !== undefined) {
    if (typeof auditLog !== 'string' || typeof id !== 'string') throw new UsageError('--audit-log LOG and --id ID go together');
    if (positionals.length > 0) throw new UsageError('give either a request or --audit-log with --id, not both');
    if (connection !== undefined || entry !== undefined) throw new UsageError('--client and --entry do not apply to an audit record (it names its own connection)');
    const found = await findAuditEntry([path.resolve(io.cwd, auditLog)], id);
    if (found === undefined) throw new RequestInputError(`no transaction ${id} in ${auditLog}`);
    return requestFromAuditEntry(found);
  }
  if (positionals[0] === 'curl') {
    if (entry !== undefined) throw new UsageError('--entry applies to HAR files only');
    return requestFromCurl(positionals, { cwd: io.cwd, ...(connection ? { connection } : {}) });
  }
  if (positionals.length === 0) throw new UsageError('name the request: a file, - for standard input, -- curl ..., or --audit-log LOG --id ID');
  if (positionals.length > 1) throw new UsageError(`one request at a time (got ${positionals.length} arguments; a curl command goes after --)`);
  const source = positionals[0]!;
  let bytes: Buffer;
  if (source === '-') {
    if (io.stdin === undefined) throw new UsageError('standard input is not available');
    bytes = await io.stdin();
  } else {
    try {
      bytes = fs.readFileSync(path.resolve(io.cwd, source));
    } catch (e) {
      throw new RequestInputError(`cannot read ${source}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  }
  return requestFromText(bytes, { cwd: io.cwd, ...(entry !== undefined ? { entry } : {}), ...(connection ? { connection } : {}) }).request;
}

function configuration(options: Map<string, string | true>, io: CliIo): ExplainConfig {
  const file = options.get('file');
  const paranoia = positiveInt(options.get('paranoia'), 'paranoia', 4);
  const crsDir = options.get('crs');
  if (file !== undefined) {
    if (typeof file !== 'string') throw new UsageError('-f needs a file');
    if (paranoia !== undefined || crsDir !== undefined) throw new UsageError('--paranoia and --crs choose the default configuration: not with -f');
    return { files: [path.resolve(io.cwd, file)] };
  }
  const source = crsSource(`pl${paranoia ?? 1}` as 'pl1', typeof crsDir === 'string' ? path.resolve(io.cwd, crsDir) : undefined, {
    onWarning: (w) => io.stderr(`rampart explain: warning: ${w}\n`),
  });
  if (source.kind !== 'directives') throw new Error('the default configuration is directives');
  return { directives: source.directives, baseDir: source.baseDir };
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { options, positionals } = parseArgs(argv, [
    { name: 'file', short: 'f', takesValue: true },
    { name: 'paranoia', takesValue: true },
    { name: 'crs', takesValue: true },
    { name: 'audit-log', takesValue: true },
    { name: 'id', takesValue: true },
    { name: 'entry', takesValue: true },
    { name: 'client', takesValue: true },
    { name: 'all', takesValue: true },
    { name: 'json', takesValue: false },
    { name: 'max-value', takesValue: true },
    { name: 'help', short: 'h', takesValue: false },
  ]);
  if (options.has('help')) {
    io.stdout(help);
    return EXIT_OK;
  }
  const allText = options.get('all');
  if (allText === '') throw new UsageError("--all takes a variable (ARGS:comment, ARGS) or '*'");
  const all = allText === undefined ? undefined : allText === '*' ? true : (allText as string);
  const maxValue = positiveInt(options.get('max-value'), 'max-value', 1 << 20);
  let request: HttpRequest;
  try {
    request = await readRequest(positionals, options, io);
  } catch (e) {
    if (e instanceof RequestInputError || e instanceof AuditLogReadError) {
      io.stderr(`rampart explain: ${e.message}\n`);
      return EXIT_FATAL;
    }
    throw e;
  }
  let waf;
  try {
    waf = explainWaf(configuration(options, io));
  } catch (e) {
    if (e instanceof ConfigLoadError) {
      io.stderr(`rampart explain: the configuration does not load:\n${e.message}\n`);
      return EXIT_FATAL;
    }
    if (e instanceof UsageError) throw e;
    io.stderr(`rampart explain: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FATAL;
  }
  try {
    const record = await explainRequest(waf, request, all !== undefined ? { all } : {});
    io.stdout(options.has('json') ? `${formatExplainJson(record)}\n` : formatExplainText(record, { ...(all !== undefined ? { all } : {}), ...(maxValue !== undefined ? { maxValue } : {}) }));
  } finally {
    waf.close();
  }
  return EXIT_OK;
}

export const explainCommand: Command = {
  name: 'explain',
  summary: 'show how the rules treated one request: each match, its value and transformations, the score, the verdict',
  help,
  run,
};
