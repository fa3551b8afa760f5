'use strict';
/** Starting, pinning, watching and stopping the processes of an end-to-end benchmark. */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');

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
    s.once('error', () => resolve(false));
  });
}

async function waitFor(check, ms, what) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function installed(cmd, args = ['-v']) {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.error === undefined;
}

/**
 * The children of one benchmark: each started pinned to `cpus` (taskset) when given, all stopped together.
 * Only processes started here are signalled, by pid.
 */
class Processes {
  constructor() {
    this.children = [];
    process.on('exit', () => this.killAll());
  }

  start(name, cmd, args, { cpus, stdout = 'ignore', env } = {}) {
    const [c, a] = cpus !== undefined ? ['taskset', ['-c', cpus, cmd, ...args]] : [cmd, args];
    const child = spawn(c, a, { stdio: ['ignore', stdout, stdout === 'pipe' ? 'pipe' : 'ignore'], env: env ?? process.env });
    child.benchName = name;
    child.output = '';
    if (stdout === 'pipe') {
      child.stdout.on('data', (d) => (child.output += d));
      child.stderr.on('data', (d) => (child.output += d));
    }
    this.children.push(child);
    return child;
  }

  /** Stops one child (SIGTERM, then SIGKILL after `graceMs`) and waits for it. */
  async stop(child, graceMs = 5000) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  async stopAll() {
    await Promise.all(this.children.map((c) => this.stop(c)));
  }

  killAll() {
    for (const c of this.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
}

/** VmRSS and VmHWM (peak) of a process and its children (nginx workers), in MB; undefined when gone. */
function memoryMb(pid) {
  const read = (p) => {
    try {
      const text = fs.readFileSync(`/proc/${p}/status`, 'utf8');
      const kb = (field) => Number((new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(text) || [])[1] ?? 0);
      return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
    } catch {
      return undefined;
    }
  };
  return read(pid);
}

/** Pids of a process's direct children (from /proc), e.g. nginx's workers. */
function childPids(pid) {
  try {
    return fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

module.exports = { freePort, portOpen, waitFor, installed, Processes, memoryMb, childPids };
