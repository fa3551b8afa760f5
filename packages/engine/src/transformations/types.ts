/**
 * The contract of a transformation (`t:name`). Inputs and outputs are latin1 strings: one char = one byte.
 * A transformation is a pure function of its input and the WAF-wide context; it never throws.
 */
export interface TransformationContext {
  /**
   * Unicode code point -> single byte, from `SecUnicodeMapFile FILE CODEPAGE` (used by urlDecodeUni for
   * `%uXXXX`). Undefined when no map is configured.
   */
  unicodeMap?: ReadonlyMap<number, number>;
}

export interface TransformationDefinition {
  /** Canonical name as in the catalog, e.g. `normalizePath`. */
  name: string;
  /** Other accepted spellings, e.g. `normalisePath`. */
  aliases?: readonly string[];
  transform(input: string, ctx: TransformationContext): string;
}

export function defineTransformation(def: TransformationDefinition): TransformationDefinition {
  return def;
}
