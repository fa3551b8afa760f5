import type { MacroRef, MacroString } from './ast';

const MACRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Splits `text` into literals and `%{COLLECTION}` / `%{COLLECTION.key}` references, as ModSecurity expands them
 * at run time. Anything that is not a well-formed reference (`%{`, `%{}`, `%{ x}`) stays literal text, which
 * is what ModSecurity does with it too.
 */
export function parseMacroString(text: string): MacroString {
  const parts: Array<string | MacroRef> = [];
  let literal = '';
  let i = 0;
  for (;;) {
    const open = text.indexOf('%{', i);
    if (open === -1) break;
    const close = text.indexOf('}', open + 2);
    if (close === -1) break;
    const ref = macroRef(text.slice(open, close + 1));
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
  }
  literal += text.slice(i);
  if (literal !== '' || parts.length === 0) parts.push(literal);
  return { text, parts };
}

function macroRef(raw: string): MacroRef | undefined {
  const inner = raw.slice(2, -1);
  const sep = inner.search(/[.:]/);
  const collection = sep === -1 ? inner : inner.slice(0, sep);
  if (!MACRO_NAME.test(collection)) return undefined;
  if (sep === -1) return { collection: collection.toUpperCase(), raw };
  return { collection: collection.toUpperCase(), key: inner.slice(sep + 1), raw };
}

/** True when the string contains at least one macro reference. */
export function hasMacro(m: MacroString): boolean {
  return m.parts.some((p) => typeof p !== 'string');
}
