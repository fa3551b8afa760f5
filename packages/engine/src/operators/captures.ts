/** ModSecurity keeps TX:0 to TX:9 for captures. */
export const MAX_CAPTURES = 10;

/**
 * Stores a regex match's groups in `captures` (group 0 = the whole match). Groups that did not take part
 * in the match are left untouched, like ModSecurity, which keeps the previous TX:n value for them.
 */
export function storeGroups(captures: string[], match: RegExpExecArray): void {
  const n = Math.min(match.length, MAX_CAPTURES);
  for (let g = 0; g < n; g++) {
    const value = match[g];
    if (value !== undefined) captures[g] = value;
  }
}
