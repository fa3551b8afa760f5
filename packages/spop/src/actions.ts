import { FrameCursor } from './frame-cursor';
import type { FrameWriter } from './frame-writer';
import { invalidFrame } from './spop-error';
import { readTypedValue, writeTypedValue } from './typed-data';
import { SPOP_SCOPES, type SpopAction, type SpopScope } from './types';

/** Action type bytes of an ACK's LIST-OF-ACTIONS. */
export const ActionType = {
  SetVar: 1,
  UnsetVar: 2,
} as const;

const SCOPE_IDS: Readonly<Record<SpopScope, number>> = { proc: 0, sess: 1, txn: 2, req: 3, res: 4 };

/** Writes `<type:1> <nb-args:1> <scope:1> <bare name> [<typed value>]` per action. */
export function writeActions(w: FrameWriter, actions: readonly SpopAction[]): void {
  for (const a of actions) {
    const scope = SCOPE_IDS[a.scope];
    if (scope === undefined) throw new TypeError(`unknown variable scope: ${JSON.stringify(a.scope)}`);
    if (typeof a.name !== 'string' || a.name.length === 0) throw new TypeError('variable name must be a non-empty string');
    if (a.type === 'set-var') {
      w.u8(ActionType.SetVar).u8(3).u8(scope).latin1(a.name);
      writeTypedValue(w, a.value);
    } else if (a.type === 'unset-var') {
      w.u8(ActionType.UnsetVar).u8(2).u8(scope).latin1(a.name);
    } else {
      throw new TypeError(`unknown action type: ${JSON.stringify((a as { type?: unknown }).type)}`);
    }
  }
}

/**
 * Decodes an ACK payload (what a fake HAProxy in tests needs). Only SET-VAR (3 args) and UNSET-VAR (2 args)
 * exist; anything else is rejected with status 4 because its arguments could not be skipped reliably.
 */
export function decodeActions(payload: Buffer): SpopAction[] {
  const c = new FrameCursor(payload);
  const out: SpopAction[] = [];
  while (!c.atEnd()) {
    const type = c.u8();
    const nbArgs = c.u8();
    const scopeId = c.u8();
    const scope = SPOP_SCOPES[scopeId];
    if (scope === undefined) throw invalidFrame(`unknown variable scope ${scopeId}`);
    const name = c.name();
    if (type === ActionType.SetVar && nbArgs === 3) {
      out.push({ type: 'set-var', scope, name, value: readTypedValue(c) });
    } else if (type === ActionType.UnsetVar && nbArgs === 2) {
      out.push({ type: 'unset-var', scope, name });
    } else {
      throw invalidFrame(`unsupported action type ${type} with ${nbArgs} args`);
    }
  }
  return out;
}
