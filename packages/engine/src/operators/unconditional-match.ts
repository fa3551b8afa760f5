import { defineOperator } from './types';

/**
 * Always matches, whatever the input (its argument, if any, is ignored).
 * @example SecRule REMOTE_ADDR "@unconditionalMatch" "id:155,phase:1,pass,nolog,setvar:tx.seen=1"
 */
export const unconditionalMatch = defineOperator({
  name: 'unconditionalMatch',
  compile() {
    return () => true;
  },
});
