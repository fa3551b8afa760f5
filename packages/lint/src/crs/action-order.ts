/**
 * The order in which CRS writes actions (CRS's CONTRIBUTING guide, as crs-linter enforces it). Names in one
 * row share a place. Actions CRS's list does not name sit next to their kin (rev, maturity and accuracy
 * after ver, as in CRS 3; the other v2 and rarely used actions before chain) so that `--fix` has an order.
 */
const ORDER: readonly (readonly string[])[] = [
  ['id'],
  ['phase'],
  ['allow', 'block', 'deny', 'drop', 'pass', 'proxy', 'redirect', 'pause'],
  ['status'],
  ['capture'],
  ['t'],
  ['log'],
  ['nolog'],
  ['auditlog'],
  ['noauditlog'],
  ['msg'],
  ['logdata'],
  ['tag'],
  ['sanitiseArg'],
  ['sanitiseRequestHeader'],
  ['sanitiseResponseHeader'],
  ['sanitiseMatched'],
  ['sanitiseMatchedBytes'],
  ['ctl'],
  ['ver'],
  ['rev', 'maturity', 'accuracy'],
  ['severity'],
  ['multiMatch'],
  ['initcol'],
  ['setsid', 'setuid', 'setrsc'],
  ['setenv'],
  ['setvar'],
  ['expirevar', 'deprecatevar'],
  ['append', 'prepend', 'xmlns', 'exec'],
  ['chain'],
  ['skip'],
  ['skipAfter'],
];

const RANK = new Map(ORDER.flatMap((row, rank) => row.map((name) => [name, rank] as const)));

/** The place of a canonical action name in CRS's order (unknown names go last). */
export function actionRank(name: string): number {
  return RANK.get(name) ?? ORDER.length;
}

/** CRS's order as text, for messages. */
export const ORDER_TEXT = 'id, phase, disruptive action, status, capture, t, log, nolog, auditlog, noauditlog, msg, logdata, tag, sanitise*, ctl, ver, severity, multiMatch, initcol, setenv, setvar, expirevar, chain, skip, skipAfter';
