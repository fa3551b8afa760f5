import { defineAction } from './types';

/**
 * Stops rule processing and lets the transaction through: `allow` for all remaining phases (logging still
 * runs), `allow:phase` for the rest of the current phase, `allow:request` for the request phases only.
 * @example SecRule REMOTE_ADDR "@ipMatch 192.168.1.100" "id:1,phase:1,nolog,allow"
 */
export const allow = defineAction({
  name: 'allow',
  apply(node, rule) {
    const v = (node.value ?? '').toLowerCase();
    if (v !== '' && v !== 'phase' && v !== 'request') throw new Error(`allow takes no value, 'phase' or 'request', got '${node.value}'`);
    rule.disruptive = 'allow';
    rule.allowScope = v === '' ? 'all' : (v as 'phase' | 'request');
  },
});
