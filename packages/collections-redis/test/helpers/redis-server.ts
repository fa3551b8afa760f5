import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** scripts/bootstrap.sh installs Debian's redis-server; the tests need the real one, never a fake. */
export function requireRedisServer(): void {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('redis-server is not installed: run scripts/bootstrap.sh (or apt-get install redis-server)');
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Sends one inline command and returns the raw reply (for checks that must not go through the store). */
export function rawCommand(port: number, command: string, ms = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1' });
    let out = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no answer to ${command} within ${ms} ms`));
    }, ms);
    s.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    s.on('data', (d: Buffer) => {
      out += d.toString('latin1');
      if (out.endsWith('\r\n')) {
        clearTimeout(timer);
        s.end();
        resolve(out);
      }
    });
    s.write(`${command}\r\n`);
  });
}

export interface RedisServer {
  port: number;
  url: string;
  dir: string;
  /** The running server's process id (for SIGSTOP / SIGCONT). */
  pid(): number;
  /** Starts the server again on the same port and directory (after stop or kill). */
  start(): Promise<void>;
  /** SIGKILL: no chance to save anything beyond what the append-only file already holds. */
  kill(): Promise<void>;
  /** SIGTERM, and removes the directory when `cleanup`. */
  stop(cleanup?: boolean): Promise<void>;
}

/**
 * A real redis-server on 127.0.0.1 and a free port, in its own temporary directory, with the append-only
 * file fsync'ed on every write (so a SIGKILL loses nothing it acknowledged) unless `durable` is false.
 */
export async function startRedisServer(options: { durable?: boolean; args?: string[] } = {}): Promise<RedisServer> {
  requireRedisServer();
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-redis-'));
  let child: ChildProcess | undefined;
  let log = '';
  const durable = options.durable ?? true;
  const start = async (): Promise<void> => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--daemonize', 'no', '--logfile', ''];
    if (durable) args.push('--appendonly', 'yes', '--appendfsync', 'always');
    else args.push('--appendonly', 'no');
    args.push(...(options.args ?? []));
    const c = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    c.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    c.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (c.exitCode !== null) throw new Error(`redis-server exited with ${c.exitCode}:\n${log}`);
      try {
        // A server with requirepass answers NOAUTH: it is up all the same.
        if (/^(\+PONG|-NOAUTH)/.test(await rawCommand(port, 'PING', 500))) return;
      } catch {
        // not listening yet, or still loading the append-only file
      }
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port} within 10 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const signal = async (sig: NodeJS.Signals): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill(sig);
    await exited;
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    dir,
    pid: () => child?.pid ?? 0,
    start,
    kill: () => signal('SIGKILL'),
    async stop(cleanup = true) {
      await signal('SIGTERM');
      if (cleanup) rmSync(dir, { recursive: true, force: true });
    },
  };
}
