#!/usr/bin/env node
'use strict';
/**
 * CRS 4.28.0's regression suite in HTTP mode through a real HAProxy and `rampart spoa`, as CRS CI runs it through
 * Apache + ModSecurity (../../../shared/docs/crs-regression.md §4-5):
 *
 *   harness (go-ftw marker protocol) -> HAProxy (spoa-modsecurity's SPOE config + response message)
 *        -> albedo backend (albedo-server.js: the harness's albedo() over a socket)
 *   HAProxy <-SPOP-> rampart spoa -f crs-ci.conf --error-log agent-error.log --response-check
 *
 * Needs `pnpm build` (conformance, rules-crs4, spoa, cli dist) and haproxy on PATH. Everything it starts is
 * stopped at the end, on failure and on SIGINT/SIGTERM. Exit 0 when the suite ran (whatever the count), 2 when it
 * could not run (1 with --baseline when a test of conformance/haproxy/baseline.txt fails). The last line is
 * `N passed, M failed`.
 *
 *   node conformance/haproxy/run.js [--include RE] [--exclude RE] [--report FILE] [--work DIR]
 *        [--workers N] [--processing-timeout 1s] [--bufsize BYTES] [--max-minutes M]
 *
 * The work directory (default conformance/.rampart/haproxy) keeps the generated configuration, the agent's error
 * log and JSON log, and HAProxy's log of the run, for looking into failures.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { startAlbedoServer } = require('./albedo-server');

const CONFORMANCE = path.resolve(__dirname, '..');
const ROOT = path.resolve(CONFORMANCE, '..');
const HARNESS = path.join(CONFORMANCE, 'dist', 'cli.js');
const RAMPART = path.join(ROOT, 'packages', 'cli', 'bin', 'rampart.js');
const RULES_CRS4 = path.join(ROOT, 'rules-crs4', 'dist', 'index.js');
const BASELINE = path.join(__dirname, 'baseline.txt');

const USAGE = `usage: node conformance/haproxy/run.js [options]
  --include RE              run only the tests whose id matches (passed to the harness)
  --exclude RE              skip the tests whose id matches
  --report FILE             JSON report (default: conformance/.rampart/haproxy-report.json)
  --work DIR                configuration and logs of the run (default: conformance/.rampart/haproxy)
  --workers N               rampart spoa -n (default 1)
  --haproxy PATH            the HAProxy binary (default: haproxy on PATH; e.g. ../shared/haproxy/3.3.0/haproxy,
                            the version the setup guide builds: 3.1+ gets mode spop and no timeout hello/idle)
  --processing-timeout T    SPOE timeout processing (default 1s)
  --bufsize BYTES           HAProxy tune.bufsize (default: HAProxy's, 16384)
  --accept-invalid          HAProxy option accept-invalid-http-request (lets through request lines and headers
                            its parser refuses, e.g. raw UTF-8 in the URI; off in the suite's result)
  --baseline                compare with conformance/haproxy/baseline.txt (the tests that passed through HAProxy)
                            and exit 1 when one of them fails now (for CI); without it the exit code is 0
                            whatever the count
  --update-baseline         rewrite conformance/haproxy/baseline.txt with the tests that pass
  --max-minutes M           stop the harness after M minutes (default 60)
  --extra-rules FILE        SecLang appended to the CRS CI configuration (for looking into a failure, e.g. a
                            rule logging %{REQUEST_LINE}); a run with it is not the suite's result`;

function parseArgs(argv) {
  const o = { haproxy: 'haproxy', include: undefined, exclude: undefined, report: undefined, work: undefined, workers: '1', processingTimeout: '1s', bufsize: undefined, maxMinutes: 60, extraRules: undefined, acceptInvalid: false, baseline: false, updateBaseline: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--include': o.include = value(); break;
      case '--exclude': o.exclude = value(); break;
      case '--report': o.report = path.resolve(value()); break;
      case '--work': o.work = path.resolve(value()); break;
      case '--workers': o.workers = value(); break;
      case '--haproxy': o.haproxy = path.resolve(value()); break;
      case '--processing-timeout': o.processingTimeout = value(); break;
      case '--bufsize': o.bufsize = value(); break;
      case '--max-minutes': o.maxMinutes = Number(value()); break;
      case '--baseline': o.baseline = true; break;
      case '--update-baseline': o.updateBaseline = true; break;
      case '--accept-invalid': o.acceptInvalid = true; break;
      case '--extra-rules': o.extraRules = path.resolve(value()); break;
      case '--help': case '-h': process.stdout.write(`${USAGE}\n`); process.exit(0); break;
      default: throw new Error(`unknown argument ${a}`);
    }
  }
  if (!/^\d+$/.test(o.workers)) throw new Error('--workers expects an integer');
  if (o.bufsize !== undefined && !/^\d+$/.test(o.bufsize)) throw new Error('--bufsize expects bytes');
  if (!/^\d+(us|ms|s|m)?$/.test(o.processingTimeout)) throw new Error('--processing-timeout expects a HAProxy time, e.g. 1s');
  if (o.baseline && o.updateBaseline) throw new Error('--baseline and --update-baseline exclude each other');
  const variant = o.bufsize !== undefined || o.acceptInvalid || o.extraRules !== undefined || o.include !== undefined || o.exclude !== undefined;
  if (o.updateBaseline && variant) throw new Error('--update-baseline records the whole suite with the default configuration: no --include/--exclude/--bufsize/--accept-invalid/--extra-rules');
  if (!(o.maxMinutes > 0)) throw new Error('--max-minutes expects a positive number');
  return o;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function portOpen(port) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' }, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => {
      s.destroy();
      resolve(false);
    });
  });
}

async function until(check, ms, what) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function fill(template, values) {
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (_, k) => {
    if (!(k in values)) throw new Error(`template placeholder ${k} has no value`);
    return values[k];
  });
}

/** A child process whose output goes to a file; stop() signals it and waits (SIGKILL after 5 s). */
function startChild(name, command, args, logFile, onLine) {
  const out = fs.createWriteStream(logFile);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const feed = (d) => {
    out.write(d);
    if (onLine === undefined) return;
    tail += d.toString('utf8');
    const lines = tail.split('\n');
    tail = lines.pop();
    // Bounded: a line without a newline is dropped past 1 MB.
    if (tail.length > 1 << 20) tail = '';
    for (const l of lines) onLine(l);
  };
  child.stdout.on('data', feed);
  child.stderr.on('data', feed);
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  return {
    name,
    child,
    exited,
    running: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        }, 5000);
        await exited;
        clearTimeout(timer);
      }
      await new Promise((r) => out.end(r));
    },
  };
}

/**
 * What HAProxy did with each stage's test request, from its log: the requests logged between a stage's start and
 * end marker lines (the marker is captured as `{marker|truncated}`). Returns, per test id:
 * - answered: HAProxy answered the test request itself (`<NOSRV>`: its parser refused it; the agent never saw it);
 * - leftover: the request reached the agent and the backend, then HAProxy refused the bytes that followed it on
 *   the same connection as a second request (a body HAProxy did not count as one: no Content-Length);
 * - truncated: the body reached the agent truncated (txn.modsec.truncated = 1: larger than HAProxy's buffer).
 */
function frontEndEvents(haproxyLog) {
  const answered = new Map();
  const leftover = new Map();
  const truncated = new Map();
  const add = (map, id, line) => {
    const list = map.get(id) ?? [];
    list.push(line);
    map.set(id, list);
  };
  const entries = [];
  for (const line of fs.readFileSync(haproxyLog, 'latin1').split('\n')) {
    // <request counter> <client> <frontend> <backend/server> <timers> <status> <bytes> <termination> {<marker>|<truncated>} "<request line>"
    const m = /^(\d+) (\S+) fe (\S+) \S+ (-?\d+) \S+ \S+ (?:\{([^|}]*)\|?([^}]*)\} )?"(.*)"$/.exec(line);
    if (m) entries.push({ at: Number(m[1]), client: m[2], server: m[3], status: m[4], marker: m[5] ?? '', truncated: m[6] === '1', request: m[7] });
  }
  entries.sort((a, b) => a.at - b.at);
  let stage;
  // client address -> stage, for the requests forwarded in the current and the previous stage: HAProxy can
  // number the refused leftover after the next marker, so it is matched by connection, not by window.
  let forwarded = new Map();
  let previous = new Map();
  for (const { client, server, status, marker, truncated: cut, request } of entries) {
    const start = /^(.*)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-s$/.exec(marker);
    if (start) {
      stage = start[1].replace(/^(\d+-\d+).*$/, '$1');
      previous = forwarded;
      forwarded = new Map();
      continue;
    }
    const owner = forwarded.get(client) ?? previous.get(client);
    if (server === 'fe/<NOSRV>' && owner !== undefined) {
      add(leftover, owner, `${status} ${request}`);
      continue;
    }
    if (/-e$/.test(marker)) {
      stage = undefined;
      continue;
    }
    if (stage === undefined) continue;
    if (server !== 'fe/<NOSRV>') forwarded.set(client, stage);
    else add(answered, stage, `${status} ${request}`);
    if (cut) add(truncated, stage, request);
  }
  return { answered, leftover, truncated };
}

function describeEvents(title, map, results) {
  if (map.size === 0) return `${title}: none\n`;
  const failed = [...map.keys()].filter((id) => results.get(id) !== 'passed');
  return `${title}: ${map.size} tests (${map.size - failed.length} passed, ${failed.length} failed${failed.length > 0 ? `: ${failed.join(' ')}` : ''})\n`;
}

function haproxyVersion(bin) {
  const v = spawnSync(bin, ['-v'], { encoding: 'utf8' });
  if (v.status !== 0) return undefined;
  return (v.stdout.split('\n')[0] ?? '').trim();
}

/** HAProxy 3.1 and later run SPOE over the SPOP multiplexer. */
function spopMultiplexer(versionLine) {
  const m = /version (\d+)\.(\d+)/.exec(versionLine);
  return m !== null && (Number(m[1]) > 3 || (Number(m[1]) === 3 && Number(m[2]) >= 1));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const version = haproxyVersion(opts.haproxy);
  if (version === undefined) throw new Error(`${opts.haproxy} is not installed (or not on PATH)`);
  const mux = spopMultiplexer(version);
  for (const f of [HARNESS, RAMPART, RULES_CRS4, path.join(CONFORMANCE, 'dist', 'albedo.js')]) {
    if (!fs.existsSync(f)) throw new Error(`${f} is missing: run pnpm build first`);
  }
  const work = opts.work ?? path.join(CONFORMANCE, '.rampart', 'haproxy');
  const report = opts.report ?? path.join(CONFORMANCE, '.rampart', 'haproxy-report.json');
  fs.mkdirSync(work, { recursive: true });
  fs.mkdirSync(path.dirname(report), { recursive: true });
  const files = {
    rules: path.join(work, 'crs-ci.conf'),
    spoe: path.join(work, 'spoe-modsecurity.conf'),
    haproxyCfg: path.join(work, 'haproxy.cfg'),
    errorLog: path.join(work, 'agent-error.log'),
    agentLog: path.join(work, 'agent.log'),
    haproxyLog: path.join(work, 'haproxy.log'),
  };
  for (const f of [files.errorLog, files.agentLog, files.haproxyLog]) fs.rmSync(f, { force: true });

  const { crsConfig, locateCrs } = require(RULES_CRS4);
  const crs = locateCrs({ cwd: ROOT });
  const extra = opts.extraRules !== undefined ? `\n# --extra-rules ${opts.extraRules}\n${fs.readFileSync(opts.extraRules, 'utf8')}\n` : '';
  fs.writeFileSync(files.rules, `${crsConfig({ profile: 'crs-ci', crsDir: crs.dir }).directives}\n${extra}`);

  const started = Date.now();
  const cleanup = [];
  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    // Reverse start order: harness, HAProxy, agent, backend.
    for (const step of cleanup.reverse()) {
      try {
        await step();
      } catch (err) {
        process.stderr.write(`cleanup: ${err && err.message}\n`);
      }
    }
  };
  const onSignal = (sig) => {
    process.stderr.write(`\n${sig}: stopping\n`);
    stopAll().then(() => process.exit(2));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const backend = await startAlbedoServer();
    cleanup.push(() => backend.close());

    const agentPort = await freePort();
    let ready = false;
    let agentFatal;
    const agent = startChild(
      'rampart spoa',
      process.execPath,
      // Every error-log line is needed: the harness reads each test's lines (no per-rule rate limit).
      [RAMPART, 'spoa', '-f', files.rules, '-p', String(agentPort), '-n', opts.workers, '--error-log', files.errorLog, '--error-log-rate', '0', '--response-check'],
      files.agentLog,
      (line) => {
        if (!line.startsWith('{')) return;
        try {
          const r = JSON.parse(line);
          if (typeof r.msg === 'string' && r.msg.startsWith('ready:')) ready = true;
          if (r.level >= 50 && agentFatal === undefined) agentFatal = r.msg;
        } catch {
          // not a JSON log line
        }
      },
    );
    cleanup.push(() => agent.stop());
    await until(() => ready || !agent.running(), 120_000, 'rampart spoa to load the rules');
    if (!ready) throw new Error(`rampart spoa exited before it was ready (${agentFatal ?? 'see ' + files.agentLog})`);

    const frontPort = await freePort();
    fs.writeFileSync(files.spoe, fill(fs.readFileSync(path.join(__dirname, 'spoe-modsecurity.conf.template'), 'utf8'), { PROCESSING_TIMEOUT: opts.processingTimeout, HELLO_IDLE: mux ? '' : '    timeout hello 2s\n    timeout idle 30s\n' }));
    fs.writeFileSync(
      files.haproxyCfg,
      fill(fs.readFileSync(path.join(__dirname, 'haproxy.cfg.template'), 'utf8'), {
        FRONT_PORT: String(frontPort),
        BACKEND_PORT: String(backend.port),
        AGENT_PORT: String(agentPort),
        SPOE_CONF: files.spoe,
        GLOBAL_EXTRA: opts.bufsize !== undefined ? `    tune.bufsize ${opts.bufsize}` : '',
        FRONTEND_EXTRA: opts.acceptInvalid ? '    option accept-invalid-http-request' : '',
        SPOE_MODE: mux ? 'spop' : 'tcp',
      }),
    );
    const check = spawnSync(opts.haproxy, ['-c', '-f', files.haproxyCfg], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`haproxy -c ${files.haproxyCfg} failed:\n${check.stderr}${check.stdout}`);
    const haproxy = startChild('haproxy', opts.haproxy, ['-db', '-f', files.haproxyCfg], files.haproxyLog);
    cleanup.push(() => haproxy.stop());
    await until(async () => !haproxy.running() || (await portOpen(frontPort)), 10_000, 'haproxy to listen');
    if (!haproxy.running()) throw new Error(`haproxy exited at start: see ${files.haproxyLog}`);

    process.stdout.write(
      `# ${version}; rampart spoa -n ${opts.workers} --response-check (CRS ${crs.version}, crs-ci profile); timeout processing ${opts.processingTimeout}` +
        `${opts.bufsize !== undefined ? `; tune.bufsize ${opts.bufsize}` : ''}${opts.acceptInvalid ? '; option accept-invalid-http-request' : ''}${opts.extraRules !== undefined ? `; EXTRA RULES ${opts.extraRules}` : ''}; work dir ${work}\n`,
    );
    const baselineArgs = opts.baseline ? ['--baseline', BASELINE] : opts.updateBaseline ? ['--baseline', BASELINE, '--update-baseline'] : ['--no-baseline'];
    const harnessArgs = [HARNESS, '--target', `127.0.0.1:${frontPort}`, '--log', files.errorLog, ...baselineArgs, '--report', report, '--quiet'];
    if (opts.include !== undefined) harnessArgs.push('--include', opts.include);
    if (opts.exclude !== undefined) harnessArgs.push('--exclude', opts.exclude);
    const harness = spawn(process.execPath, harnessArgs, { stdio: ['ignore', 'inherit', 'inherit'], cwd: ROOT });
    const harnessExit = new Promise((r) => harness.once('exit', (code, signal) => r({ code, signal })));
    cleanup.push(async () => {
      if (harness.exitCode === null && harness.signalCode === null) {
        harness.kill('SIGTERM');
        await harnessExit;
      }
    });
    let timedOut = false;
    const limit = setTimeout(() => {
      timedOut = true;
      harness.kill('SIGTERM');
    }, opts.maxMinutes * 60_000);
    const { code } = await harnessExit;
    clearTimeout(limit);
    if (timedOut) throw new Error(`the harness ran longer than ${opts.maxMinutes} minutes`);
    // 0: all passed, 1: some failed (--no-baseline) or regressions (--baseline); 2: it could not run (marker not
    // found, target unreachable).
    if (code !== 0 && code !== 1) throw new Error(`the harness exited with ${code}`);
    const regressions = opts.baseline && code === 1;
    if (!agent.running()) throw new Error(`rampart spoa died during the run: see ${files.agentLog}`);
    if (!haproxy.running()) throw new Error(`haproxy died during the run: see ${files.haproxyLog}`);

    const result = JSON.parse(fs.readFileSync(report, 'utf8'));
    await stopAll();
    const results = new Map(result.tests.map((t) => [t.id, t.result]));
    const events = frontEndEvents(files.haproxyLog);
    fs.writeFileSync(
      path.join(work, 'front-end-events.json'),
      `${JSON.stringify({ answeredByHaproxy: Object.fromEntries(events.answered), leftoverRefused: Object.fromEntries(events.leftover), truncatedBody: Object.fromEntries(events.truncated) }, null, 2)}\n`,
    );
    process.stdout.write(describeEvents('answered by HAProxy itself (its HTTP parser refused the request; the agent never saw it)', events.answered, results));
    process.stdout.write(describeEvents('inspected, then the bytes after the request refused by HAProxy as a second request', events.leftover, results));
    process.stdout.write(describeEvents(`body truncated by HAProxy (larger than tune.bufsize ${opts.bufsize ?? 16384})`, events.truncated, results));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(`backend answered ${backend.requests()} requests; run time ${seconds} s (suite ${(result.durationMs / 1000).toFixed(1)} s); report ${report}\n`);
    if (regressions) process.stdout.write(`REGRESSIONS against ${BASELINE} (listed above)\n`);
    process.stdout.write(`${result.totals.passed} passed, ${result.totals.failed} failed\n`);
    return regressions ? 1 : 0;
  } finally {
    await stopAll();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`conformance:haproxy: ${err && err.message ? err.message : err}\n`);
    process.exitCode = 2;
  },
);
