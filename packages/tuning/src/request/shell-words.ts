import { RequestInputError } from './http-request';

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?',
};

/** A code point as its UTF-8 bytes, one char per byte. */
function utf8Bytes(codePoint: number): string {
  return codePoint > 0x10ffff ? '' : Buffer.from(String.fromCodePoint(codePoint), 'utf8').toString('latin1');
}

/** The body of `$'...'` from `i` (after the opening quote): its bytes, and where the closing quote is. */
function ansiC(text: string, i: number): { bytes: string; end: number } {
  let bytes = '';
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") return { bytes, end: i };
    if (c !== '\\') {
      bytes += utf8Bytes(c.codePointAt(0)!);
      if (c.codePointAt(0)! > 0xffff) i++;
      continue;
    }
    const n = text[i + 1];
    if (n === undefined) break;
    i++;
    if (SIMPLE_ESCAPES[n] !== undefined) bytes += SIMPLE_ESCAPES[n];
    else if (n === 'x') {
      const m = /^[0-9A-Fa-f]{1,2}/.exec(text.slice(i + 1, i + 3));
      if (!m) bytes += '\\x';
      else {
        bytes += String.fromCharCode(parseInt(m[0], 16));
        i += m[0].length;
      }
    } else if (n === 'u' || n === 'U') {
      const m = (n === 'u' ? /^[0-9A-Fa-f]{1,4}/ : /^[0-9A-Fa-f]{1,8}/).exec(text.slice(i + 1, i + 9));
      if (!m) bytes += `\\${n}`;
      else {
        bytes += utf8Bytes(parseInt(m[0], 16));
        i += m[0].length;
      }
    } else if (/[0-7]/.test(n)) {
      const m = /^[0-7]{1,3}/.exec(text.slice(i, i + 3))!;
      bytes += String.fromCharCode(parseInt(m[0], 8) & 0xff);
      i += m[0].length - 1;
    } else if (n === 'c') {
      const ch = text[i + 1];
      if (ch !== undefined) {
        bytes += String.fromCharCode(ch.charCodeAt(0) & 0x1f);
        i++;
      }
    } else bytes += `\\${utf8Bytes(n.codePointAt(0)!)}`;
  }
  throw new RequestInputError("the command line has a $'...' quote that is not closed");
}

/**
 * Splits a command line as a POSIX shell (bash) would, into words of bytes (one char per byte): blanks separate
 * words; `'...'` is literal; `"..."` takes `\` before `"`, `\`, `$` and `` ` ``; `$'...'` is ANSI-C quoting, where
 * `\xHH` is one byte and `\uHHHH` a character sent as its UTF-8 bytes (what browsers' "Copy as cURL" writes);
 * backslash-newline continues the line; `#` at the start of a word begins a comment. Other text is taken as
 * its UTF-8 bytes. Nothing is expanded (`$VAR`, globs): a command copied for a request has none to expand.
 *
 * Why not a shell-lexer package: the ones on npm (shlex, shell-quote) decode `\xc3` and `\u00c3` to the same
 * JavaScript character, losing whether a byte or a character was meant; the request bytes depend on it.
 *
 * @example splitShellWords("curl -H $'X: caf\\xc3\\xa9' 'http://x/'") // ['curl', '-H', 'X: caf\xc3\xa9', 'http://x/']
 */
export function splitShellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  const add = (s: string): void => {
    word = (word ?? '') + s;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (word !== undefined) words.push(word);
      word = undefined;
      continue;
    }
    if (c === '#' && word === undefined) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl;
      continue;
    }
    if (c === '\\') {
      const n = text[i + 1];
      if (n === undefined) break;
      i++;
      if (n === '\n') continue;
      if (n === '\r' && text[i + 1] === '\n') {
        i++;
        continue;
      }
      add(utf8Bytes(n.codePointAt(0)!));
      continue;
    }
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) throw new RequestInputError("the command line has a '...' quote that is not closed");
      add(Buffer.from(text.slice(i + 1, end), 'utf8').toString('latin1'));
      i = end;
      continue;
    }
    if (c === '$' && text[i + 1] === "'") {
      const r = ansiC(text, i + 2);
      add(r.bytes);
      i = r.end;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let s = '';
      for (; j < text.length && text[j] !== '"'; j++) {
        const d = text[j]!;
        if (d === '\\' && j + 1 < text.length && '"\\$`\n'.includes(text[j + 1]!)) {
          j++;
          if (text[j] !== '\n') s += text[j];
          continue;
        }
        s += d;
      }
      if (j >= text.length) throw new RequestInputError('the command line has a "..." quote that is not closed');
      add(Buffer.from(s, 'utf8').toString('latin1'));
      i = j;
      continue;
    }
    const cp = c.codePointAt(0)!;
    add(utf8Bytes(cp));
    if (cp > 0xffff) i++;
  }
  if (word !== undefined) words.push(word);
  return words;
}
