import { defineAction, requireValue } from './types';
import type { ActionDefinition, ActionCompileContext } from './types';
import type { CompiledRule } from '../rules/compiled-rule';
import { openPersistentRecord } from '../collections/persistent-records';
import { splitMacros } from '../macro';
import { debugLevel, debugLine } from '../trace/debug-lines';
import { persistentCollectionBit } from '../collections/persistent-use';
import { canReadAhead } from '../collections/read-ahead';

const PERSISTENT = ['IP', 'SESSION', 'USER', 'GLOBAL', 'RESOURCE'];

function opener(name: string, collection: string | undefined, doc: ActionDefinition['name']): ActionDefinition {
  return defineAction({
    name,
    apply(node, rule: CompiledRule, ctx: ActionCompileContext) {
      const text = requireValue(node);
      let col = collection;
      let keyText = text;
      if (col === undefined) {
        const eq = text.indexOf('=');
        if (eq <= 0) throw new Error(`${doc} needs collection=key, got '${text}'`);
        col = text.slice(0, eq).toUpperCase();
        keyText = text.slice(eq + 1);
        if (!PERSISTENT.includes(col)) throw new Error(`initcol opens IP, SESSION, USER, GLOBAL or RESOURCE, not '${text.slice(0, eq)}'`);
      }
      const keyMacro = splitMacros(keyText);
      const key = ctx.macro(keyMacro);
      const target = col;
      if (canReadAhead(keyMacro)) (rule.readAheadOpens ??= []).push({ collection: target, key });
      rule.afterMatchActions.push((tx) => {
        const k = key.expand(tx);
        if (name === 'setsid') tx.vars.set('SESSIONID', k);
        if (name === 'setuid') tx.vars.set('USERID', k);
        openPersistentRecord(tx, target, k);
      });
    },
  });
}

/**
 * Opens a persistent collection record for this transaction (IP, SESSION, USER, GLOBAL, RESOURCE); its
 * variables persist across transactions in the WAF's collection store.
 * @example SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
 */
export const initcol = opener('initcol', undefined, 'initcol');
/** Opens the SESSION record and sets SESSIONID. @example SecRule REQUEST_COOKIES:PHPSESSID "!@eq 0" "id:2,phase:1,pass,nolog,setsid:%{REQUEST_COOKIES.PHPSESSID}" */
export const setsid = opener('setsid', 'SESSION', 'setsid');
/** Opens the USER record and sets USERID. @example SecRule ARGS:username "@rx ." "id:3,phase:2,pass,nolog,setuid:%{ARGS.username}" */
export const setuid = opener('setuid', 'USER', 'setuid');
/** Opens the RESOURCE record. @example SecAction "id:4,phase:1,pass,nolog,setrsc:%{REQUEST_FILENAME}" */
export const setrsc = opener('setrsc', 'RESOURCE', 'setrsc');

function parseColVar(text: string, action: string): { collection: string; name: string } {
  const dot = text.indexOf('.');
  if (dot <= 0) throw new Error(`${action} needs collection.variable, got '${text}'`);
  return { collection: text.slice(0, dot).toUpperCase(), name: text.slice(dot + 1) };
}

/**
 * Removes a variable after N seconds (persistent collections; on TX the variable goes with the transaction).
 * @example SecRule ARGS:login "@streq fail" "id:5,phase:2,pass,setvar:ip.failed=+1,expirevar:ip.failed=60"
 */
export const expirevar = defineAction({
  name: 'expirevar',
  apply(node, rule, ctx) {
    const text = requireValue(node);
    const eq = text.indexOf('=');
    const { collection, name } = parseColVar(eq === -1 ? text : text.slice(0, eq), 'expirevar');
    rule.persistentUse |= persistentCollectionBit(collection);
    const seconds = ctx.macro(splitMacros(eq === -1 ? '0' : text.slice(eq + 1)));
    const key = ctx.macro(splitMacros(name));
    rule.afterMatchActions.push((tx) => {
      const n = Number.parseInt(seconds.expand(tx), 10);
      if (!Number.isFinite(n)) return;
      const variable = key.expand(tx);
      tx.persistent.get(collection)?.expire(variable, n);
      if (debugLevel(tx) >= 9) debugLine(tx, 9, `Setting variable \`${variable}' to expire in ${n} seconds.`);
    });
  },
});

/**
 * Decreases a numeric persistent variable by N every S seconds since its last update.
 * @example SecAction "id:6,phase:5,pass,nolog,deprecatevar:ip.score=20/300"
 */
export const deprecatevar = defineAction({
  name: 'deprecatevar',
  apply(node, rule, ctx) {
    const text = requireValue(node);
    const m = /^([^=]+)=(\d+)\/(\d+)$/.exec(text);
    if (!m) throw new Error(`deprecatevar needs collection.variable=N/SECONDS, got '${text}'`);
    const { collection, name } = parseColVar(m[1]!, 'deprecatevar');
    rule.persistentUse |= persistentCollectionBit(collection);
    const amount = Number(m[2]);
    const every = Number(m[3]);
    if (every <= 0) throw new Error('deprecatevar needs a period of at least 1 second');
    const key = ctx.macro(splitMacros(name));
    rule.afterMatchActions.push((tx) => {
      // The handle also lowers the value later rules of this transaction see, as ModSecurity v2 does.
      tx.persistent.get(collection)?.deprecate(key.expand(tx), amount, every);
    });
  },
});
