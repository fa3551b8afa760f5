/**
 * The candidate search shared by `@verifyCC`, `@verifyCPF`, `@verifySSN` and `@verifySVNR`. ModSecurity v3
 * tries the regex on every suffix of the input (`input.substr(i)` for each i, so `^` also matches where the
 * suffix starts) and checks every match of each suffix with the operator's checksum; the first one that
 * passes is the match. (The CPF/SSN/SVNR loops stop one byte early, `i < size - 1`; `@verifyCC` does not.)
 */
import type { CompiledRegex } from './regex';

/** Regex constructs whose result depends on where the subject string starts. */
const START_SENSITIVE = /\^|\\[bBAG]|\(\?<[=!]/;

/** Upper bound on regex executions per value, so that hostile input cannot make the search quadratic. */
export const SEARCH_BUDGET = 20000;

export function findVerifiedNumber(
  input: string,
  re: CompiledRegex,
  startSensitive: boolean,
  verify: (candidate: string) => boolean,
  includeLastByte = false,
): string | undefined {
  let budget = SEARCH_BUDGET;
  const end = includeLastByte ? input.length : input.length - 1;
  for (let i = 0; i < end; ) {
    const suffix = i === 0 ? input : input.slice(i);
    let from = 0;
    let firstStart = -1;
    while (from <= suffix.length) {
      if (--budget < 0) return undefined;
      const m = re.exec(suffix, from);
      if (m === null) break;
      if (firstStart < 0) firstStart = m.index;
      const text = m[0] ?? '';
      if (verify(text)) return text;
      from = m.index + (text.length > 0 ? text.length : 1);
    }
    if (firstStart < 0 && !startSensitive) return undefined;
    // Without start-sensitive constructs every suffix that begins at or before the first match sees the
    // same matches: skip them.
    i += startSensitive || firstStart <= 0 ? 1 : firstStart + 1;
  }
  return undefined;
}

export function isStartSensitive(pattern: string): boolean {
  return START_SENSITIVE.test(pattern);
}
