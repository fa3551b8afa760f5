import { defineOperator } from './types';
import { OperatorCompileError } from './errors';
import { MAX_CAPTURES } from './captures';
import { compileRegex } from './regex';

/** Chilean RUT/RUN: mod-11 check character (`k` for 10, `0` for 11) after the digits. */
export function chileNidValid(candidate: string): boolean {
  if (candidate.length < 8) return false;
  const nid = candidate.toLowerCase().replace(/[^0-9k]/g, '');
  if (nid.length < 2) return false;
  const body = nid.slice(0, -1);
  const check = nid.slice(-1);
  // Coraza reads the body with strconv.Atoi: a `k` inside it, or overflow, makes it 0.
  let rut = /^[0-9]{1,18}$/.test(body) ? Number(body) : 0;
  let sum = 0;
  let factor = 2;
  while (rut !== 0) {
    sum += (rut % 10) * factor;
    rut = Math.floor(rut / 10);
    factor = factor === 7 ? 2 : factor + 1;
  }
  const r = sum % 11;
  const expected = r === 0 ? '0' : r === 1 ? 'k' : String(11 - r);
  return expected === check;
}

/** US social security number, Coraza's checks (not quite ModSecurity's `@verifySSN`). */
export function usNidValid(candidate: string): boolean {
  const nid = candidate.replace(/[^0-9]/g, '');
  if (nid.length < 9) return false;
  const area = Number(nid.slice(0, 3));
  const group = Number(nid.slice(3, 5));
  const serial = Number(nid.slice(5, 9));
  if (area === 0 || group === 0 || serial === 0 || area >= 740 || area === 666) return false;
  let sequence = true;
  let equal = true;
  for (let i = 1; i < nid.length; i++) {
    const prev = Number(nid[i - 1]);
    const curr = Number(nid[i]);
    if (prev !== curr) equal = false;
    if (curr !== prev + 1) sequence = false;
  }
  return !(sequence || equal);
}

/**
 * Coraza's national identity number check: the argument is a country (`cl` for Chile, `us` for the United
 * States) and a regular expression; matches when one of the first 10 regex matches has a valid check.
 * With `capture`, TX:n is the n-th match when it is valid.
 * @example SecRule ARGS:rut "@validateNid cl \d{1,2}\.?\d{3}\.?\d{3}-?[\dkK]" "id:176,phase:2,capture,deny"
 */
export const validateNid = defineOperator({
  name: 'validateNid',
  compile(argument, ctx) {
    const space = argument.text.indexOf(' ');
    const country = space < 0 ? argument.text : argument.text.slice(0, space);
    const pattern = space < 0 ? '' : argument.text.slice(space + 1);
    const check = country === 'cl' ? chileNidValid : country === 'us' ? usNidValid : undefined;
    if (check === undefined || pattern === '') {
      throw new OperatorCompileError(
        'bad-argument',
        `@validateNid needs a country (cl or us) and a regular expression, e.g. "@validateNid cl \\d{7,8}-[\\dk]"; got "${argument.text}"`,
      );
    }
    const re = compileRegex(pattern, '@validateNid', ctx);
    return (input, run) => {
      let matched = false;
      let n = 0;
      re.scan(input, (m) => {
        const text = m[0] ?? '';
        if (check(text)) {
          matched = true;
          if (run.captures !== null) run.captures[n] = text;
        }
        n++;
        return n >= MAX_CAPTURES;
      });
      return matched;
    };
  },
});
