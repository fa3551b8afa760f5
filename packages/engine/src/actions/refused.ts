import type { ActionDefinition } from './types';
import { defineAction } from './types';

const refuse = (name: string, why: string, aliases?: string[]): ActionDefinition =>
  defineAction({
    name,
    ...(aliases ? { aliases } : {}),
    apply() {
      throw new Error(`action '${name}' is not supported: ${why}`);
    },
  });

/**
 * Actions Rampart refuses at load time, each with the reason, instead of accepting them as silent no-ops.
 * @example SecRule ARGS "@rx x" "id:1,phase:2,exec:/usr/local/bin/alert.sh"   (load error: exec is refused)
 */
export const refusedActions: readonly ActionDefinition[] = [
  refuse('exec', 'running external programs or Lua scripts from rules is not supported (ModSecurity v3 supports only Lua; Coraza ignores it)'),
  refuse('append', 'content injection needs a proxy that rewrites response bodies; ModSecurity v3 refuses it too'),
  refuse('prepend', 'content injection needs a proxy that rewrites response bodies; ModSecurity v3 refuses it too'),
  refuse('proxy', 'reverse-proxying a request is an Apache feature; ModSecurity v3 refuses it too'),
  refuse('pause', 'delaying responses from inside the rule engine would stall the agent; ModSecurity v3 refuses it too'),
];
