import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  collectionsConfig,
  createLogger,
  crsSource,
  probeCollections,
  formatProblem,
  loadAppConfig,
  parseHostPort,
  RulesLoadError,
  singleAppRules,
  SpoaAgent,
  type RedisCollectionsConfig,
  type RulesConfig,
  type SpoaAgentOptions,
} from '@rampart/spoa';
import { parseArgs } from '../args';
import { EXIT_FATAL, EXIT_OK, UsageError } from '../io';
import type { CliIo } from '../io';
import type { Command } from './types';

const help = `Usage: rampart spoa [options]

The HAProxy SPOE agent (drop-in for spoa-modsecurity): inspects HAProxy's check-request messages (12 or 8
args), coraza-req / coraza-res and check-response, and answers txn.<prefix>.code (0 when clean), action,
status, ruleid, rule_ids, anomaly_score, id, truncated, error. Runs in the foreground; JSON logs on stdout,
ModSecurity error-log lines on stderr (or --error-log). SIGHUP (or SIGUSR2, spoa-modsecurity's) reloads the
rules; SIGTERM/SIGINT drain and stop (also during a load).

Options (spoa-modsecurity's):
  -f FILE          SecLang configuration (e.g. modsecurity.conf with Includes of CRS); default: the
                   recommended engine settings + CRS 4 at paranoia level 1
  -p PORT          listen port (default 12345)
  -n N             inspection worker threads, each with its own compiled rules (default 1; 0 = inspect on
                   the main thread, which blocks it while rules compile)
  -m SIZE          max frame size to accept (default 1048576; HAProxy's smaller value wins)
  -c CAPABILITY    capability to announce: pipelining (the default; async and fragmentation are not supported)
  -t DELAY         artificial delay before each ACK: N, Nus, Nms or Ns (default unit ms; for testing)
  -d               debug logging
  -h, --help       show this help

Rampart's:
      --bind HOST      listen address (default 127.0.0.1; spoa-modsecurity bound every interface)
      --config FILE    YAML with several applications (coraza-spoa's model), chosen by the 'app' argument
      --crs DIR        CRS copy for the default configuration / 'crs:' applications: any 3.x or 4.x
                       tree (a release, or Debian's /usr/share/modsecurity-crs); settings follow its version
      --crs-plugins DIR  CRS plugins (*-config.conf, *-before.conf, *-after.conf) for the default
                       configuration, included in CRS's order (default: the CRS tree's plugins/)
      --paranoia N     paranoia level of the default CRS configuration (1-4, default 1)
      --response-check keep each transaction for its response message (phases 3-4), up to --transaction-ttl
      --transaction-ttl MS   default 10000
      --max-transactions N   transactions kept for responses per worker (default 10000)
      --deadline MS    answer NOTIFYs that waited longer than MS for a worker with error 1006 instead of
                       inspecting them (HAProxy stopped waiting anyway); set it to HAProxy's timeout
                       processing. Default 1000; 0 = never
      --collections URL   persistent collections (IP, SESSION, USER, GLOBAL, RESOURCE) in Redis or Valkey,
                       shared by every agent of every host, instead of SecDataDir's LMDB:
                       redis://[user[:password]@]host[:port][/db] or rediss://..., with optional ?prefix=
                       (default rampart:), timeout_ms= (100), connect_timeout_ms= (2000),
                       breaker_failures= (3), breaker_reset_ms= (1000); the password may instead be in
                       $RAMPART_REDIS_PASSWORD
      --collections-unavailable skip|deny   when Redis cannot read or write a transaction's collections:
                       run it without them (skip, the default; counted in the metrics) or answer error
                       1008 (deny: HAProxy's fail-closed rule refuses the request). Both may instead be
                       in the --config file (collections:, collections_unavailable:)
      --cache-dir DIR  keep the compile memo there (created 0700), so that a start with rules compiled
                       before skips most of the compile; it must be writable by the agent's user only
                       (a file others can write, a damaged or stale one is ignored and written again)
      --metrics-addr HOST:PORT   Prometheus metrics at http://HOST:PORT/metrics
      --error-log FILE append ModSecurity error-log lines to FILE instead of stderr (created 0600)
      --error-log-rate N   error-log lines (and JSON interruption lines) per rule per second; the rest
                       are dropped, counted and summed up every 10 s (default 50; 0 = no limit)
      --trace-log FILE   write the explain record (rampart explain --json, one JSON line) of each
                       transaction HAProxy asks to trace: the message's trace argument
                       (trace=var(txn.rampart_trace)), or --trace-header; off by default (created 0600)
      --trace-header NAME   with --trace-log: a request carrying header NAME (not empty, not 0) is traced.
                       Clients can send any header: HAProxy must delete NAME from their requests and set
                       it itself for the sources it means (README: Tracing on demand)
      --trace-rate N   traced transactions per second at most (default 10; 0 = no limit); the others run
                       untraced and are counted in the JSON log
      --audit-fail open|closed   while audit records cannot be written, answer requests as usual
                       (open, the default) or answer clean ones with error 1007 (closed: the
                       fail-closed rule refuses them); failures are logged, counted, shown by /healthz
      --group-readable create log and collection files 0640 (directories 0750) instead of 0600 (0700)
      --corrupt-collections fail|reset   a corrupt SecDataDir environment stops the agent with what to
                       do (fail, the default) or is moved aside and started empty (reset)
      --user USER, --group GROUP   drop privileges once the sockets listen and the error log is open,
                       before the rules, the audit log and SecDataDir are read (and on every reload)
      --max-file-size SIZE   largest file the configuration may read (Include, @pmFromFile,
                       @ipMatchFromFile, SecUnicodeMapFile, SecGeoLookupDb): N, NK, NM or NG bytes
                       (default 128M); only regular files are read
      --audit-log-layout v2|v3   Native audit records as ModSecurity v2 lays them out (for tools built for
                       v2's records), or libmodsecurity v3's (the default)
      --check          load the configuration, report every error, and exit (0 valid, 2 invalid)
      --strict         refuse what libmodsecurity v3 loads but rampart loads only with a warning
                       (a chain on the last rule, an unterminated action list, a SecAction without id...)

Exit status: 0 after a clean stop, 2 for bad usage or a configuration that does not load.
`;

function intOption(value: string | true | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw new UsageError(`-${name} needs an integer`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`-${name} must be between ${min} and ${max}`);
  return n;
}

/** spoa-modsecurity's `-t`: a number with an optional us/ms/s suffix, ms by default. */
function parseDelay(text: string): number {
  const m = /^(\d+)(us|ms|s)?$/.exec(text);
  if (!m) throw new UsageError(`-t: bad delay '${text}' (N, Nus, Nms or Ns)`);
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 's' ? n * 1000 : n;
}

function oneOf<T extends string>(value: string | true | undefined, name: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) throw new UsageError(`${name} takes ${allowed.join(' or ')}`);
  return value as T;
}

/**
 * setgroups/setgid/setuid to USER (with its supplementary groups) and GROUP (default: USER's primary group from
 * /etc/passwd). Throws with the reason when a name is unknown.
 */
function dropPrivileges(user: string | undefined, group: string | undefined): void {
  let gid: string | number | undefined = group;
  if (user !== undefined && gid === undefined) {
    const entry = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.split(':')[0] === user);
    if (entry === undefined) throw new Error(`--user ${user}: no such user in /etc/passwd`);
    gid = Number(entry.split(':')[3]);
  }
  // initgroups is POSIX-only and missing from the Process type the cli compiles against.
  const posix = process as NodeJS.Process & { initgroups?(user: string, extraGroup: string | number): void };
  if (user !== undefined) posix.initgroups!(user, gid!);
  else process.setgroups!([gid!]);
  process.setgid!(gid!);
  if (user !== undefined) process.setuid!(user);
}

/** `N`, `NK`, `NM` or `NG` (binary units) as bytes. */
function parseSize(value: string | true | undefined, name: string): number {
  const m = typeof value === 'string' ? /^(\d+)([KMG])?$/i.exec(value) : null;
  if (!m) throw new UsageError(`${name} needs a size: N, NK, NM or NG`);
  const n = Number(m[1]) * { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[(m[2] ?? '').toUpperCase() as '' | 'K' | 'M' | 'G'];
  if (n < 1 || !Number.isSafeInteger(n)) throw new UsageError(`${name} must be at least 1 byte`);
  return n;
}

function readable(file: string): void {
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/**
 * `--collections URL` and `--collections-unavailable skip|deny`, checked now so that a typo stops the start.
 * With --config, the policy alone may apply to the file's `collections` (withConfigFile).
 */
function collectionsOption(url: string | true | undefined, policy: string | true | undefined, withConfigFile: boolean): RedisCollectionsConfig | undefined {
  if (url === undefined) {
    if (policy !== undefined && !withConfigFile) throw new UsageError('--collections-unavailable needs --collections');
    if (policy !== undefined && policy !== 'skip' && policy !== 'deny') throw new UsageError(`--collections-unavailable must be skip or deny, got '${String(policy)}'`);
    return undefined;
  }
  if (typeof url !== 'string') throw new UsageError('--collections needs a URL (redis://host:port/db)');
  try {
    return collectionsConfig(url, typeof policy === 'string' ? policy : undefined);
  } catch (e) {
    throw new UsageError(`--collections: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { options, positionals } = parseArgs(argv, [
    { name: 'file', short: 'f', takesValue: true },
    { name: 'port', short: 'p', takesValue: true },
    { name: 'workers', short: 'n', takesValue: true },
    { name: 'max-frame-size', short: 'm', takesValue: true },
    { name: 'capability', short: 'c', takesValue: true },
    { name: 'delay', short: 't', takesValue: true },
    { name: 'debug', short: 'd', takesValue: false },
    { name: 'help', short: 'h', takesValue: false },
    { name: 'bind', takesValue: true },
    { name: 'config', takesValue: true },
    { name: 'crs', takesValue: true },
    { name: 'crs-plugins', takesValue: true },
    { name: 'paranoia', takesValue: true },
    { name: 'response-check', takesValue: false },
    { name: 'transaction-ttl', takesValue: true },
    { name: 'max-transactions', takesValue: true },
    { name: 'metrics-addr', takesValue: true },
    { name: 'collections', takesValue: true },
    { name: 'collections-unavailable', takesValue: true },
    { name: 'deadline', takesValue: true },
    { name: 'cache-dir', takesValue: true },
    { name: 'error-log', takesValue: true },
    { name: 'audit-log-layout', takesValue: true },
    { name: 'check', takesValue: false },
    { name: 'max-file-size', takesValue: true },
    { name: 'error-log-rate', takesValue: true },
    { name: 'audit-fail', takesValue: true },
    { name: 'group-readable', takesValue: false },
    { name: 'corrupt-collections', takesValue: true },
    { name: 'user', takesValue: true },
    { name: 'group', takesValue: true },
    { name: 'strict', takesValue: false },
    { name: 'trace-log', takesValue: true },
    { name: 'trace-header', takesValue: true },
    { name: 'trace-rate', takesValue: true },
  ]);
  if (options.has('help')) {
    io.stdout(help);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const file = options.get('file') as string | undefined;
  const yamlFile = options.get('config') as string | undefined;
  if (file !== undefined && yamlFile !== undefined) throw new UsageError('-f and --config are exclusive (put the file in an application of the YAML)');
  const crsDir = options.get('crs') as string | undefined;
  if (options.has('crs-plugins') && (file !== undefined || yamlFile !== undefined)) {
    throw new UsageError('--crs-plugins applies to the default CRS configuration (without -f or --config)');
  }
  const paranoia = intOption(options.get('paranoia'), '-paranoia', 1, 4) ?? 1;
  const capability = options.get('capability') as string | undefined;
  const capabilities = capability === undefined ? undefined : capability.split(',').map((c) => c.trim()).filter(Boolean);
  for (const c of capabilities ?? []) {
    if (c !== 'pipelining') throw new UsageError(`-c ${c}: not supported (only pipelining; HAProxy 3.1+ dropped async and fragmentation)`);
  }

  const maxFileBytes = options.has('max-file-size') ? parseSize(options.get('max-file-size'), '--max-file-size') : undefined;
  const layoutText = options.get('audit-log-layout') as string | undefined;
  if (layoutText !== undefined && layoutText !== 'v2' && layoutText !== 'v3') throw new UsageError(`--audit-log-layout: expected v2 or v3, got '${layoutText}'`);
  const layout: 'v2' | 'v3' | undefined = layoutText;
  const auditFail = oneOf(options.get('audit-fail'), '--audit-fail', ['open', 'closed'] as const);
  const onCorrupt = oneOf(options.get('corrupt-collections'), '--corrupt-collections', ['fail', 'reset'] as const);
  // Every file the agent creates (error and audit logs, SecDataDir's LMDB files, uploads) is private to its
  // user, or readable by its group with --group-readable, whatever modes the configuration asks for.
  const fileMode = options.has('group-readable') ? 0o640 : 0o600;
  const redis = collectionsOption(options.get('collections'), options.get('collections-unavailable'), yamlFile !== undefined);
  const unavailable = options.get('collections-unavailable') as 'skip' | 'deny' | undefined;
  const extra = {
    ...(redis !== undefined ? { redis } : {}),
    ...(maxFileBytes !== undefined ? { maxFileBytes } : {}),
    ...(auditFail !== undefined ? { auditFail } : {}),
    collections: { fileMode, ...(onCorrupt !== undefined ? { onCorrupt } : {}) },
    ...(options.has('strict') ? { strict: true } : {}),
  };
  const single = {
    responseCheck: options.has('response-check'),
    ...(layout !== undefined ? { auditLogLayout: layout } : {}),
    ...(options.has('transaction-ttl') ? { transactionTtlMs: intOption(options.get('transaction-ttl'), '-transaction-ttl', 1, 3_600_000)! } : {}),
    ...(options.has('max-transactions') ? { maxCachedTransactions: intOption(options.get('max-transactions'), '-max-transactions', 1, 10_000_000)! } : {}),
  };
  // Read again on SIGHUP, so that a reload sees an edited YAML file or CRS setup, not only edited rule files.
  const readConfig = (): { rules: RulesConfig; settings: ReturnType<typeof loadAppConfig>['settings'] } => {
    if (yamlFile !== undefined) {
      const loaded = loadAppConfig(path.resolve(io.cwd, yamlFile), { ...(crsDir !== undefined ? { crsDir: path.resolve(io.cwd, crsDir) } : {}), ...(maxFileBytes !== undefined ? { maxFileBytes } : {}) });
      // The command line wins over the file's `audit_log_layout`, `collections` and `collections_unavailable`.
      if (layout !== undefined) loaded.rules.auditLogLayout = layout;
      const fromFile = loaded.rules.redis;
      if (redis === undefined && unavailable !== undefined) {
        if (fromFile === undefined) throw new UsageError(`--collections-unavailable needs --collections, or \`collections\` in ${yamlFile}`);
        loaded.rules.redis = { ...fromFile, unavailable };
      }
      return { rules: { ...loaded.rules, ...extra }, settings: loaded.settings };
    }
    if (file !== undefined) {
      const abs = path.resolve(io.cwd, file);
      readable(abs);
      return { rules: { ...singleAppRules({ kind: 'files', files: [abs] }, single), ...extra }, settings: {} };
    }
    const pluginsDir = options.get('crs-plugins') as string | undefined;
    const source = crsSource(`pl${paranoia}` as 'pl1', crsDir !== undefined ? path.resolve(io.cwd, crsDir) : undefined, {
      ...(pluginsDir !== undefined ? { pluginsDir: path.resolve(io.cwd, pluginsDir) } : {}),
      onWarning: (w) => io.stderr(`rampart spoa: warning: ${w}\n`),
    });
    return { rules: { ...singleAppRules(source, single), ...extra }, settings: {} };
  };
  let rules: RulesConfig;
  let fileSettings: ReturnType<typeof loadAppConfig>['settings'] = {};
  try {
    ({ rules, settings: fileSettings } = readConfig());
  } catch (e) {
    if (e instanceof RulesLoadError) {
      io.stderr(`rampart spoa: configuration errors:\n${e.problems.map((p) => `  ${formatProblem(p)}\n`).join('')}`);
      return EXIT_FATAL;
    }
    if (e instanceof UsageError) throw e;
    io.stderr(`rampart spoa: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FATAL;
  }

  const port = intOption(options.get('port'), 'p', 0, 65535) ?? fileSettings.bind?.port ?? 12345;
  const host = (options.get('bind') as string | undefined) ?? fileSettings.bind?.host ?? '127.0.0.1';
  const workers = intOption(options.get('workers'), 'n', 0, 64) ?? 1;
  const maxFrameSize = intOption(options.get('max-frame-size'), 'm', 256, 0xffffffff);
  const delay = options.get('delay');
  const metricsText = (options.get('metrics-addr') as string | undefined) ?? fileSettings.metricsAddr;
  const metrics = metricsText !== undefined ? parseHostPort(metricsText) : undefined;
  if (metricsText !== undefined && metrics === undefined) throw new UsageError(`--metrics-addr: expected HOST:PORT, got '${metricsText}'`);
  const level = options.has('debug') ? 'debug' : (fileSettings.logLevel ?? 'info');
  const logger = createLogger(level, (s) => io.stdout(s));
  const errorLogOption = options.get('error-log') as string | undefined;
  const errorLogFile = errorLogOption !== undefined ? path.resolve(io.cwd, errorLogOption) : undefined;
  if (errorLogFile !== undefined) {
    // Checked now, so that an unusable path stops the agent at start; later failures are logged and counted.
    try {
      fs.closeSync(fs.openSync(errorLogFile, 'a', fileMode));
    } catch (e) {
      throw new UsageError(`--error-log: cannot open ${errorLogFile}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  }
  const errorLogRate = intOption(options.get('error-log-rate'), '-error-log-rate', 0, 1_000_000);
  const traceOption = options.get('trace-log') as string | undefined;
  const traceLog = traceOption !== undefined ? path.resolve(io.cwd, traceOption) : undefined;
  const traceHeader = options.get('trace-header') as string | undefined;
  if (traceHeader !== undefined && traceLog === undefined) throw new UsageError('--trace-header needs --trace-log (where the records go)');
  if (traceHeader !== undefined && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(traceHeader)) throw new UsageError(`--trace-header: '${traceHeader}' is not a header name`);
  if (options.has('trace-rate') && traceLog === undefined) throw new UsageError('--trace-rate needs --trace-log');
  const traceRate = intOption(options.get('trace-rate'), '-trace-rate', 0, 1_000_000);
  if (traceLog !== undefined) {
    try {
      fs.closeSync(fs.openSync(traceLog, 'a', fileMode));
    } catch (e) {
      throw new UsageError(`--trace-log: cannot open ${traceLog}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  }
  const user = options.get('user') as string | undefined;
  const group = options.get('group') as string | undefined;
  if ((user !== undefined || group !== undefined) && process.getuid?.() !== 0) throw new UsageError('--user/--group need the agent to start as root');
  process.umask(options.has('group-readable') ? 0o027 : 0o077);

  const agentOptions: SpoaAgentOptions = {
    rules,
    workers,
    port: options.has('check') ? 0 : port,
    host,
    logger,
    ...(errorLogFile !== undefined ? { errorLogFile, fileMode } : { errorLog: (line: string) => io.stderr(`${line}\n`) }),
    ...(errorLogRate !== undefined ? { errorLogRate } : {}),
    ...(traceLog !== undefined ? { traceLog, fileMode } : {}),
    ...(traceHeader !== undefined ? { traceHeader } : {}),
    ...(traceRate !== undefined ? { traceRate } : {}),
    onListening: () => {
      if (user !== undefined || group !== undefined) {
        dropPrivileges(user, group);
        logger.info({ uid: process.getuid?.(), gid: process.getgid?.() }, `privileges dropped to ${user ?? '-'}:${group ?? '-'}`);
      } else if (process.getuid?.() === 0) {
        logger.warn('running as root: start with --user/--group (or systemd User=) so that the agent drops its privileges once it listens');
      }
    },
    ...(maxFrameSize !== undefined ? { maxFrameSize } : {}),
    ...(capabilities !== undefined ? { capabilities } : {}),
    ...(typeof delay === 'string' ? { processingDelayMs: parseDelay(delay) } : {}),
    ...(metrics !== undefined ? { metrics } : {}),
    ...(typeof options.get('cache-dir') === 'string' ? { cacheDir: path.resolve(io.cwd, options.get('cache-dir') as string) } : {}),
    ...(options.has('deadline') ? { queueDeadlineMs: intOption(options.get('deadline'), '-deadline', 0, 3_600_000)! } : {}),
  };
  // Signals are handled from before the agent starts (a stop right after start must not kill the process
  // outright) and while the rules compile: HUP and USR2 reload, TERM/INT drain (a second TERM/INT stops at once).
  let agent: SpoaAgent | undefined;
  let stopping = false;
  const onHup = (): void => {
    if (agent === undefined || stopping) return;
    let next: RulesConfig;
    try {
      next = readConfig().rules;
    } catch (e) {
      const problems = e instanceof RulesLoadError ? e.problems.map(formatProblem) : [e instanceof Error ? e.message : String(e)];
      for (const p of problems) logger.error(`reload failed, keeping the old rules: ${p}`);
      return;
    }
    void agent.reload(next);
  };
  let stop: () => void = () => undefined;
  let stopRequested = false;
  const stopped = new Promise<void>((resolve) => {
    stop = () => {
      if (agent === undefined) {
        stopRequested = true;
        return;
      }
      if (stopping) {
        void agent.close().then(resolve, resolve);
        return;
      }
      stopping = true;
      logger.info('draining');
      void agent.drain().then(resolve, resolve);
    };
  });
  // SIGUSR2 is spoa-modsecurity's reload signal (`ExecReload=/bin/kill -USR2 $MAINPID` in the setup guides):
  // Node's default for it is to exit, which made systemd restart the agent and let requests through unchecked
  // while the new process compiled.
  process.on('SIGHUP', onHup);
  process.on('SIGUSR2', onHup);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const removeSignalHandlers = (): void => {
    process.off('SIGHUP', onHup);
    process.off('SIGUSR2', onHup);
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  };
  try {
    agent = await SpoaAgent.start(agentOptions);
  } catch (e) {
    removeSignalHandlers();
    io.stderr(`rampart spoa: cannot listen on ${host}:${port}: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FATAL;
  }
  if (stopRequested) stop();
  try {
    try {
      await Promise.race([agent.ready, stopped]);
    } catch (e) {
      if (stopping) {
        // SIGTERM/SIGINT during the load: the compile was abandoned, which is a clean stop.
        await stopped;
        return EXIT_OK;
      }
      await agent.close();
      if (e instanceof RulesLoadError) io.stderr(`rampart spoa: the rules did not load:\n${e.problems.map((p) => `  ${formatProblem(p)}\n`).join('')}`);
      else io.stderr(`rampart spoa: the rules did not load: ${e instanceof Error ? e.message : String(e)}\n`);
      return EXIT_FATAL;
    }
    if (options.has('check') && !stopping) {
      const unreachable = rules.redis ? await probeCollections(rules.redis) : undefined;
      if (unreachable !== undefined) {
        await agent.close();
        io.stderr(`rampart spoa: --collections: ${unreachable}\n`);
        return EXIT_FATAL;
      }
      const origins = [...new Set(rules.apps.map((a) => (a.source.kind === 'directives' ? a.source.origin : undefined)).filter((o) => o !== undefined))];
      io.stdout(`configuration OK: ${agent.ruleCount} rules${origins.length > 0 ? ` (${origins.join('; ')})` : ''}\n`);
      await agent.close();
      return EXIT_OK;
    }
    await stopped;
  } finally {
    removeSignalHandlers();
  }
  return EXIT_OK;
}

export const spoaCommand: Command = {
  name: 'spoa',
  summary: 'run the HAProxy SPOE agent (drop-in for spoa-modsecurity; CRS 4 PL1 by default)',
  help,
  run,
};
