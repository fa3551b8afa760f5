import type { LoggedMatch, LoggedTransaction } from './logged-transaction';

/**
 * How CRS decided on the logged transactions, as tune reproduces it: each detection rule at or below the
 * blocking paranoia level adds the score of its severity to its direction's anomaly score, and a score at or
 * over the threshold blocks (rule 949110 inbound, 959100 outbound).
 */
export interface ScoreModel {
  blockingParanoia: number;
  inboundThreshold: number;
  outboundThreshold: number;
}

/** CRS's default scores by severity (crs-setup.conf 900100): CRITICAL 5, ERROR 4, WARNING 3, NOTICE 2. */
export const SEVERITY_SCORES: Readonly<Record<number, number>> = { 2: 5, 3: 4, 4: 3, 5: 2 };

export const matchScore = (m: LoggedMatch): number => (m.severity !== undefined ? (SEVERITY_SCORES[m.severity] ?? 0) : 0);

/** The anomaly scores of a transaction, leaving out the matches `removed` says an exclusion removes. */
export function scores(t: LoggedTransaction, paranoia: number, removed?: (m: LoggedMatch) => boolean): { inbound: number; outbound: number } {
  let inbound = 0;
  let outbound = 0;
  for (const m of t.matches) {
    if (!m.scoring || (m.paranoiaLevel ?? 1) > paranoia) continue;
    if (removed?.(m)) continue;
    if (m.direction === 'inbound') inbound += matchScore(m);
    else outbound += matchScore(m);
  }
  return { inbound, outbound };
}

/** Whether the transaction is blocked (by the anomaly scores, or by a site rule's own deny) once `removed` matches are gone. */
export function isBlocked(t: LoggedTransaction, model: ScoreModel, removed?: (m: LoggedMatch) => boolean): boolean {
  const s = scores(t, model.blockingParanoia, removed);
  if (s.inbound >= model.inboundThreshold || s.outbound >= model.outboundThreshold) return true;
  if (t.deniedBy === undefined) return false;
  return t.matches.some((m) => m.disruptive && !m.scoring && !removed?.(m));
}

/** Whether the log says CRS blocked (or, in DetectionOnly, would have blocked) the transaction. */
export const loggedBlocked = (t: LoggedTransaction): boolean => t.loggedInboundScore !== undefined || t.loggedOutboundScore !== undefined || t.deniedBy !== undefined;

export interface Calibration {
  model: ScoreModel;
  /** Transactions whose blocked / not blocked the model reproduces, of those it was checked on. */
  agreed: number;
  checked: number;
  /** How each part of the model was found. */
  sources: { paranoia: 'given' | 'from 949110 totals' | 'highest level seen'; inboundThreshold: 'given' | 'from the log' | 'default' };
}

/**
 * Finds the model that reproduces the log: the paranoia level whose sum of scores equals most of the Total
 * Scores that 949110 logged, and the threshold between the highest score that passed and the lowest that was
 * blocked (CRS's default of 5 when the log allows it). `given` values win.
 */
export function calibrate(txs: readonly LoggedTransaction[], given: Partial<ScoreModel> = {}): Calibration {
  let paranoia = given.blockingParanoia;
  let paranoiaSource: Calibration['sources']['paranoia'] = 'given';
  if (paranoia === undefined) {
    const hits = [0, 0, 0, 0, 0];
    let withTotals = 0;
    let highest = 1;
    for (const t of txs) {
      for (const m of t.matches) if (m.scoring && m.paranoiaLevel !== undefined) highest = Math.max(highest, m.paranoiaLevel);
      if (t.loggedInboundScore === undefined) continue;
      withTotals++;
      for (let p = 1; p <= 4; p++) if (scores(t, p).inbound === t.loggedInboundScore) hits[p]!++;
    }
    if (withTotals > 0) {
      paranoia = 1;
      for (let p = 2; p <= 4; p++) if (hits[p]! > hits[paranoia]!) paranoia = p;
      paranoiaSource = 'from 949110 totals';
    } else {
      paranoia = highest;
      paranoiaSource = 'highest level seen';
    }
  }
  let inboundThreshold = given.inboundThreshold;
  let thresholdSource: Calibration['sources']['inboundThreshold'] = 'given';
  if (inboundThreshold === undefined) {
    let passedMax = 0;
    let blockedMin = Infinity;
    for (const t of txs) {
      if (t.loggedInboundScore !== undefined) blockedMin = Math.min(blockedMin, t.loggedInboundScore);
      else if (t.deniedBy === undefined) passedMax = Math.max(passedMax, scores(t, paranoia).inbound);
    }
    const lo = passedMax + 1;
    const hi = blockedMin;
    inboundThreshold = lo <= hi ? Math.min(Math.max(5, lo), hi) : 5;
    thresholdSource = lo <= hi && (Number.isFinite(hi) || passedMax > 0) && inboundThreshold !== 5 ? 'from the log' : 'default';
  }
  const model: ScoreModel = { blockingParanoia: paranoia, inboundThreshold, outboundThreshold: given.outboundThreshold ?? 4 };
  let agreed = 0;
  for (const t of txs) if (isBlocked(t, model) === loggedBlocked(t)) agreed++;
  return { model, agreed, checked: txs.length, sources: { paranoia: paranoiaSource, inboundThreshold: thresholdSource } };
}
