/**
 * Variables whose keys name the same pieces of the request: an argument is ARGS:x, ARGS_GET:x or ARGS_POST:x, and
 * its name is ARGS_NAMES:x; a header is REQUEST_HEADERS:x and REQUEST_HEADERS_NAMES:x; a file is FILES:x, FILES_NAMES:x,
 * FILES_SIZES:x, ...
 *
 * libmodsecurity v3 applies a regex exclusion added by SecRuleUpdateTargetById/ByTag/ByMsg (`!ARGS:/^json\./`) to
 * every value of the rule whose key the regex matches, whatever its variable (`Variables::contains`): its own
 * regression suite relies on `!ARGS:/xxx/` removing ARGS_NAMES:xxxyyy. Rampart applies it to the excluded
 * variable's family only: in v3 the same exclusion also stops the rule from inspecting a cookie or a header that an
 * attacker names to match it, which is a bypass the rule's author never wrote.
 */
const FAMILIES: readonly (readonly string[])[] = [
  ['ARGS', 'ARGS_GET', 'ARGS_POST', 'ARGS_NAMES', 'ARGS_GET_NAMES', 'ARGS_POST_NAMES'],
  ['REQUEST_COOKIES', 'REQUEST_COOKIES_NAMES'],
  ['REQUEST_HEADERS', 'REQUEST_HEADERS_NAMES'],
  ['RESPONSE_HEADERS', 'RESPONSE_HEADERS_NAMES'],
  ['FILES', 'FILES_NAMES', 'FILES_SIZES', 'FILES_TMPNAMES', 'FILES_TMP_CONTENT'],
];

const familyOf = new Map<string, readonly string[]>();
for (const f of FAMILIES) for (const v of f) familyOf.set(v, f);

/** Whether `target`'s keys name the same pieces of the request as `excluded`'s (true for the same variable). */
export function sameKeyFamily(excluded: string, target: string): boolean {
  if (excluded === target) return true;
  return familyOf.get(excluded)?.includes(target) === true;
}
