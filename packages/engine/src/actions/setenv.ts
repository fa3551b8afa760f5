import { defineAction, requireValue } from './types';
import { splitMacros } from '../macro';
import { traceOf } from '../trace/sink';

/**
 * Sets a variable of the ENV collection for this transaction (`name=value`, macros expanded; `!name`
 * removes it). Connectors may export ENV to the server.
 * @example SecRule REMOTE_ADDR "@ipMatch 10.0.0.0/8" "id:1,phase:1,pass,nolog,setenv:internal=1"
 */
export const setenv = defineAction({
  name: 'setenv',
  apply(node, rule, ctx) {
    const text = requireValue(node);
    const remove = text.startsWith('!');
    const body = remove ? text.slice(1) : text;
    const eq = body.indexOf('=');
    const name = ctx.macro(splitMacros(eq === -1 ? body : body.slice(0, eq)));
    const value = ctx.macro(splitMacros(eq === -1 ? '1' : body.slice(eq + 1)));
    rule.afterMatchActions.push((tx, current) => {
      const env = tx.collection('ENV')!;
      const n = name.expand(tx);
      const v = remove ? undefined : value.expand(tx);
      if (v === undefined) env.remove(n);
      else env.set(n, v);
      traceOf(tx)?.event({ kind: 'env-set', rule: current, name: n, value: v }, tx);
    });
  },
});
