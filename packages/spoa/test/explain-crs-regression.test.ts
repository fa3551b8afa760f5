import * as path from 'node:path';
import { buildRequest, DEFAULT_CONNECTION, loadTests, parseHttpRequest, type ParsedHttpRequest } from '@rampart/conformance';
import { crsConfig } from '@rampart/rules-crs4';
import { explainRequest, explainWaf, parseExplainJson, type ExplainRecord, type HttpRequest } from '@rampart/tuning';
import { compileRules, ruleIdOfLine, RulesRunner, singleAppRules, type RequestInput } from '../src';
import { CRS_DIR } from './helpers/modsecurity-conf';

/**
 * Issue 19's "done when": `rampart explain` reproduces exactly the rule ids the agent logged for the same
 * request. CRS 4.28.0's regression requests (go-ftw stages, as the conformance suite builds their bytes) go
 * (a) to the agent's inspection code, as HAProxy would hand them over after an HTTP front end parsed them,
 * traced on demand and not; (b) to `rampart explain` (explainRequest, the code of the command). The ids of the
 * error-log lines the agent wrote must equal, in order, the ids explain's record shows as logged (read from
 * the trace events, not from the engine's list of matches), and the `rule_ids` it answered HAProxy the record's
 * rules that logged or interrupted in phases 1 and 2, for every request.
 *
 * Every STRIDE-th test of the suite runs (each rule file contributes), so that the suite stays at seconds;
 * RAMPART_EXPLAIN_STRIDE=1 runs all of them (minutes).
 */
const STRIDE = Number(process.env.RAMPART_EXPLAIN_STRIDE ?? 20);

function inputOf(req: ParsedHttpRequest, uniqueId: string, trace: boolean): RequestInput {
  const q = req.uri.indexOf('?');
  return {
    app: undefined,
    uniqueId,
    clientIp: req.connection.clientIp,
    clientPort: req.connection.clientPort,
    serverIp: req.connection.serverIp,
    serverPort: req.connection.serverPort,
    method: req.method,
    path: q === -1 ? req.uri : req.uri.slice(0, q),
    query: q === -1 ? undefined : req.uri.slice(q + 1),
    version: req.protocol.startsWith('HTTP/') ? req.protocol.slice(5) : req.protocol,
    headers: req.headers.map(([n, v]) => [n, v]),
    body: Buffer.from(req.body, 'latin1'),
    declaredBodySize: req.body.length,
    ...(trace ? { trace: true } : {}),
  };
}

/** The request as explain takes it (`HttpRequest`), from what the front end parsed. */
function requestOf(req: ParsedHttpRequest): HttpRequest {
  return { method: req.method, target: req.uri, protocol: req.protocol, headers: req.headers.map(([n, v]) => [n, v]), body: req.body, connection: { ...req.connection }, notes: [] };
}

/** The ids of the error-log lines (`[id "942100"]`), in order. */
function lineIds(lines: readonly string[]): number[] {
  return lines.map(ruleIdOfLine).filter((id) => id !== '-').map(Number);
}

/** The ids the record shows as matched and logged, read from its rules (phase by phase, in order). */
function shownLogged(record: ExplainRecord): number[] {
  // A multiMatch rule that logs writes one line per match.
  return record.phases.flatMap((p) => p.rules.filter((r) => r.matched && r.logged === true).flatMap((r) => Array<number>(r.messages ?? 1).fill(r.id)));
}

/** What the agent answers in `rule_ids` for the request phases: the chains that logged or interrupted. */
function shownAnswered(record: ExplainRecord): number[] {
  return record.phases.filter((p) => p.phase <= 2).flatMap((p) => p.rules.filter((r) => r.matched && (r.logged === true || r.interrupted === true)).flatMap((r) => Array<number>(r.messages ?? 1).fill(r.id)));
}

describe('explain against the agent on CRS regression requests', () => {
  it('shows exactly the rule ids the agent logged, request by request', async () => {
    const config = crsConfig({ profile: 'crs-ci', crsDir: CRS_DIR });
    const rules = compileRules(singleAppRules({ kind: 'directives', directives: config.directives, baseDir: config.baseDir, origin: 'crs-ci' }));
    const runner = new RulesRunner(rules);
    const waf = explainWaf({ directives: config.directives, baseDir: config.baseDir });
    const tests = loadTests(path.join(CRS_DIR, 'tests/regression/tests'));
    const chosen = tests.filter((_, i) => i % STRIDE === 0);
    const mismatches: string[] = [];
    let compared = 0;
    let withMatches = 0;
    let skipped = 0;
    try {
      for (const test of chosen) {
        for (const [i, stage] of test.stages.entries()) {
          const bytes = buildRequest(stage.input);
          const front = parseHttpRequest(bytes, DEFAULT_CONNECTION);
          // Refused by the front end (as httpd or HAProxy would answer 400 itself): the WAF never sees it.
          if (front.kind !== 'request') {
            skipped++;
            continue;
          }
          const id = `${test.id}-${i}`;
          const agent = await runner.inspectRequest(inputOf(front.request, id, false));
          const traced = await runner.inspectRequest(inputOf(front.request, `${id}-traced`, true));
          // Explain gets the request the agent got. (The raw bytes read by requestFromRaw instead differ from
          // this front end's reading for 3 of the 4,983 requests: a matter of the readers, not of the trace;
          // see the README of @rampart/tuning.)
          const record = await explainRequest(waf, requestOf(front.request));
          const agentRecord = parseExplainJson(traced.trace!);
          // The error log the agent wrote for the transaction (phases 1, 2 and 5).
          const logged = JSON.stringify(lineIds(agent.logLines));
          const views: Array<[string, number[], string]> = [
            ['agent traced: error log', lineIds(traced.logLines), logged],
            ["agent's trace record", agentRecord.verdict.loggedRuleIds, logged],
            ['explain', record.verdict.loggedRuleIds, logged],
            ["explain's rules", shownLogged(record), logged],
            // The `rule_ids` the agent answered HAProxy (phases 1 and 2, logged or interrupting).
            ["explain's rules: rule_ids", shownAnswered(record), JSON.stringify(agent.ruleIds)],
            ['agent traced: rule_ids', traced.ruleIds, JSON.stringify(agent.ruleIds)],
          ];
          for (const [name, ids, expected] of views) {
            if (JSON.stringify(ids) !== expected) mismatches.push(`${id}: ${name} ${JSON.stringify(ids)} != agent ${expected}`);
          }
          compared++;
          if (agent.logLines.length > 0) withMatches++;
        }
      }
    } finally {
      waf.close();
      await runner.close();
    }
    // Printed for the record (how many requests, how many with matches); the assertions follow.
    process.stdout.write(`explain vs agent: ${compared} CRS regression requests from ${chosen.length} of ${tests.length} tests compared, ${withMatches} with logged rules, ${skipped} refused by the front end\n`);
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(4800 / STRIDE);
    expect(withMatches).toBeGreaterThan(compared / 2);
  }, 3_600_000);
});
