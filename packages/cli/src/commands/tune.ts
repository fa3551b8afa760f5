import * as fs from 'node:fs';
import * as path from 'node:path';
import { AuditLogReadError, IdRangeError, renderRuleFile, tuneAuditLogs, type TuneResult } from '@rampart/tuning';
import { parseArgs } from '../args';
import { EXIT_FATAL, EXIT_OK, UsageError } from '../io';
import type { CliIo } from '../io';
import { progressBar, wantProgress } from '../progress-bar';
import type { Command } from './types';

const help = `Usage: rampart tune [options] LOG...

Reads audit logs, finds the rule matches that repeat on benign traffic, and writes CRS-style exclusions for
them: a rule file to load before the CRS rules. LOG is a Serial audit log (ModSecurity's Native format in
libmodsecurity v3's or v2's layout, or JSON; gzip-compressed or not), or a directory (a Concurrent log's
storage: every file under it). A false positive is a match of one rule on one variable of one path, seen in
enough transactions from enough clients; matches from few clients, from one client mostly, or where
libinjection found an attack are left out. Exclusions come narrowest first (a path, paths that differ by an id,
every path), each with the number of transactions it lets through and a warning when it would let through
clients that also send attacks.

Options:
  -o, --output FILE          write the rule file to FILE (default: standard output)
      --ids FROM-TO          rule ids for the exclusion rules (default 10000-19999)
      --min-transactions N   a false positive is seen in at least N transactions (default 5)
      --min-clients N        ...from at least N client addresses (default 5)
      --site-wide-paths N    a rule and variable excluded on N paths become one site-wide exclusion (default 5)
      --paranoia N           CRS's blocking paranoia level (default: found from the log's 949110 totals)
      --threshold N          CRS's inbound anomaly score threshold (default: found from the log, else 5)
      --progress             draw the progress bar even when stderr is not a terminal
      --no-progress          never draw it
      --json                 print the proposal as JSON instead of the rule file
  -h, --help                 show this help

Exit codes: 0 done, 2 usage error or unreadable log.
`;

function positiveInt(v: string | true | undefined, name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) throw new UsageError(`--${name} takes a whole number from 1 to ${max}`);
  return Number(v);
}

function idRange(v: string | true | undefined): { firstId: number; lastId: number } {
  if (v === undefined) return { firstId: 10000, lastId: 19999 };
  const m = typeof v === 'string' ? /^(\d+)-(\d+)$/.exec(v) : null;
  if (!m || Number(m[1]) < 1 || Number(m[2]) < Number(m[1])) throw new UsageError('--ids takes a range FROM-TO, e.g. 10000-10999');
  return { firstId: Number(m[1]), lastId: Number(m[2]) };
}

const count = (n: number): string => n.toLocaleString('en-US');

function summary(r: TuneResult, seconds: number): string {
  const c = r.calibration;
  const p = r.proposal;
  const warned = p.exclusions.filter((e) => e.hiddenAttacks.count > 0).length;
  const lines = [
    `rampart tune: ${count(r.transactions)} transactions read from ${r.files.length} file(s) in ${seconds.toFixed(1)} s; ${count(r.withMatches)} with rule matches${r.problems > 0 ? `; ${count(r.problems)} unreadable record(s) skipped` : ''}`,
    `  CRS model: paranoia level ${c.model.blockingParanoia} (${c.sources.paranoia}), inbound threshold ${c.model.inboundThreshold} (${c.sources.inboundThreshold}); it reproduces the log's verdict for ${count(c.agreed)} of ${count(c.checked)}`,
    `  blocked: ${count(p.blockedBefore)} before, ${count(p.blockedAfter)} with the ${count(p.exclusions.length)} proposed exclusion(s)${warned > 0 ? `; ${warned} of them with a WARNING (see the file)` : ''}`,
  ];
  const rare = p.rare.slice(0, 10);
  if (rare.length > 0) {
    lines.push('  not proposed (the largest groups):');
    for (const g of rare) lines.push(`    ${g.ruleId} on ${g.target ?? '(no variable)'} at ${g.path}: ${count(g.transactions)} transactions, ${count(g.clients)} clients — ${g.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { options, positionals } = parseArgs(argv, [
    { name: 'output', short: 'o', takesValue: true },
    { name: 'ids', takesValue: true },
    { name: 'min-transactions', takesValue: true },
    { name: 'min-clients', takesValue: true },
    { name: 'site-wide-paths', takesValue: true },
    { name: 'paranoia', takesValue: true },
    { name: 'threshold', takesValue: true },
    { name: 'progress', takesValue: false },
    { name: 'no-progress', takesValue: false },
    { name: 'json', takesValue: false },
    { name: 'help', short: 'h', takesValue: false },
  ]);
  if (options.has('help')) {
    io.stdout(help);
    return EXIT_OK;
  }
  if (positionals.length === 0) throw new UsageError('name at least one audit log');
  const ids = idRange(options.get('ids'));
  const minTransactions = positiveInt(options.get('min-transactions'), 'min-transactions');
  const minClients = positiveInt(options.get('min-clients'), 'min-clients');
  const siteWidePaths = positiveInt(options.get('site-wide-paths'), 'site-wide-paths');
  const paranoia = positiveInt(options.get('paranoia'), 'paranoia', 4);
  const threshold = positiveInt(options.get('threshold'), 'threshold');
  const bar = progressBar(io, 'tune', wantProgress(io, options));
  const started = performance.now();
  let total = 0;
  let result: TuneResult;
  try {
    result = await tuneAuditLogs(
      positionals.map((p) => path.resolve(io.cwd, p)),
      {
        ...(minTransactions !== undefined ? { minTransactions } : {}),
        ...(minClients !== undefined ? { minClients } : {}),
        ...(siteWidePaths !== undefined ? { siteWidePaths } : {}),
        ...(paranoia !== undefined ? { paranoia } : {}),
        ...(threshold !== undefined ? { inboundThreshold: threshold } : {}),
        onProgress: (p) => {
          total = p.totalBytes;
          bar.update({ done: p.bytesRead, total: p.totalBytes, detail: `${count(p.records)} transactions` });
        },
      },
    );
  } catch (e) {
    bar.stop();
    if (e instanceof AuditLogReadError) {
      io.stderr(`rampart tune: ${e.message}\n`);
      return EXIT_FATAL;
    }
    throw e;
  }
  bar.update({ done: total, total, detail: `${count(result.transactions)} transactions` });
  bar.stop();
  const seconds = (performance.now() - started) / 1000;
  let text: string;
  if (options.has('json')) {
    const { calibration, proposal, transactions, withMatches, problems, files } = result;
    text = `${JSON.stringify({ files, transactions, withMatches, problems, seconds, calibration, exclusions: proposal.exclusions, blockedBefore: proposal.blockedBefore, blockedAfter: proposal.blockedAfter, notProposed: proposal.rare }, null, 2)}\n`;
  } else {
    try {
      text = renderRuleFile(result.proposal.exclusions, {
        ...ids,
        header: [
          `Exclusions proposed by rampart tune on ${new Date().toISOString().slice(0, 10)} from ${result.files.length} audit log file(s):`,
          ...result.files.slice(0, 10).map((f) => `  ${f}`),
          ...(result.files.length > 10 ? [`  ... and ${result.files.length - 10} more`] : []),
          `${count(result.transactions)} transactions, ${count(result.proposal.blockedBefore)} blocked by CRS (paranoia level ${result.calibration.model.blockingParanoia}, inbound threshold ${result.calibration.model.inboundThreshold}); ${count(result.proposal.blockedAfter)} with this file.`,
          '',
          'Load this file before the CRS rules (where REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf goes), after reading',
          'each exclusion: the counts say what it lets through, the values what it saw. Check it with `rampart lint`.',
        ],
      });
    } catch (e) {
      if (e instanceof IdRangeError) {
        io.stderr(`rampart tune: ${e.message}\n`);
        return EXIT_FATAL;
      }
      throw e;
    }
  }
  const output = options.get('output');
  if (typeof output === 'string') fs.writeFileSync(path.resolve(io.cwd, output), text);
  else io.stdout(text);
  io.stderr(summary(result, seconds));
  return EXIT_OK;
}

/** `rampart tune LOG...`: proposes CRS exclusions for the false positives in audit logs (@rampart/tuning). */
export const tuneCommand: Command = {
  name: 'tune',
  summary: 'propose CRS exclusions for the false positives in audit logs',
  help,
  run,
};
