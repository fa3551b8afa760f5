import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { LmdbCollectionStore } from '../src';
import { T0, removeDir, request, tempDataDir, wafWith } from './helpers';

// Rules that count requests per client IP in a fixed 60-second window and deny the 11th with 429.
const RATE_LIMIT = `SecAction "id:100,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecRule &IP:requests "@eq 0" "id:101,phase:1,pass,nolog,setvar:ip.requests=0,expirevar:ip.requests=60"
SecAction "id:102,phase:1,pass,nolog,setvar:ip.requests=+1"
SecRule IP:requests "@gt 10" "id:103,phase:1,deny,status:429,log,msg:'Too many requests from %{REMOTE_ADDR}'"`;

let dir: string;

beforeEach(() => {
  dir = tempDataDir();
});

afterEach(() => {
  removeDir(dir);
});

describe('through the library', () => {
  it('denies the 11th request of an IP in the window, not other IPs, and lets it in again in the next window', async () => {
    const store = LmdbCollectionStore.open(dir, { sweepIntervalMs: 0 });
    try {
      const waf = wafWith(store, RATE_LIMIT);
      const statuses = [];
      for (let i = 0; i < 12; i++) statuses.push(request(waf, { ip: '198.51.100.1', at: T0 + i }).interruption?.status ?? 200);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 429, 429]);
      expect(request(waf, { ip: '198.51.100.2', at: T0 + 12 }).interruption).toBeUndefined();
      expect(request(waf, { ip: '198.51.100.1', at: T0 + 59 }).interruption?.status).toBe(429);
      // The window started at T0; its counter expires at T0+60.
      expect(request(waf, { ip: '198.51.100.1', at: T0 + 60 }).interruption).toBeUndefined();
      expect(store.read('IP', '198.51.100.1', T0 + 60)!.values.requests).toEqual({ name: 'requests', value: '1', expires: T0 + 120 });
    } finally {
      await store.close();
    }
  });

  it('keeps the count when the WAF and its store are reopened (a reload)', async () => {
    let store = LmdbCollectionStore.open(dir, { sweepIntervalMs: 0 });
    for (let i = 0; i < 10; i++) expect(request(wafWith(store, RATE_LIMIT), { at: T0 + i }).interruption).toBeUndefined();
    await store.close();
    store = LmdbCollectionStore.open(dir, { sweepIntervalMs: 0 });
    try {
      expect(request(wafWith(store, RATE_LIMIT), { at: T0 + 10 }).interruption?.status).toBe(429);
    } finally {
      await store.close();
    }
  });
});

describe('through two worker processes on one SecDataDir', () => {
  // The agent does not exist yet: each worker is a process running the library, as an agent worker would.
  const children: ChildProcess[] = [];
  const pending = new Map<number, (status: number) => void>();
  let nextId = 0;

  function startWorker(): Promise<ChildProcess> {
    const child = fork(path.join(__dirname, 'fixtures', 'waf-worker.js'), [dir, `SecRuleEngine On\n${RATE_LIMIT}`], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    child.on('message', (m: { id?: number; status?: number }) => {
      if (typeof m !== 'object' || m.id === undefined) return;
      pending.get(m.id)?.(m.status === 0 ? 200 : m.status!);
      pending.delete(m.id);
    });
    return new Promise((resolve, reject) => {
      child.once('message', () => resolve(child));
      child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
    });
  }

  function send(worker: ChildProcess, ip: string, at: number): Promise<number> {
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      worker.send({ id, ip, at });
    });
  }

  function stop(worker: ChildProcess): Promise<void> {
    return new Promise((resolve) => {
      worker.once('exit', () => resolve());
      worker.send('exit');
    });
  }

  afterEach(async () => {
    for (const c of children.splice(0)) {
      if (c.exitCode === null && c.signalCode === null) {
        const gone = new Promise((resolve) => c.once('exit', resolve));
        c.kill('SIGKILL');
        await gone;
      }
    }
  });

  it('denies the 11th request whichever worker gets it, and after a worker restart', async () => {
    const [a, b] = await Promise.all([startWorker(), startWorker()]);
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push(await send(i % 2 === 0 ? a! : b!, '198.51.100.1', T0 + i));
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 429]);
    expect(await send(b!, '198.51.100.1', T0 + 11)).toBe(429);
    expect(await send(a!, '198.51.100.9', T0 + 11)).toBe(200);

    await stop(a!);
    const restarted = await startWorker();
    expect(await send(restarted, '198.51.100.1', T0 + 12)).toBe(429);
    expect(await send(restarted, '198.51.100.1', T0 + 60)).toBe(200);
  }, 30000);

  it('counts every request exactly when both workers are hit at the same time', async () => {
    const [a, b] = await Promise.all([startWorker(), startWorker()]);
    // The first request creates the counter (rule 101 sets it to 0 when absent); two concurrent *first* requests
    // could both do that and reset each other, in Rampart as in ModSecurity, which is the rule's semantics, not a
    // lost update. After it, every increment is an atomic add.
    expect(await send(a!, '198.51.100.3', T0 + 1)).toBe(200);
    const sent = [];
    for (let i = 1; i < 40; i++) sent.push(send(i % 2 === 0 ? a! : b!, '198.51.100.3', T0 + 1));
    const statuses = await Promise.all(sent);
    // A request reads the counter at initcol and adds to it at the end, as in ModSecurity, so requests in
    // flight together may both see 10; the count itself never loses an increment.
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(9);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    await Promise.all([stop(a!), stop(b!)]);
    const store = LmdbCollectionStore.open(dir, { sweepIntervalMs: 0 });
    try {
      expect(store.read('IP', '198.51.100.3', T0 + 1)!.values.requests!.value).toBe('40');
    } finally {
      await store.close();
    }
  }, 30000);
});
