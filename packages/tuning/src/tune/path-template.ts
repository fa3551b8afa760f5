/**
 * Path segments that are identifiers rather than names: numbers, UUIDs, long hex strings. `/api/users/42/posts`
 * and `/api/users/7/posts` are the same page of an application; one exclusion should cover both.
 */
const ID_SEGMENTS: ReadonlyArray<{ test: RegExp; pattern: string; name: string }> = [
  { test: /^\d+$/, pattern: '[0-9]+', name: '{number}' },
  { test: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, pattern: '[0-9a-fA-F-]{36}', name: '{uuid}' },
  { test: /^(?=.*\d)[0-9a-f]{16,}$/i, pattern: '[0-9a-fA-F]+', name: '{hex}' },
];

/** A regex that matches `s` literally (RE2 and PCRE alike): metacharacters escaped, other bytes as `\xHH` where unsafe. */
export function literalPattern(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (/[A-Za-z0-9/_\-~%:@!&=,;]/.test(ch)) out += ch;
    else out += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** The path with identifier segments named (`/api/users/{number}/posts`), and the anchored regex for it. */
export function pathTemplate(path: string): { template: string; pattern: string } {
  const segments = path.split('/');
  let template = '';
  let pattern = '';
  segments.forEach((seg, i) => {
    const sep = i === 0 ? '' : '/';
    const id = seg === '' ? undefined : ID_SEGMENTS.find((k) => k.test.test(seg));
    template += sep + (id ? id.name : seg);
    pattern += sep + (id ? id.pattern : literalPattern(seg));
  });
  return { template, pattern: `^${pattern}$` };
}
