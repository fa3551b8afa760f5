/**
 * The `expected.*` regexes of ModSecurity's runner are PCRE, compiled with DOTALL | MULTILINE
 * (src/utils/regex.cc) and searched anywhere in the text. JavaScript's RegExp with flags `s` and `m` reads the
 * patterns of this suite the same way, except PCRE's subject anchors, which JavaScript reads as the letters A, z
 * and Z: they are spelled as lookarounds (pcreAnchors). A leading `(?i)` becomes the `i` flag. An empty pattern
 * is `.*`. Returns an error message when the pattern does not compile.
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
    return new RegExp(pcreAnchors(source), flags);
  } catch (e) {
    return `expected regex does not compile as JavaScript: ${(e as Error).message}`;
  }
}

/** PCRE's anchors that MULTILINE leaves alone, as JavaScript lookarounds. */
const ANCHORS: Record<string, string> = {
  A: '(?<![\\s\\S])', // start of the subject
  z: '(?![\\s\\S])', // end of the subject
  Z: '(?=\\n?(?![\\s\\S]))', // end of the subject, or before a final newline
};

/** Rewrites `\A`, `\z` and `\Z` outside character classes; every other escape is copied as written. */
function pcreAnchors(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\' && i + 1 < source.length) {
      const n = source[i + 1]!;
      out += !inClass && n in ANCHORS ? ANCHORS[n] : c + n;
      i++;
      continue;
    }
    if (c === '[' && !inClass) {
      inClass = true;
      out += c;
      // A `]` (after an optional `^`) right at the start of a class is a literal.
      if (source[i + 1] === '^') out += source[++i];
      if (source[i + 1] === ']') out += source[++i];
      continue;
    }
    if (c === ']' && inClass) inClass = false;
    out += c;
  }
  return out;
}
