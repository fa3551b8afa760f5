/**
 * The compile memo in the agent: the first worker of a load compiles through it, the others take what it built
 * (they build nothing), and with --cache-dir a memo file carries it to the next start. Small rules, so that it
 * runs in seconds; the figures for CRS are in bench/start-memory.js.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { CompileMemo } from '@rampart/engine';
import { singleAppRules, SpoaAgent, WorkerPool, type RequestInput, type RulesConfig } from '../src';
import { CompileCache, MEMO_FILE_NAME } from '../src/compile-cache';
import { checkRequest, SpopClient, varsOf } from './helpers/spop-client';

// Patterns the prefilter takes (required literals), and a phrase list: structures the memo keeps.
const RULES = (): RulesConfig =>
  singleAppRules({
    kind: 'directives',
    directives: [
      'SecRuleEngine On',
      'SecRule ARGS "@rx (?i)union[\\s(]+select" "id:1,phase:2,deny,status:403"',
      'SecRule ARGS "@rx <script[^>]*>" "id:2,phase:2,deny,status:403"',
      'SecRule ARGS "@pm passwd shadow hosts" "id:3,phase:2,deny,status:406"',
    ].join('\n'),
    baseDir: __dirname,
    origin: 'test',
  });

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spoa-cache-'));
  fs.chmodSync(dir, 0o700);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function capture(): { logger: pino.Logger; messages: () => string[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { logger: pino({ level: 'info' }, stream), messages: () => text.split('\n').filter(Boolean).map((l) => String((JSON.parse(l) as { msg: string }).msg)) };
}

describe('WorkerPool and the compile memo', () => {
  it('has the first worker build the structures and the others take them', async () => {
    const pool = new WorkerPool({ rules: RULES(), workers: 3 });
    try {
      await pool.ready;
      expect(pool.memoBuilt).toBeGreaterThan(0);
      expect(pool.memoBuiltByWorker).toEqual([pool.memoBuilt, 0, 0]);
      expect(pool.memoEntries.length).toBeGreaterThan(0);
      // The arrays travel as SharedArrayBuffers: one copy for every worker.
      expect(pool.memoEntries.some((e) => Object.values(e.value.arrays).some((a) => Object.prototype.toString.call(a.buffer) === '[object SharedArrayBuffer]'))).toBe(true);
      // Every worker answers with the rules the memo gave it.
      for (let i = 0; i < 6; i++) {
        const v = await pool.inspectRequest({ ...requestInput(), query: i % 2 === 0 ? 'q=union%20select' : 'q=%2Fetc%2Fpasswd' });
        expect(v.code).toBe(i % 2 === 0 ? 403 : 406);
      }
    } finally {
      await pool.close();
    }
  });

  it('starts from entries given to it: a later pool of the same rules builds nothing', async () => {
    const first = new WorkerPool({ rules: RULES(), workers: 1 });
    await first.ready;
    await first.close();
    const again = new WorkerPool({ rules: RULES(), workers: 2, memo: first.memoEntries });
    try {
      await again.ready;
      expect(again.memoBuiltByWorker).toEqual([0, 0]);
      expect((await again.inspectRequest({ ...requestInput(), query: 'a=%3Cscript%3E' })).code).toBe(403);
    } finally {
      await again.close();
    }
  });
});

describe('CompileCache', () => {
  const sample = (): CompileMemo => {
    const memo = new CompileMemo();
    memo.remember('k', 'input', () => ({ arrays: { a: Int32Array.from([1, 2, 3]) }, numbers: {} }));
    return memo;
  };
  const quiet = () => {
    const warnings: string[] = [];
    return { log: { info: () => undefined, warn: (_f: object, m: string) => warnings.push(m) }, warnings };
  };

  it('creates the directory 0700, writes the memo file 0600 after a load that built something, and reads it at the next start', () => {
    const cacheDir = path.join(dir, 'cache');
    const { log, warnings } = quiet();
    const cache = new CompileCache(cacheDir, log);
    expect(cache.seed()).toEqual([]);
    expect(fs.statSync(cacheDir).mode & 0o777).toBe(0o700);
    cache.loaded([...sample().entries()], 0);
    expect(fs.existsSync(path.join(cacheDir, MEMO_FILE_NAME))).toBe(false);
    cache.loaded([...sample().entries()], 1);
    expect(fs.statSync(path.join(cacheDir, MEMO_FILE_NAME)).mode & 0o777).toBe(0o600);
    const seeded = new CompileCache(cacheDir, log).seed();
    expect(seeded.map((e) => [e.kind, Array.from(e.value.arrays.a!)])).toEqual([['k', [1, 2, 3]]]);
    expect(warnings).toEqual([]);
  });

  it('ignores a tampered memo file, or one in a directory others can write, saying why', () => {
    const { log, warnings } = quiet();
    new CompileCache(dir, log).loaded([...sample().entries()], 1);
    const file = path.join(dir, MEMO_FILE_NAME);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    fs.writeFileSync(file, bytes);
    expect(new CompileCache(dir, log).seed()).toEqual([]);
    expect(warnings.pop()).toMatch(/damaged \(checksum mismatch\)/);
    new CompileCache(dir, log).loaded([...sample().entries()], 1);
    fs.chmodSync(dir, 0o777);
    expect(new CompileCache(dir, log).seed()).toEqual([]);
    expect(warnings.pop()).toMatch(/writable by group or others/);
  });
});

describe('SpoaAgent with a cache directory', () => {
  it('writes the memo on the first start, and the next start takes everything from it', async () => {
    const cacheDir = path.join(dir, 'cache');
    const run = async (): Promise<string[]> => {
      const { logger, messages } = capture();
      const agent = await SpoaAgent.start({ rules: RULES(), workers: 2, port: 0, logger, errorLog: () => undefined, cacheDir });
      const client = await SpopClient.connect(agent.address.port);
      try {
        await agent.ready;
        await client.hello();
        expect(varsOf(await client.notify([checkRequest({ query: 'q=UNION(SELECT' })]))).toMatchObject({ code: 403 });
        expect(varsOf(await client.notify([checkRequest({ query: 'f=%2Fetc%2Fshadow' })]))).toMatchObject({ code: 406 });
      } finally {
        client.close();
        await agent.close();
      }
      return messages();
    };
    const first = await run();
    expect(first).toContain('compile memo written');
    expect(fs.existsSync(path.join(cacheDir, MEMO_FILE_NAME))).toBe(true);
    const second = await run();
    expect(second).toContain('compile memo read');
    // Nothing was built, so nothing is written again.
    expect(second).not.toContain('compile memo written');
  });
});

function requestInput(): RequestInput {
  return { app: undefined, uniqueId: '', clientIp: '127.0.0.1', clientPort: 40000, serverIp: '127.0.0.1', serverPort: 80, method: 'GET', path: '/', query: '', version: '1.1', headers: [], body: undefined, declaredBodySize: undefined };
}
