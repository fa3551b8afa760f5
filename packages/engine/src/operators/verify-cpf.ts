import { defineOperator, NO_SPANS, withLocator } from './types';
import { compileRegex } from './regex';
import { findVerifiedNumber, isStartSensitive } from './number-search';

const REJECTED_CPF = new Set([
  '00000000000', '01234567890', '11111111111', '22222222222', '33333333333', '44444444444',
  '55555555555', '66666666666', '77777777777', '88888888888', '99999999999',
]);

/**
 * The Brazilian CPF check on the first 11 digits of `text` (other characters ignored, text after a NUL
 * byte unseen, as in ModSecurity): the last two digits are mod-11 check digits.
 */
export function cpfValid(text: string): boolean {
  const nul = text.indexOf('\0');
  const digits = (nul < 0 ? text : text.slice(0, nul)).replace(/[^0-9]/g, '').slice(0, 11);
  if (digits.length !== 11) return false;
  if (REJECTED_CPF.has(digits)) return false;
  const d = [...digits].map(Number);
  const check = (count: number): number => {
    let sum = 0;
    for (let i = 0; i < count; i++) sum += (d[i] as number) * (count + 1 - i);
    const r = sum % 11;
    return r < 2 ? 0 : 11 - r;
  };
  return check(9) === d[9] && check(10) === d[10];
}

/**
 * Matches when the regular expression finds a Brazilian CPF number with valid check digits (ModSecurity v3's
 * algorithm and its list of rejected repeated numbers). With `capture`, TX:0 is the number as found.
 * @example SecRule ARGS "@verifyCPF /^([0-9]{3}\.){2}[0-9]{3}-[0-9]{2}$/" "id:161,phase:2,capture,deny"
 */
export const verifyCPF = defineOperator({
  name: 'verifyCPF',
  compile(argument, ctx) {
    if (argument.text === '') return () => false;
    const re = compileRegex(argument.text, '@verifyCPF', ctx);
    const sensitive = isStartSensitive(argument.text);
    return withLocator(
      (input, run) => {
        const found = findVerifiedNumber(input, re, sensitive, cpfValid);
        if (found === undefined) return false;
        if (run.captures !== null) run.captures[0] = found;
        return true;
      },
      (input) => {
        // ModSecurity v3 logs the number's offset within the suffix of the input it was found in.
        const where = { index: 0 };
        const found = findVerifiedNumber(input, re, sensitive, cpfValid, false, where);
        return found === undefined ? NO_SPANS : [where.index, found.length];
      },
    );
  },
});
