import type { MacroRef, MacroString } from '@rampart/seclang';
import RE2 from 're2';
import type { Expandable, MacroScope } from './operators/types';
import { findVariableDefinition, type VariableDefinition } from './variables/table';

/**
 * A reference resolved at load time: its variable's definition (null when unknown) and its key in lower case,
 * so that expanding `%{tx.critical_anomaly_score}` is a collection index read, not two case conversions and
 * a name lookup.
 */
export interface ResolvedMacroRef extends MacroRef {
  readonly definition: VariableDefinition | null;
  readonly lowerKey: string | undefined;
  /**
   * `%{TX:/^header_/}`: libmodsecurity v3 expands a key between slashes to the first entry whose key the regex
   * matches (case-insensitively, as collection keys are).
   */
  readonly keyRegex: RE2 | undefined;
}

function resolveRef(ref: MacroRef): ResolvedMacroRef {
  const key = ref.key;
  let keyRegex: RE2 | undefined;
  if (key !== undefined && key.length > 2 && key.startsWith('/') && key.endsWith('/')) {
    try {
      keyRegex = new RE2(`(?i)${key.slice(1, -1)}`, 's');
    } catch (e) {
      throw new Error(`macro ${ref.raw}: regular expression /${key.slice(1, -1)}/ does not compile: ${(e as Error).message}`);
    }
  }
  return { collection: ref.collection, key, raw: ref.raw, definition: findVariableDefinition(ref.collection) ?? null, lowerKey: key?.toLowerCase(), keyRegex };
}

/** Compiles a parsed macro string once; constant strings expand to themselves without work. */
export function compileMacro(ms: MacroString): Expandable {
  const parts = ms.parts;
  if (parts.length === 0) return constant('');
  if (parts.length === 1 && typeof parts[0] === 'string') return constant(parts[0]);
  const frozen = parts.map((p) => (typeof p === 'string' ? p : resolveRef(p)));
  return {
    constant: undefined,
    expand(scope: MacroScope): string {
      let out = '';
      for (let i = 0; i < frozen.length; i++) {
        const p = frozen[i]!;
        out += typeof p === 'string' ? p : scope.resolve(p);
      }
      return out;
    },
  };
}

export function constant(text: string): Expandable {
  return { constant: text, expand: () => text };
}

/**
 * Splits `%{collection.key}` references out of text. The parser does this for rule text; this small scanner
 * serves values that arrive at run time or from the API (for example a `ctl` value or a default config).
 */
export function splitMacros(text: string): MacroString {
  const parts: Array<string | MacroRef> = [];
  let last = 0;
  let i = text.indexOf('%{');
  while (i !== -1) {
    const end = text.indexOf('}', i + 2);
    if (end === -1) break;
    if (i > last) parts.push(text.slice(last, i));
    const inner = text.slice(i + 2, end);
    const dot = inner.search(/[.:]/);
    const ref: MacroRef =
      dot === -1
        ? { collection: inner.toUpperCase(), raw: text.slice(i, end + 1) }
        : { collection: inner.slice(0, dot).toUpperCase(), key: inner.slice(dot + 1), raw: text.slice(i, end + 1) };
    parts.push(ref);
    last = end + 1;
    // `%{TX.a}%`: the `%` belongs to the reference (libmodsecurity v3's lexer; seclang's parseMacroString).
    if (text.charCodeAt(last) === 0x25 && text.charCodeAt(last + 1) !== 0x7b) last++;
    i = text.indexOf('%{', last);
  }
  if (last < text.length || parts.length === 0) parts.push(text.slice(last));
  return { text, parts };
}
