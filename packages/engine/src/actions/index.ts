import { accuracy } from './accuracy';
import { allow } from './allow';
import { auditlog } from './auditlog';
import { block } from './block';
import { capture } from './capture';
import { chain } from './chain';
import { ctl } from './ctl';
import { deny } from './deny';
import { drop } from './drop';
import { id } from './id';
import { log } from './log';
import { logdata } from './logdata';
import { maturity } from './maturity';
import { msg } from './msg';
import { multiMatch } from './multi-match';
import { noauditlog } from './noauditlog';
import { nolog } from './nolog';
import { pass } from './pass';
import { deprecatevar, expirevar, initcol, setrsc, setsid, setuid } from './persistent-collections';
import { phase } from './phase';
import { redirect } from './redirect';
import { refusedActions } from './refused';
import { rev } from './rev';
import { sanitiseActions } from './sanitise';
import { setenv } from './setenv';
import { setvar } from './setvar';
import { severity } from './severity';
import { skip } from './skip';
import { skipAfter } from './skip-after';
import { status } from './status';
import { t } from './t';
import { tag } from './tag';
import type { ActionDefinition } from './types';
import { ver } from './ver';
import { xmlns } from './xmlns';

export type { ActionDefinition, ActionCompileContext } from './types';

/** Every action the engine knows, sorted by name. */
export const builtinActions: readonly ActionDefinition[] = [
  accuracy, allow, auditlog, block, capture, chain, ctl, deny, deprecatevar, drop, expirevar, id, initcol, log,
  logdata, maturity, msg, multiMatch, noauditlog, nolog, pass, phase, redirect, rev, setenv, setrsc, setsid,
  setuid, setvar, severity, skip, skipAfter, status, t, tag, ver, xmlns, ...sanitiseActions, ...refusedActions,
];

const index = new Map<string, ActionDefinition>();
for (const a of builtinActions) {
  for (const n of [a.name, ...(a.aliases ?? [])]) {
    const k = n.toLowerCase();
    if (index.has(k)) throw new Error(`actions: duplicate action name '${n}'`);
    index.set(k, a);
  }
}

export function findActionDefinition(name: string): ActionDefinition | undefined {
  return index.get(name.toLowerCase());
}
