/**
 * Issue 9's rate-limit scenario through the agent with 2 inspection workers: rules that count requests per
 * client IP in IP collections stored under SecDataDir (LMDB, shared by the workers) deny the 11th request,
 * whichever worker inspects it, and the count survives an agent restart.
 *
 * Dispatch: without response checking the pool sends a NOTIFY to the least busy worker, the first one on a
 * tie, so NOTIFYs sent one at a time all land on worker 0. To make the client's requests alternate between
 * the workers while still being sent one after the other, each of them travels in one TCP write with a
 * NOTIFY from a filler IP: the first NOTIFY of the write takes worker 0, the second finds worker 0 busy and
 * takes worker 1. The in-process test records which worker got each request to prove it.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import pino from 'pino';
import { ENVIRONMENT_DIRECTORY } from '@rampart/collections-lmdb';
import { FrameType, decodeActions, encodeNotify, spopValue, type SpopAction, type SpopMessage } from '@rampart/spop';
import { singleAppRules, SpoaAgent, type RulesConfig } from '../src';
import { spawnRampartSpoa, type AgentProcess } from './helpers/cli-process';
import { freePort } from './helpers/net';
import { checkRequest, SpopClient, varsOf } from './helpers/spop-client';

const RATE_LIMIT = `SecAction "id:100,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
SecRule &IP:requests "@eq 0" "id:101,phase:1,pass,nolog,setvar:ip.requests=0,expirevar:ip.requests=60"
SecAction "id:102,phase:1,pass,nolog,setvar:ip.requests=+1"
SecRule IP:requests "@gt 10" "id:103,phase:1,deny,status:429,log,msg:'Too many requests from %{REMOTE_ADDR}'"`;

const CLIENT = '198.51.100.7';
const OTHER = '198.51.100.8';

function directives(dataDir: string): string {
  return `SecRuleEngine On\nSecDataDir ${dataDir}\n${RATE_LIMIT}\n`;
}

/** A check-request (FireBurn's 12 args) from `ip`: the helper's message with its `src` replaced. */
function requestFrom(ip: string, uniqueId: string): SpopMessage {
  const m = checkRequest({ uniqueId, path: '/api/items' });
  return { ...m, args: m.args.map((a, i) => (i === 1 ? { name: '', value: spopValue.ipv4(ip) } : a)) };
}

/** Stream ids far from SpopClient.notify's (which counts from 0), so both can share a connection. */
let nextStream = 100_000;

/**
 * Sends several NOTIFYs in ONE write, so the agent dispatches them in one pass over its input (the first
 * before the second is answered), and returns the variables of each ACK in order.
 */
async function notifyTogether(client: SpopClient, requests: SpopMessage[], ms = 10_000): Promise<Array<Record<string, string | number | boolean>>> {
  const sids = requests.map(() => nextStream++);
  client.socket.write(Buffer.concat(requests.map((m, i) => encodeNotify(sids[i]!, 1, [m]))));
  const deadline = Date.now() + ms;
  const out: SpopAction[][] = [];
  for (const sid of sids) {
    for (;;) {
      const f = client.frames.find((x) => x.type === FrameType.Ack && x.streamId === sid);
      if (f) {
        out.push(decodeActions(f.payload));
        break;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the ACK of stream ${sid}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  return out.map(varsOf);
}

/**
 * Request `i` of CLIENT, paired with a filler IP's: even `i` first in the write (worker 0), odd `i` second
 * (worker 1). Returns CLIENT's answer and checks that the filler passed.
 */
async function clientRequest(client: SpopClient, i: number, run: string): Promise<Record<string, string | number | boolean>> {
  const mine = requestFrom(CLIENT, `${run}-client-${i}`);
  const filler = requestFrom(`203.0.113.${i + 1}`, `${run}-filler-${i}`);
  const [a, b] = await notifyTogether(client, i % 2 === 0 ? [mine, filler] : [filler, mine]);
  const [answer, fill] = i % 2 === 0 ? [a!, b!] : [b!, a!];
  expect(fill).toMatchObject({ code: 0 });
  return answer;
}

function lmdbFiles(dataDir: string): string[] {
  const env = path.join(dataDir, ENVIRONMENT_DIRECTORY);
  return existsSync(env) ? readdirSync(env).sort() : [];
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'spoa-rate-limit-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('rate limit through SpoaAgent with 2 workers on one SecDataDir', () => {
  const agents: SpoaAgent[] = [];
  const clients: SpopClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await Promise.all(agents.splice(0).map((a) => a.close()));
  });

  /** Which worker (0 or 1) each request inspection was posted to, with its client IP. */
  interface Posted {
    worker: number;
    ip: string;
    id: string;
  }

  async function start(rules: RulesConfig, errorLines: string[]): Promise<{ agent: SpoaAgent; client: SpopClient; posted: Posted[] }> {
    const agent = await SpoaAgent.start({ rules, workers: 2, port: 0, logger: pino({ level: 'silent' }), errorLog: (l) => errorLines.push(l) });
    agents.push(agent);
    await agent.ready;
    // The pool's workers are private: wrap their postMessage to see where each inspection goes.
    const pool = (agent as unknown as { current: { slots: Array<{ worker: Worker }> } }).current;
    expect(pool.slots).toHaveLength(2);
    const posted: Posted[] = [];
    pool.slots.forEach((slot, index) => {
      const w = slot.worker;
      const post = w.postMessage.bind(w);
      w.postMessage = (m: unknown, transfer?: never) => {
        const msg = m as { t?: string; input?: { clientIp?: string; uniqueId?: string } };
        if (msg.t === 'request') posted.push({ worker: index, ip: msg.input?.clientIp ?? '', id: msg.input?.uniqueId ?? '' });
        post(m, transfer);
      };
    });
    const client = await SpopClient.connect(agent.address.port);
    clients.push(client);
    await client.hello();
    return { agent, client, posted };
  }

  it('denies the 11th and 12th request of an IP with 429 by rule 103 whichever worker gets them, and keeps the count across a restart', async () => {
    const rules = singleAppRules({ kind: 'directives', directives: directives(dir), baseDir: dir, origin: 'rate-limit test' });
    const errorLines: string[] = [];
    const first = await start(rules, errorLines);

    const answers = [];
    for (let i = 0; i < 12; i++) answers.push(await clientRequest(first.client, i, 'a'));
    expect(answers.map((v) => v.code)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 429, 429]);
    for (const v of answers.slice(10)) expect(v).toMatchObject({ code: 429, status: 429, action: 'deny', ruleid: 103 });
    for (const v of answers.slice(0, 10)) expect(v.ruleid).toBeUndefined();
    // Both workers counted: the client's requests alternated between them.
    expect(first.posted.filter((p) => p.ip === CLIENT).map((p) => p.worker)).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    expect(errorLines.some((l) => l.includes('[id "103"]') && l.includes(`Too many requests from ${CLIENT}`))).toBe(true);

    // Another client is not limited, on either worker.
    const [other0, other1] = await notifyTogether(first.client, [requestFrom(OTHER, 'a-other-0'), requestFrom(OTHER, 'a-other-1')]);
    expect(other0).toMatchObject({ code: 0 });
    expect(other1).toMatchObject({ code: 0 });
    expect(first.posted.filter((p) => p.ip === OTHER).map((p) => p.worker)).toEqual([0, 1]);

    expect(lmdbFiles(dir)).toEqual(expect.arrayContaining(['data.mdb']));

    // Stop (the workers close the LMDB environment), start again on the same SecDataDir.
    first.client.close();
    await first.agent.close();
    expect(first.agent.state).toBe('stopped');
    const second = await start(rules, errorLines);
    const again = [await clientRequest(second.client, 12, 'b'), await clientRequest(second.client, 13, 'b')];
    expect(again).toEqual([expect.objectContaining({ code: 429, ruleid: 103 }), expect.objectContaining({ code: 429, ruleid: 103 })]);
    expect(second.posted.filter((p) => p.ip === CLIENT).map((p) => p.worker)).toEqual([0, 1]);
    expect((await notifyTogether(second.client, [requestFrom(OTHER, 'b-other')]))[0]).toMatchObject({ code: 0 });
  }, 60_000);

  it('with response checking (dispatch by transaction id), counts a passed request when its response ends the transaction', async () => {
    const rules = singleAppRules({ kind: 'directives', directives: directives(dir), baseDir: dir, origin: 'rate-limit test' }, { responseCheck: true });
    const errorLines: string[] = [];
    const { client, posted } = await start(rules, errorLines);
    const responseTo = (id: string): SpopMessage => ({
      name: 'check-response',
      args: [spopValue.string(id), spopValue.int64(200), spopValue.string('1.1'), spopValue.binary(Buffer.from([0, 0])), spopValue.binary(Buffer.alloc(0))].map((value) => ({ name: '', value })),
    });
    const codes = [];
    for (let i = 0; i < 12; i++) {
      const id = `rc-${i}`;
      const v = varsOf(await client.notify([requestFrom(CLIENT, id)]));
      codes.push(v.code);
      // A passed transaction writes its collections at its end (phase 5), which the response message brings.
      if (v.code === 0) expect(varsOf(await client.notify([responseTo(id)]))).toMatchObject({ code: 0, id });
      else expect(v).toMatchObject({ code: 429, ruleid: 103, id });
    }
    expect(codes).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 429, 429]);
    // Ids spread over both workers (FNV-1a of the id), so both of them counted.
    expect(new Set(posted.filter((p) => p.ip === CLIENT).map((p) => p.worker))).toEqual(new Set([0, 1]));
    expect(varsOf(await client.notify([requestFrom(OTHER, 'rc-other')]))).toMatchObject({ code: 0 });
  }, 60_000);
});

describe('rate limit through `rampart spoa -n 2` (a real process) on one SecDataDir', () => {
  let agent: AgentProcess | undefined;
  let client: SpopClient | undefined;
  afterEach(async () => {
    client?.close();
    client = undefined;
    await agent?.stop('SIGKILL');
    agent = undefined;
  });

  async function startAgent(conf: string, port: number): Promise<void> {
    agent = spawnRampartSpoa(['-f', conf, '-p', String(port), '-n', '2'], dir);
    const ready = await agent.waitFor((r) => typeof r.msg === 'string' && r.msg.startsWith('ready:'), 30_000, 'the rules to load');
    expect(ready).toMatchObject({ rules: 4, workers: 2 });
    client = await SpopClient.connect(port);
    await client.hello();
  }

  it('denies the 11th request with 429 by rule 103, lets another IP in, and still denies after SIGTERM and a new start', async () => {
    const data = path.join(dir, 'data');
    const conf = path.join(dir, 'modsecurity.conf');
    writeFileSync(conf, directives(data));
    const port = await freePort();
    await startAgent(conf, port);

    const answers = [];
    for (let i = 0; i < 12; i++) answers.push(await clientRequest(client!, i, 'p'));
    expect(answers.map((v) => v.code)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 429, 429]);
    for (const v of answers.slice(10)) expect(v).toMatchObject({ code: 429, status: 429, action: 'deny', ruleid: 103 });
    expect((await notifyTogether(client!, [requestFrom(OTHER, 'p-other')]))[0]).toMatchObject({ code: 0 });
    expect(agent!.records().filter((r) => r.ruleId === 103 && r.code === 429)).toHaveLength(2);
    expect(agent!.stderr()).toContain(`Too many requests from ${CLIENT}`);
    expect(lmdbFiles(data)).toEqual(expect.arrayContaining(['data.mdb']));

    client!.close();
    client = undefined;
    expect(await agent!.stop('SIGTERM')).toBe(0);
    agent = undefined;

    await startAgent(conf, port);
    expect(await clientRequest(client!, 12, 'q')).toMatchObject({ code: 429, ruleid: 103 });
    expect(await clientRequest(client!, 13, 'q')).toMatchObject({ code: 429, ruleid: 103 });
    expect((await notifyTogether(client!, [requestFrom(OTHER, 'q-other')]))[0]).toMatchObject({ code: 0 });
  }, 90_000);
});
