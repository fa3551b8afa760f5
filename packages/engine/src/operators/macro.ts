/**
 * Macro strings for operator arguments: a tiny scanner that splits `%{collection.key}` references out of
 * plain text (for the standalone helper and tests; rule files get theirs from the SecLang parser) and a
 * default compiler of a MacroString into an Expandable.
 */
import type { MacroRef, MacroString } from '@rampart/seclang';
import type { Expandable, MacroScope } from './types';

/** Splits `%{...}` references the way ModSecurity reads them: `%{NAME}` or `%{NAME.key}` / `%{NAME:key}`. */
export function parseMacroText(text: string): MacroString {
  const parts: Array<string | MacroRef> = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('%{', i);
    if (start < 0) break;
    const end = text.indexOf('}', start + 2);
    if (end < 0) break;
    const inner = text.slice(start + 2, end);
    if (!/^[A-Za-z_][A-Za-z0-9_]*(?:[.:][^}]*)?$/.test(inner)) {
      literal += text.slice(i, start + 2);
      i = start + 2;
      continue;
    }
    literal += text.slice(i, start);
    if (literal !== '') parts.push(literal);
    literal = '';
    const sep = inner.search(/[.:]/);
    const ref: MacroRef =
      sep < 0
        ? { collection: inner.toUpperCase(), raw: `%{${inner}}` }
        : { collection: inner.slice(0, sep).toUpperCase(), key: inner.slice(sep + 1), raw: `%{${inner}}` };
    parts.push(ref);
    i = end + 1;
  }
  literal += text.slice(i);
  if (literal !== '' || parts.length === 0) parts.push(literal);
  return { text, parts };
}

/** True when the macro string contains at least one reference. */
export function hasMacros(text: MacroString): boolean {
  return text.parts.some((p) => typeof p !== 'string');
}

/** Compiles a MacroString: constant text is kept as is, references are resolved through the scope. */
export function compileMacro(text: MacroString): Expandable {
  if (!hasMacros(text)) {
    const constant = text.parts.map((p) => p as string).join('');
    return { constant, expand: () => constant };
  }
  const parts = text.parts;
  return {
    constant: undefined,
    expand(scope: MacroScope): string {
      let out = '';
      for (const p of parts) out += typeof p === 'string' ? p : scope.resolve(p);
      return out;
    },
  };
}
