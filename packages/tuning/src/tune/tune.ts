import { readAuditLogs, expandLogPaths, type AuditReadProgress } from '../audit-log/read-audit-logs';
import { RequestFilenames, loggedTransaction, type LoggedTransaction } from './logged-transaction';
import { proposeExclusions, type Proposal, type ProposeOptions } from './propose';
import { calibrate, type Calibration, type ScoreModel } from './score-model';

export interface TuneOptions extends ProposeOptions {
  /** The model's parts, when known; otherwise found from the logs (see calibrate). */
  paranoia?: number;
  inboundThreshold?: number;
  outboundThreshold?: number;
  onProgress?: (p: AuditReadProgress) => void;
  onProblem?: (file: string, message: string) => void;
}

export interface TuneResult {
  files: string[];
  /** Transactions read, and those with at least one rule match. */
  transactions: number;
  withMatches: number;
  /** Records that could not be read (torn, malformed). */
  problems: number;
  calibration: Calibration;
  proposal: Proposal;
}

/**
 * Reads audit logs and proposes exclusions for their false positives: every transaction is reduced to its rule
 * matches (by rule, variable and path), CRS's scoring is fitted to what the log decided, and proposeExclusions
 * does the rest. Memory holds the matches of the transactions that have any, not the records.
 *
 * @example
 * const r = await tuneAuditLogs(['/var/log/modsec_audit.log']);
 * fs.writeFileSync('exclusions.conf', renderRuleFile(r.proposal.exclusions));
 */
export async function tuneAuditLogs(paths: readonly string[], options: TuneOptions = {}): Promise<TuneResult> {
  const files = expandLogPaths(paths);
  const filenames = new RequestFilenames();
  const txs: LoggedTransaction[] = [];
  let transactions = 0;
  let problems = 0;
  for await (const entry of readAuditLogs(files, {
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    onProblem: (file, message) => {
      problems++;
      options.onProblem?.(file, message);
    },
  })) {
    transactions++;
    if (entry.messages.length === 0) continue;
    txs.push(loggedTransaction(entry, filenames));
  }
  const given: Partial<ScoreModel> = {
    ...(options.paranoia !== undefined ? { blockingParanoia: options.paranoia } : {}),
    ...(options.inboundThreshold !== undefined ? { inboundThreshold: options.inboundThreshold } : {}),
    ...(options.outboundThreshold !== undefined ? { outboundThreshold: options.outboundThreshold } : {}),
  };
  const calibration = calibrate(txs, given);
  const proposal = proposeExclusions(txs, calibration.model, options);
  return { files, transactions, withMatches: txs.length, problems, calibration, proposal };
}
