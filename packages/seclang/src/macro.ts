import type { MacroRef, MacroString } from './ast';

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/**
 * Splits `text` into literals and `%{COLLECTION}` / `%{COLLECTION.key}` references, as ModSecurity expands them
 * at run time. Anything that is not a well-formed reference (`%{`, `%{}`, `%{ x}`) stays literal text, which
 * is what ModSecurity does with it too. A `%` right after a reference's `}` belongs to it (`%{TX.a}%`, an old
 * spelling) and is dropped, as libmodsecurity v3's lexer drops it, unless it opens the next reference (`}%{`).
 */
export function parseMacroString(text: string): MacroString {
  const parts: Array<string | MacroRef> = [];
  let literal = '';
  let i = 0;
  let close = -1;
  for (;;) {
    const open = text.indexOf('%{', i);
    if (open === -1) break;
    // Reuse the last `}` found while it is still ahead, so that many `%{` before one `}` stay linear.
    if (close < open + 2) close = text.indexOf('}', open + 2);
    if (close === -1) break;
    const ref = macroRef(text, open, close);
    if (ref === undefined) {
      literal += text.slice(i, open + 2);
      i = open + 2;
      continue;
    }
    literal += text.slice(i, open);
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push(ref);
    i = close + 1;
    if (text.charCodeAt(i) === 0x25 && text.charCodeAt(i + 1) !== 0x7b) i++;
  }
  literal += text.slice(i);
  if (literal !== '' || parts.length === 0) parts.push(literal);
  return { text, parts };
}

/** The reference `text[open .. close]` (`%{...}`), or undefined when it is not a well-formed one. */
function macroRef(text: string, open: number, close: number): MacroRef | undefined {
  // Check the name before slicing anything, so that a stray `%{` costs nothing however far the `}` is.
  let i = open + 2;
  while (i < close && NAME_CHAR.test(text[i] as string)) i++;
  const sepChar = text[i];
  if (i === open + 2 || (i < close && sepChar !== '.' && sepChar !== ':') || !NAME_START.test(text[open + 2] as string)) {
    return undefined;
  }
  const collection = text.slice(open + 2, i).toUpperCase();
  const raw = text.slice(open, close + 1);
  if (i === close) return { collection, raw };
  return { collection, key: text.slice(i + 1, close), raw };
}

/** True when the string contains at least one macro reference. */
export function hasMacro(m: MacroString): boolean {
  return m.parts.some((p) => typeof p !== 'string');
}
