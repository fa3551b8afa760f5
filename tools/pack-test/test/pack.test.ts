import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { deriveAppLockfile, type Tarball } from '../src/app-lockfile';

/**
 * What a user gets from the registry: every published package packed with `pnpm pack`, installed into a fresh
 * application outside the workspace (from the local pnpm store, offline, at the versions the workspace tested),
 * then used as the README says.
 */

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..', '..');
const CRS_DIR = path.resolve(ROOT, '..', 'shared', 'crs4');
/**
 * The application runs as under its own test suite (jest sets NODE_ENV=test): the installed parser must not turn
 * on its grammar self-checks there (on Node 20 they need Object.groupBy, which it lacks).
 */
const APP_ENV = { ...process.env, NODE_ENV: 'test', RAMPART_CRS_DIR: CRS_DIR };

interface WorkspacePackage {
  readonly dir: string;
  readonly manifest: { name: string; version: string; private?: boolean; engines?: Record<string, string>; bin?: unknown };
}

function publishedPackages(): WorkspacePackage[] {
  const dirs = [...readdirSync(path.join(ROOT, 'packages')).map((d) => path.join('packages', d)), 'rules-crs4', 'conformance'];
  return dirs
    .filter((dir) => existsSync(path.join(ROOT, dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8')) as WorkspacePackage['manifest'] }))
    .filter((p) => p.manifest.private !== true);
}

/** Runs `tasks` two at a time (the machine has two cores). */
async function inPairs<T>(tasks: Array<() => Promise<T>>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < tasks.length; i += 2) out.push(...(await Promise.all(tasks.slice(i, i + 2).map((t) => t()))));
  return out;
}

const SERVER_CJS = `// The README's start, as a newcomer writes it (CommonJS).
const express = require('express');
const { createWaf } = require('@rampart/waf');
const { expressWaf } = require('@rampart/http');
createWaf({ crs: { paranoia: 1 }, mode: 'block', errorLog: false }).then((waf) => {
  const app = express();
  app.use(expressWaf(waf));
  app.get('/', (req, res) => res.send('hello ' + req.waf.id));
  const server = app.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
});
`;

const SERVER_MJS = `// The same as an ES module, with Fastify.
import Fastify from 'fastify';
import { createWaf } from '@rampart/waf';
import { fastifyWaf } from '@rampart/http';
const app = Fastify();
await app.register(fastifyWaf, { waf: createWaf({ crs: { paranoia: 1 }, mode: 'block', errorLog: false }) });
app.get('/', async () => 'hello');
await app.listen({ port: 0, host: '127.0.0.1' });
console.log('listening ' + app.server.address().port);
`;

const ENTRIES_MJS = `// Each package through import and through require: the same names, the same objects.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const names = JSON.parse(process.argv[2]);
const out = {};
for (const name of names) {
  const esm = await import(name);
  const cjs = require(name);
  const esmKeys = Object.keys(esm).sort();
  const cjsKeys = Object.keys(cjs).filter((k) => k !== '__esModule').sort();
  out[name] = { exports: esmKeys.length, same: esmKeys.join() === cjsKeys.join() && esmKeys.every((k) => esm[k] === cjs[k]) };
}
console.log(JSON.stringify(out));
`;

const TYPES_MTS = `import { createWaf, type ManagedWaf } from '@rampart/waf';
import { expressWaf, fastifyWaf, type WafVerdict } from '@rampart/http';
import { createWaf as createEngineWaf, type Interruption } from '@rampart/engine';
import express from 'express';
import Fastify from 'fastify';
const waf: ManagedWaf = await createWaf({ crs: { paranoia: 2 }, mode: 'block' });
const app = express();
app.use(expressWaf(waf));
app.get('/', (req, res) => { const v: WafVerdict | undefined = req.waf; res.send(v?.id); });
await Fastify().register(fastifyWaf, { waf });
const it: Interruption | undefined = createEngineWaf({ directives: 'SecRuleEngine On' }).newTransaction().processRequestHeaders();
void it;
`;

const TYPES_CTS = `import { createWaf } from '@rampart/waf';
import { wafHandler } from '@rampart/http';
import http = require('node:http');
export async function start(): Promise<http.Server> {
  return http.createServer(wafHandler(await createWaf({ mode: 'detect' }), (_req, res) => res.end('ok')));
}
`;

const TSCONFIG = JSON.stringify({
  compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, types: ['node'] },
  files: ['types.mts', 'types.cts'],
});

function startServer(appDir: string, file: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { cwd: appDir, env: APP_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${file} did not start: ${out}`));
    }, 120_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with ${code}: ${out}`));
    });
  });
}

describe('the packed packages, installed into a fresh application', () => {
  let work: string;
  let appDir: string;
  const packages = publishedPackages();

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'rampart-pack-'));
    const tarballDir = path.join(work, 'tarballs');
    appDir = path.join(work, 'app');
    mkdirSync(tarballDir);
    mkdirSync(appDir);
    await inPairs(packages.map((p) => () => run('pnpm', ['pack', '--pack-destination', tarballDir], { cwd: path.join(ROOT, p.dir) })));
    const tarballs: Tarball[] = packages.map((p) => {
      const base = `${p.manifest.name.replace(/^@/, '').replace('/', '-')}-${p.manifest.version}.tgz`;
      return {
        name: p.manifest.name,
        version: p.manifest.version,
        importer: p.dir,
        file: `../tarballs/${base}`,
        absolutePath: path.join(tarballDir, base),
        ...(p.manifest.engines ? { engines: p.manifest.engines } : {}),
        hasBin: p.manifest.bin !== undefined,
      };
    });
    const thirdParty = [
      { name: 'express', from: 'packages/http' },
      { name: 'fastify', from: 'packages/http' },
      { name: '@types/express', from: 'packages/http' },
      { name: 'typescript', from: '.' },
      { name: '@types/node', from: '.' },
    ];
    const { lockfile, overrides, dependencies } = deriveAppLockfile(path.join(ROOT, 'pnpm-lock.yaml'), tarballs, thirdParty);
    writeFileSync(
      path.join(appDir, 'package.json'),
      JSON.stringify({ name: 'fresh-app', private: true, dependencies, pnpm: { overrides, onlyBuiltDependencies: ['re2', 'lmdb', 'msgpackr-extract'] } }, null, 2),
    );
    writeFileSync(path.join(appDir, 'pnpm-lock.yaml'), lockfile);
    writeFileSync(path.join(appDir, 'server.cjs'), SERVER_CJS);
    writeFileSync(path.join(appDir, 'server.mjs'), SERVER_MJS);
    writeFileSync(path.join(appDir, 'entries.mjs'), ENTRIES_MJS);
    writeFileSync(path.join(appDir, 'types.mts'), TYPES_MTS);
    writeFileSync(path.join(appDir, 'types.cts'), TYPES_CTS);
    writeFileSync(path.join(appDir, 'tsconfig.json'), TSCONFIG);
    // Offline: everything comes from the local pnpm store, at the versions of the lockfile.
    await run('pnpm', ['install', '--offline', '--frozen-lockfile', '--reporter=append-only'], {
      cwd: appDir,
      env: { ...process.env, npm_config_nodedir: process.env.npm_config_nodedir ?? '/usr' },
      maxBuffer: 16 * 1024 * 1024,
    });
  }, 600_000);

  afterAll(() => {
    if (work && !process.env.RAMPART_PACK_KEEP) rmSync(work, { recursive: true, force: true });
  });

  it('packs every published package with its README and LICENSE, and no workspace: ranges', async () => {
    expect(packages.map((p) => p.manifest.name)).toEqual(expect.arrayContaining(['@rampart/engine', '@rampart/http', '@rampart/waf', '@rampart/cli']));
    for (const p of packages) {
      const installed = path.join(appDir, 'node_modules', p.manifest.name);
      expect({ name: p.manifest.name, readme: existsSync(path.join(installed, 'README.md')), licence: existsSync(path.join(installed, 'LICENSE')) }).toEqual({
        name: p.manifest.name,
        readme: true,
        licence: true,
      });
      expect(readFileSync(path.join(installed, 'package.json'), 'utf8')).not.toContain('workspace:');
    }
  });

  it('loads every package through require() and import with the same exports', async () => {
    const names = packages.map((p) => p.manifest.name);
    const { stdout } = await run(process.execPath, ['entries.mjs', JSON.stringify(names)], { cwd: appDir, env: APP_ENV });
    const result = JSON.parse(stdout) as Record<string, { exports: number; same: boolean }>;
    for (const name of names) {
      expect({ name, same: result[name]?.same }).toEqual({ name, same: true });
      expect(result[name]!.exports).toBeGreaterThan(0);
    }
  }, 120_000);

  it.each([
    ['server.cjs', 'Express, CommonJS'],
    ['server.mjs', 'Fastify, ES module'],
  ])('%s (%s): the three-line start blocks an attack and passes a clean request', async (file) => {
    const { child, port } = await startServer(appDir, file);
    try {
      const clean = await fetch(`http://127.0.0.1:${port}/?q=shoes`);
      expect(clean.status).toBe(200);
      expect(await clean.text()).toMatch(/^hello/);
      const attack = await fetch(`http://127.0.0.1:${port}/?q=${encodeURIComponent("1' UNION SELECT password FROM users--")}`);
      expect(attack.status).toBe(403);
      expect(await attack.text()).toContain('Reference');
    } finally {
      child.kill();
    }
  }, 180_000);

  it('type-checks an ES module and a CommonJS consumer (module nodenext)', async () => {
    const tsc = path.join(appDir, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: appDir }).then(
      () => 'ok',
      (e: { stdout?: string }) => e.stdout ?? String(e),
    );
    expect(result).toBe('ok');
  }, 120_000);

  it('installs the rampart command', async () => {
    const bin = path.join(appDir, 'node_modules', '.bin', 'rampart');
    const { stdout } = await run(bin, ['--version'], { cwd: appDir, env: APP_ENV });
    expect(stdout).toMatch(/\d+\.\d+\.\d+/);
  }, 60_000);
});
