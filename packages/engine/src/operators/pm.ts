import { defineOperator, withLocator } from './types';
import { OperatorCompileError } from './errors';
import { PhraseMatcher } from './aho-corasick';

/** C `isspace`: the separators between `@pm` phrases. */
const C_SPACE = /[ \t\n\v\f\r]+/;
const C_SPACE_CHAR = /^[ \t\n\v\f\r]$/;

/**
 * Reads a `@pm` argument: optional surrounding double quotes, phrases separated by whitespace outside
 * `|41 42|` hexadecimal byte blocks (so `|0d 0a|` is one phrase, CR LF), `\:` `\;` `\\` `\"` escapes. An
 * argument with any other escape is taken literally, as ModSecurity falls back to the raw text then.
 * Macros are not expanded in `@pm` phrases (ModSecurity does not either).
 */
export function parsePmPhrases(raw: string): string[] {
  let text = raw.replace(/^[ \t]+/, '');
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1);
  const rawPhrases: string[] = [];
  let current = '';
  let bin = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '|' && text[i - 1] !== '\\') bin = !bin;
    if (!bin && C_SPACE_CHAR.test(c)) {
      if (current !== '') rawPhrases.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  if (current !== '') rawPhrases.push(current);
  const decoded: string[] = [];
  for (const phrase of rawPhrases) {
    const d = decodePmContent(phrase);
    if (d === undefined) return raw.split(C_SPACE).filter((p) => p !== '');
    if (d !== '') decoded.push(d);
  }
  return decoded;
}

function decodePmContent(text: string): string | undefined {
  let out = '';
  let bin = false;
  let esc = false;
  let hex = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '|' && !esc) {
      if (bin && hex !== '') {
        throw new OperatorCompileError('bad-argument', `@pm: odd number of hex digits in |...| block: "${text}"`);
      }
      bin = !bin;
    } else if (bin) {
      if (/[0-9A-Fa-f]/.test(c)) {
        hex += c;
        if (hex.length === 2) {
          out += String.fromCharCode(parseInt(hex, 16));
          hex = '';
        }
      } else if (c !== ' ') {
        throw new OperatorCompileError('bad-argument', `@pm: "${c}" is not a hex digit inside |...|: "${text}"`);
      }
    } else if (esc) {
      if (c !== ':' && c !== ';' && c !== '\\' && c !== '"') return undefined;
      out += c;
      esc = false;
    } else if (c === '\\') {
      esc = true;
    } else {
      out += c;
    }
  }
  if (bin) throw new OperatorCompileError('bad-argument', `@pm: unterminated |...| hex block: "${text}"`);
  return out;
}

/**
 * Matches when any of the space-separated phrases occurs in the input, case-insensitively (ASCII), using
 * an Aho-Corasick automaton built at load time. With `capture`, TX:0 is the phrase found, spelled as in the
 * rule (ModSecurity v3 stores its automaton's text, not the input's bytes).
 * @example SecRule REQUEST_HEADERS:Accept-Encoding "@pm gzip compress deflate br zstd" "id:158,phase:1,capture,pass"
 */
export const pm = defineOperator({
  name: 'pm',
  compile(argument, ctx) {
    const phrases = parsePmPhrases(argument.text);
    if (phrases.length === 0) throw new OperatorCompileError('bad-argument', '@pm needs at least one phrase');
    const matcher = PhraseMatcher.create(phrases, ctx.options.memo);
    return withLocator((input, run) => {
      const found = matcher.search(input);
      if (found === undefined) return false;
      if (run.captures !== null) run.captures[0] = found;
      return true;
    }, (input) => matcher.locate(input));
  },
});
