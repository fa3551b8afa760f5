import { defineAction } from './types';
import { toInt } from './values';
import type { Transaction } from '../transaction';
import { traceOf } from '../trace/sink';
import { persistentCollectionBit } from '../collections/persistent-use';

/**
 * Creates, changes or deletes a variable of TX or of an initialised persistent collection:
 * `=value` sets, `=+N` adds, `=-N` subtracts, `!col.var` deletes; names and values expand macros.
 * Runs for every matching value, as ModSecurity v3 does.
 * @example SecRule ARGS "@rx x" "id:1,phase:2,pass,setvar:'tx.inbound_anomaly_score_pl1=+%{tx.critical_anomaly_score}'"
 */
export const setvar = defineAction({
  name: 'setvar',
  apply(node, rule, ctx) {
    const spec = node.setvar;
    if (!spec) throw new Error(`setvar needs 'collection.name[=value]', got '${node.value ?? ''}'`);
    const collection = spec.collection.toUpperCase();
    if (!['TX', 'IP', 'SESSION', 'USER', 'GLOBAL', 'RESOURCE'].includes(collection)) {
      throw new Error(`setvar can write TX, IP, SESSION, USER, GLOBAL or RESOURCE, not '${spec.collection}'`);
    }
    // Writes wait for a record still on its way, as reads do: every rule then sees the record as a
    // synchronous store shows it.
    rule.persistentUse |= persistentCollectionBit(collection);
    const key = ctx.macro(spec.key);
    const value = spec.value ? ctx.macro(spec.value) : undefined;
    const op = spec.op;
    // CRS names its variables literally: their lower-case form is computed once, not on every match.
    const constantLower = key.constant?.toLowerCase();
    rule.perMatchActions.push((tx: Transaction, current) => {
      const name = key.expand(tx);
      if (name === '') return;
      // The evaluation trace follows every write (`rampart explain` shows the anomaly score as it grows).
      const trace = traceOf(tx);
      if (collection === 'TX') {
        const c = tx.txCollection;
        const lower = constantLower ?? name.toLowerCase();
        const previous = trace !== undefined ? c.first(name, lower) : undefined;
        if (op === 'delete') c.remove(name);
        else if (op === 'set') c.set(name, value ? value.expand(tx) : '1', lower);
        else {
          const delta = toInt(value ? value.expand(tx) : '0');
          const cur = toInt(c.first(name, lower) ?? '0');
          c.set(name, String(op === 'add' ? cur + delta : cur - delta), lower);
        }
        if (trace !== undefined) trace.event({ kind: 'variable-set', rule: current, collection, key: name, value: op === 'delete' ? undefined : c.first(name, lower), previous }, tx);
        return;
      }
      const handle = tx.persistent.get(collection);
      if (!handle) return; // ModSecurity ignores setvar on a collection no initcol opened (debug log only).
      const previous = trace !== undefined ? handle.collection.first(name) : undefined;
      if (op === 'delete') handle.delete(name);
      else if (op === 'set') handle.set(name, value ? value.expand(tx) : '1');
      else {
        const delta = toInt(value ? value.expand(tx) : '0');
        handle.add(name, op === 'add' ? delta : -delta);
      }
      if (trace !== undefined) trace.event({ kind: 'variable-set', rule: current, collection, key: name, value: op === 'delete' ? undefined : handle.collection.first(name), previous }, tx);
    });
  },
});
