/**
 * The candidate search shared by `@verifyCC`, `@verifyCPF`, `@verifySSN` and `@verifySVNR`. ModSecurity v3
 * tries the regex on every suffix of the input (`input.substr(i)` for each i, so `^` also matches where the
 * suffix starts) and checks every match of each suffix with the operator's checksum; the first one that
 * passes is the match. (The CPF/SSN/SVNR loops stop one byte early, `i < size - 1`; `@verifyCC` does not.)
 */
import type { CompiledRegex } from './regex';

/** Regex constructs whose result depends on where the subject string starts. */
const START_SENSITIVE = /\^|\\[bBAG]|\(\?<[=!]/;

/**
 * Later suffixes are searched through a window of this many bytes: a candidate number is short, and
 * searching each whole suffix again would make long values (response bodies) quadratic. A match that
 * touches the end of a truncated window is ignored there (its `$` or lookahead saw a false end).
 */
export const SUFFIX_WINDOW = 128;
/**
 * At most this many later suffixes are searched per value. The first pass over the whole input is always
 * complete; the later ones only add overlapping candidates, and past this bound they are not looked for.
 */
export const MAX_SUFFIXES = 4096;

export function findVerifiedNumber(
  input: string,
  re: CompiledRegex,
  startSensitive: boolean,
  verify: (candidate: string) => boolean,
  includeLastByte = false,
  /** Receives where the number was found, relative to the suffix searched (what ModSecurity v3 logs). */
  where?: { index: number },
): string | undefined {
  let suffixes = 0;
  const end = includeLastByte ? input.length : input.length - 1;
  for (let i = 0; i < end; ) {
    const subject = i === 0 ? input : input.slice(i, i + SUFFIX_WINDOW);
    const truncated = i + subject.length < input.length;
    if (i > 0 && ++suffixes > MAX_SUFFIXES) return undefined;
    let firstStart = -1;
    let found: string | undefined;
    re.scan(subject, (m) => {
      const text = m[0] ?? '';
      if (truncated && m.index + text.length >= subject.length) return true;
      if (firstStart < 0) firstStart = m.index;
      if (!verify(text)) return false;
      found = text;
      if (where !== undefined) where.index = m.index;
      return true;
    });
    if (found !== undefined) return found;
    if (startSensitive) {
      i += 1;
    } else if (firstStart >= 0) {
      // Every suffix that starts at or before the first match sees the same matches: skip them.
      i += firstStart + 1;
    } else if (truncated) {
      // Nothing starts in the first half of the window (a match there would have fit).
      i += SUFFIX_WINDOW / 2;
    } else {
      return undefined;
    }
  }
  return undefined;
}

export function isStartSensitive(pattern: string): boolean {
  return START_SENSITIVE.test(pattern);
}
