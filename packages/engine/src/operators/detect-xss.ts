import { detectXss } from '@rampart/libinjection';
import { defineOperator } from './types';

/**
 * Matches when libinjection classifies the input as cross-site scripting. With `capture`, TX:0 is the
 * input, as in ModSecurity. The operator takes no argument.
 * @example SecRule ARGS "@detectXSS" "id:941100,phase:2,capture,block"
 */
export const detectXSS = defineOperator({
  name: 'detectXSS',
  compile() {
    return (input, run) => {
      let xss: boolean;
      try {
        xss = detectXss(input);
      } catch {
        // Hostile input must never break the transaction; a detector failure is not a detection.
        return false;
      }
      if (!xss) return false;
      if (run.captures !== null) run.captures[0] = input;
      return true;
    };
  },
});
