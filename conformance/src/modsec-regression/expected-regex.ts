/**
 * The `expected.*` regexes of ModSecurity's runner are PCRE, compiled with DOTALL | MULTILINE
 * (src/utils/regex.cc) and searched anywhere in the text. JavaScript's RegExp with flags `s` and `m` reads the
 * patterns of this suite the same way; a leading `(?i)` becomes the `i` flag. An empty pattern is `.*`.
 * Returns an error message when the pattern does not compile.
 */
export function compileExpected(pattern: string): RegExp | string {
  let source = pattern === '' ? '.*' : pattern;
  let flags = 'sm';
  const inline = /^\(\?([a-z]+)\)/.exec(source);
  if (inline) {
    if (inline[1]!.includes('i')) flags += 'i';
    source = source.slice(inline[0].length);
  }
  try {
    return new RegExp(source, flags);
  } catch (e) {
    return `expected regex does not compile as JavaScript: ${(e as Error).message}`;
  }
}
