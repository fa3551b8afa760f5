import { defineOperator } from './types';
import { OperatorCompileError } from './errors';
import { compileRegex } from './regex';
import { findVerifiedNumber, isStartSensitive } from './number-search';

/**
 * Luhn (mod 10) over the digits of `text`, ignoring every other character, as ModSecurity does. Text
 * without digits fails.
 */
export function luhnValid(text: string): boolean {
  let sumEvenFromRight = 0;
  let digits = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) continue;
    let d = c - 0x30;
    if (digits % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sumEvenFromRight += d;
    digits++;
  }
  return digits > 0 && sumEvenFromRight % 10 === 0;
}

/**
 * Matches when the regular expression finds a candidate credit card number that passes the Luhn check. Like
 * the other number checks, every suffix of the input is searched (the shared ModSecurity test vectors expect
 * `15484605089158216` to match `(?:^|[^\d])(\d{4}...)`). With `capture`, TX:0 is the number as found.
 * @example SecRule ARGS "@verifyCC \d{13,16}" "id:160,phase:2,capture,deny,msg:'Credit card number'"
 */
export const verifyCC = defineOperator({
  name: 'verifyCC',
  compile(argument, ctx) {
    if (argument.text === '') throw new OperatorCompileError('bad-argument', '@verifyCC needs a regular expression');
    const re = compileRegex(argument.text, '@verifyCC', ctx);
    const sensitive = isStartSensitive(argument.text);
    return (input, run) => {
      const found = findVerifiedNumber(input, re, sensitive, luhnValid, true);
      if (found === undefined) return false;
      if (run.captures !== null) run.captures[0] = found;
      return true;
    };
  },
});
