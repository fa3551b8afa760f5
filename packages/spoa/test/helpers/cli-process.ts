import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { sourceLoaderPrelude } from '../../src/source-loader';
import { until } from './net';

const CLI_SOURCE = path.resolve(__dirname, '../../../cli/src/cli.ts');

export interface AgentProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** JSON log records printed so far. */
  records(): Array<Record<string, unknown>>;
  waitFor(predicate: (r: Record<string, unknown>) => boolean, ms: number, what: string): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs `rampart spoa ARGS` as a child process from the TypeScript sources (the cli's and this package's),
 * so that signals (SIGHUP, SIGTERM) reach a real process, as under systemd.
 */
export function spawnRampartSpoa(args: string[], cwd: string): AgentProcess {
  const code = `${sourceLoaderPrelude()}
require(${JSON.stringify(CLI_SOURCE)}).main(process.argv.slice(1)).then(
  (c) => { process.exitCode = c; },
  (e) => { process.stderr.write(String(e && e.stack || e) + '\\n'); process.exitCode = 2; });
`;
  const child = spawn(process.execPath, ['-e', code, '--', 'spoa', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  const records = (): Array<Record<string, unknown>> =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    records,
    exited,
    async waitFor(predicate, ms, what) {
      let found: Record<string, unknown> | undefined;
      await until(() => {
        found = records().find(predicate);
        return found !== undefined || child.exitCode !== null;
      }, ms, what);
      if (found === undefined) throw new Error(`agent exited (${child.exitCode}) before ${what}:\n${out}\n${err}`);
      return found;
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
