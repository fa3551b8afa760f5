import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { waitPort } from './net';

/** An HAProxy binary the end-to-end tests run against. */
export interface HaproxyBinary {
  path: string;
  /** e.g. `2.6.12`. */
  version: string;
  /** 3.1 and later: SPOE over the SPOP multiplexer (`mode spop` backend; `timeout hello/idle` ignored). */
  mux: boolean;
}

function probe(bin: string): HaproxyBinary | undefined {
  const r = spawnSync(bin, ['-v'], { encoding: 'utf8' });
  const m = r.status === 0 ? /version (\d+)\.(\d+)(\.\d+)?/.exec(r.stdout) : null;
  if (!m) return undefined;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return { path: bin, version: `${m[1]}.${m[2]}${m[3] ?? ''}`, mux: major > 3 || (major === 3 && minor >= 1) };
}

const SHARED_33 = path.resolve(__dirname, '../../../../../shared/haproxy/3.3.0/haproxy');

/**
 * Debian's HAProxy (2.6: SPOE's own transport) and the 3.3.0 operators build from the setup guide (the SPOP
 * multiplexer of 3.1+), whichever are present: the end-to-end tests run once per binary.
 */
export const HAPROXIES: HaproxyBinary[] = [probe('haproxy'), existsSync(SHARED_33) ? probe(SHARED_33) : undefined].filter((b): b is HaproxyBinary => b !== undefined);

export interface HaproxyConfigOptions {
  /** Default: the first of HAPROXIES. */
  binary?: HaproxyBinary;
  dir: string;
  frontPort: number;
  backendPort: number;
  agentPort: number;
  processingTimeout?: string;
  /** Also send the response message (check-response) on on-http-response. */
  responseCheck?: boolean;
}

/**
 * The configuration operators run (the README's: FireBurn's check-request with 12 args, var-prefix modsec,
 * `code gt 0` deny) plus the fail-closed rule on `txn.modsec.error`, response checking, and headers that
 * expose the variables to the test.
 */
export function writeHaproxyConfig(o: HaproxyConfigOptions): string {
  const binary = o.binary ?? HAPROXIES[0]!;
  const spoe = path.join(o.dir, 'spoe-modsecurity.conf');
  writeFileSync(
    spoe,
    `[modsecurity]
spoe-agent modsecurity-agent
    messages check-request${o.responseCheck ? ' check-response' : ''}
    option var-prefix modsec
    option set-on-error error
${binary.mux ? '' : '    timeout hello 2s\n    timeout idle 30s\n'}    timeout processing ${o.processingTimeout ?? '1s'}
    use-backend spoe-modsecurity

spoe-message check-request
    args unique-id src src_port dst dst_port method path query req.ver req.hdrs_bin req.body_size req.body
    event on-frontend-http-request
${
  o.responseCheck
    ? `
spoe-message check-response
    args unique-id status res.ver res.hdrs_bin res.body
    event on-http-response
`
    : ''
}`,
  );
  const cfg = path.join(o.dir, 'haproxy.cfg');
  writeFileSync(
    cfg,
    `global
    log stdout format raw local0 info

defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend fe
    bind 127.0.0.1:${o.frontPort}
    unique-id-format %{+X}o\\ %ci:%cp_%fi:%fp_%Ts_%rt:%pid
    option http-buffer-request
    filter spoe engine modsecurity config ${spoe}
    http-request deny deny_status 503 if { var(txn.modsec.error) -m int gt 0 }
    http-request deny if { var(txn.modsec.code) -m int gt 0 }
    http-response deny deny_status 403 if { var(txn.modsec.code) -m int gt 0 }
    http-after-response set-header X-Modsec-Code %[var(txn.modsec.code)]
    http-after-response set-header X-Modsec-Error %[var(txn.modsec.error)]
    http-after-response set-header X-Modsec-Ruleid %[var(txn.modsec.ruleid)]
    http-after-response set-header X-Modsec-Rule-Ids %[var(txn.modsec.rule_ids)]
    http-after-response set-header X-Modsec-Score %[var(txn.modsec.anomaly_score)]
    http-after-response set-header X-Modsec-Truncated %[var(txn.modsec.truncated)]
    default_backend be

backend be
    server b1 127.0.0.1:${o.backendPort}

backend spoe-modsecurity
    mode ${binary.mux ? 'spop' : 'tcp'}
    server agent1 127.0.0.1:${o.agentPort}
`,
  );
  const check = spawnSync(binary.path, ['-c', '-q', '-f', cfg], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy -c failed: ${check.stderr}${check.stdout}`);
  return cfg;
}

export interface RunningHaproxy {
  process: ChildProcess;
  log(): string;
  stop(): Promise<void>;
}

export async function startHaproxy(cfg: string, frontPort: number, binary: HaproxyBinary = HAPROXIES[0]!): Promise<RunningHaproxy> {
  let log = '';
  const child = spawn(binary.path, ['-db', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  await waitPort(frontPort, 5000);
  return {
    process: child,
    log: () => log,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
