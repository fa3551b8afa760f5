import { defineAction, requireValue } from './types';

/**
 * After a match, skips the rules of the phase up to and including the SecMarker (or rule id) named.
 * @example SecRule TX:DETECTION_PARANOIA_LEVEL "@lt 2" "id:1,phase:1,pass,nolog,skipAfter:END-CHECKS"
 */
export const skipAfter = defineAction({
  name: 'skipAfter',
  apply(node, rule) {
    rule.skipAfter = requireValue(node);
  },
});
