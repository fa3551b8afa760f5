import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { spopValue, type SpopMessage } from '@rampart/spop';
import { parseExplainJson, type ExplainRecord } from '@rampart/tuning';
import { parseNotify, singleAppRules, SpoaAgent, type RulesConfig, type SpoaAgentOptions } from '../src';
import { checkRequest, SpopClient, varsOf } from './helpers/spop-client';

const RULES = (responseCheck = false): RulesConfig =>
  singleAppRules(
    {
      kind: 'directives',
      directives: `SecRuleEngine On
SecResponseBodyAccess On
SecResponseBodyMimeType text/plain
SecRule REQUEST_HEADERS:User-Agent "@contains bot" "id:2001,phase:1,pass,log,msg:'bot',t:lowercase"
SecRule ARGS "@contains attack" "id:2002,phase:2,deny,status:403,log,msg:'attack'"
SecRule RESPONSE_BODY "@contains leak" "id:2003,phase:4,deny,log,msg:'leak'"`,
      baseDir: __dirname,
      origin: 'test',
    },
    { responseCheck },
  );

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-trace-'));
let n = 0;
const agents: SpoaAgent[] = [];
const clients: SpopClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(agents.splice(0).map((a) => a.close()));
});

function silent(): pino.Logger {
  return pino({ level: 'warn' }, new Writable({ write: (_c, _e, cb) => cb() }));
}

async function start(o: Partial<SpoaAgentOptions> = {}): Promise<{ client: SpopClient; traceLog: string; records: () => ExplainRecord[] }> {
  const traceLog = path.join(dir, `trace-${n++}.log`);
  const agent = await SpoaAgent.start({ rules: RULES(), port: 0, workers: 0, logger: silent(), errorLog: () => undefined, traceLog, ...o });
  agents.push(agent);
  await agent.ready;
  const client = await SpopClient.connect(agent.address.port);
  clients.push(client);
  await client.hello();
  const records = (): ExplainRecord[] => (fs.existsSync(traceLog) ? fs.readFileSync(traceLog, 'latin1').split('\n').filter(Boolean).map(parseExplainJson) : []);
  return { client, traceLog, records };
}

/** check-request with the `trace` argument HAProxy adds (`trace=var(txn.rampart_trace)`). */
function withTrace(m: SpopMessage, value = spopValue.bool(true)): SpopMessage {
  return { ...m, args: [...m.args, { name: 'trace', value }] };
}

const logged = (r: ExplainRecord): number[] => r.verdict.loggedRuleIds;

describe('parseNotify: the trace argument', () => {
  it('is read by name and not counted among check-request positional args', () => {
    const traced = parseNotify([withTrace(checkRequest({ uniqueId: 'a' }))]);
    expect(traced.problems).toEqual([]);
    expect(traced.request?.input).toMatchObject({ uniqueId: 'a', method: 'GET', trace: true });
    expect(parseNotify([withTrace(checkRequest({}), spopValue.int32(1))]).request?.input.trace).toBe(true);
    // An unset variable arrives as NULL; false and 0 do not trace either.
    for (const value of [spopValue.null(), spopValue.bool(false), spopValue.int32(0)]) expect(parseNotify([withTrace(checkRequest({}), value)]).request?.input.trace).toBeUndefined();
    expect(parseNotify([checkRequest({})]).request?.input.trace).toBeUndefined();
  });

  it('is a named argument of coraza-req', () => {
    const msg: SpopMessage = {
      name: 'coraza-req',
      args: [
        { name: 'app', value: spopValue.string('') },
        { name: 'method', value: spopValue.string('GET') },
        { name: 'path', value: spopValue.string('/') },
        { name: 'trace', value: spopValue.bool(true) },
      ],
    };
    expect(parseNotify([msg]).request?.input.trace).toBe(true);
  });
});

describe('tracing on demand', () => {
  it('writes the explain record of a transaction whose message has trace=true, and of no other', async () => {
    const { client, records } = await start();
    const req = { uniqueId: 't-1', query: 'q=an+attack', headers: [['host', 'shop'], ['user-agent', 'GoodBot/1']] as Array<[string, string]> };
    const vars = varsOf(await client.notify([withTrace(checkRequest(req))]));
    expect(vars).toMatchObject({ code: 403, ruleid: 2002, rule_ids: '2001,2002' });
    varsOf(await client.notify([checkRequest({ ...req, uniqueId: 't-2' })]));
    const all = records();
    expect(all).toHaveLength(1);
    const r = all[0]!;
    expect(r.id).toBe('t-1');
    expect(r.request).toMatchObject({ method: 'GET', target: '/?q=an+attack', protocol: 'HTTP/1.1', clientIp: '127.0.0.1', clientPort: 40000 });
    // The same rule ids as the agent answered and logged.
    expect(logged(r)).toEqual([2001, 2002]);
    expect(r.verdict).toMatchObject({ interrupted: true, status: 403, ruleId: 2002, phase: 2 });
    const ua = r.phases[0]!.rules.find((x) => x.id === 2001)!.steps[0]!.values[0]!;
    expect(ua).toMatchObject({ variable: 'REQUEST_HEADERS:user-agent', raw: 'GoodBot/1', value: 'goodbot/1', transformations: [{ name: 't:lowercase', value: 'goodbot/1' }], spans: [4, 3] });
  });

  it('without a trace log, traces nothing whatever the message asks', async () => {
    const { client, traceLog } = await start({ traceLog: undefined });
    expect(varsOf(await client.notify([withTrace(checkRequest({ query: 'q=attack' }))]))).toMatchObject({ code: 403 });
    expect(fs.existsSync(traceLog)).toBe(false);
  });

  it('traces a request carrying the --trace-header header, and ignores that header when none is configured', async () => {
    const headers: Array<[string, string]> = [['host', 'shop'], ['x-rampart-trace', '1']];
    const configured = await start({ traceHeader: 'X-Rampart-Trace' });
    await configured.client.notify([checkRequest({ uniqueId: 'h-1', headers })]);
    await configured.client.notify([checkRequest({ uniqueId: 'h-2', headers: [['host', 'shop'], ['x-rampart-trace', '0']] })]);
    expect(configured.records().map((r) => r.id)).toEqual(['h-1']);
    const unconfigured = await start();
    await unconfigured.client.notify([checkRequest({ uniqueId: 'h-3', headers })]);
    expect(unconfigured.records()).toEqual([]);
  });

  it('traces at most --trace-rate transactions per second', async () => {
    const { client, records } = await start({ traceRate: 2 });
    const first = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 12; i++) await client.notify([withTrace(checkRequest({ uniqueId: `r-${i}` }))]);
    // Two per clock second the requests spanned, however slow the machine.
    const seconds = Math.floor(Date.now() / 1000) - first + 1;
    expect(records().length).toBeGreaterThanOrEqual(2);
    expect(records().length).toBeLessThanOrEqual(Math.min(12, 2 * seconds));
  });

  it('with response checking, writes the record once the response phases ran, from a worker thread too', async () => {
    const { client, records } = await start({ rules: RULES(true), workers: 1 });
    const req = varsOf(await client.notify([withTrace(checkRequest({ uniqueId: 'w-1', query: 'page=1' }))]));
    expect(req).toMatchObject({ code: 0, id: 'w-1' });
    expect(records()).toEqual([]);
    const hdrs = Buffer.concat([Buffer.from([12]), Buffer.from('content-type'), Buffer.from([10]), Buffer.from('text/plain'), Buffer.from([0, 0])]);
    const res = varsOf(
      await client.notify([
        {
          name: 'check-response',
          args: [spopValue.string('w-1'), spopValue.int32(200), spopValue.string('1.1'), spopValue.binary(hdrs), spopValue.binary(Buffer.from('a leak here'))].map((value) => ({ name: '', value })),
        },
      ]),
    );
    expect(res).toMatchObject({ code: 403, ruleid: 2003 });
    const all = records();
    expect(all).toHaveLength(1);
    expect(all[0]!.phases.map((p) => p.phase)).toEqual([1, 2, 3, 4, 5]);
    expect(logged(all[0]!)).toEqual([2003]);
  }, 60_000);
});

describe('rampart spoa --trace-log', () => {
  type Io = { stdout(t: string): void; stderr(t: string): void; cwd: string };
  const { main } = require(path.resolve(__dirname, '../../cli/src')) as { main(argv: readonly string[], io: Io): Promise<number> };
  async function cli(...argv: string[]): Promise<{ code: number; stderr: string }> {
    let stderr = '';
    const code = await main(['spoa', ...argv], { stdout: () => undefined, stderr: (t) => void (stderr += t), cwd: dir });
    return { code, stderr };
  }

  it('refuses a trace header or rate without a trace log, a bad header name, and a log it cannot open', async () => {
    expect(await cli('--trace-header', 'X-Trace')).toMatchObject({ code: 2, stderr: expect.stringMatching(/--trace-header needs --trace-log/) });
    expect(await cli('--trace-rate', '5')).toMatchObject({ code: 2, stderr: expect.stringMatching(/--trace-rate needs --trace-log/) });
    expect(await cli('--trace-log', 'trace.log', '--trace-header', 'X Trace')).toMatchObject({ code: 2, stderr: expect.stringMatching(/--trace-header: 'X Trace' is not a header name/) });
    expect(await cli('--trace-log', path.join(dir, 'no/such/dir/trace.log'))).toMatchObject({ code: 2, stderr: expect.stringMatching(/--trace-log: cannot open .*ENOENT/) });
  });
});
