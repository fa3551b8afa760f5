import { base64Decode } from './base64-decode';
import { base64DecodeExt } from './base64-decode-ext';
import { base64Encode } from './base64-encode';
import { cmdLine } from './cmd-line';
import { compressWhitespace } from './compress-whitespace';
import { cssDecode } from './css-decode';
import { DuplicateTransformationError, UnknownTransformationError } from './errors';
import { escapeSeqDecode } from './escape-seq-decode';
import { hexDecode } from './hex-decode';
import { hexEncode } from './hex-encode';
import { htmlEntityDecode } from './html-entity-decode';
import { jsDecode } from './js-decode';
import { length } from './length';
import { lowercase } from './lowercase';
import { md5 } from './md5';
import { none } from './none';
import { normalizePath } from './normalize-path';
import { normalizePathWin } from './normalize-path-win';
import { parityEven7bit } from './parity-even-7bit';
import { parityOdd7bit } from './parity-odd-7bit';
import { parityZero7bit } from './parity-zero-7bit';
import { removeComments } from './remove-comments';
import { removeCommentsChar } from './remove-comments-char';
import { removeNulls } from './remove-nulls';
import { removeWhitespace } from './remove-whitespace';
import { replaceComments } from './replace-comments';
import { replaceNulls } from './replace-nulls';
import { sha1 } from './sha1';
import { sqlHexDecode } from './sql-hex-decode';
import { trim } from './trim';
import { trimLeft } from './trim-left';
import { trimRight } from './trim-right';
import type { TransformationContext, TransformationDefinition } from './types';
import { uppercase } from './uppercase';
import { urlDecode } from './url-decode';
import { urlDecodeUni } from './url-decode-uni';
import { urlEncode } from './url-encode';
import { utf8toUnicode } from './utf8-to-unicode';

export { defineTransformation } from './types';
export type { TransformationContext, TransformationDefinition } from './types';
export { DuplicateTransformationError, UnknownTransformationError } from './errors';
export { loadUnicodeMap } from './unicode-map';

/** Every built-in transformation, keyed by canonical name, sorted. */
export const builtinTransformations = {
  base64Decode,
  base64DecodeExt,
  base64Encode,
  cmdLine,
  compressWhitespace,
  cssDecode,
  escapeSeqDecode,
  hexDecode,
  hexEncode,
  htmlEntityDecode,
  jsDecode,
  length,
  lowercase,
  md5,
  none,
  normalizePath,
  normalizePathWin,
  parityEven7bit,
  parityOdd7bit,
  parityZero7bit,
  removeComments,
  removeCommentsChar,
  removeNulls,
  removeWhitespace,
  replaceComments,
  replaceNulls,
  sha1,
  sqlHexDecode,
  trim,
  trimLeft,
  trimRight,
  uppercase,
  urlDecode,
  urlDecodeUni,
  urlEncode,
  utf8toUnicode,
} as const satisfies Readonly<Record<string, TransformationDefinition>>;

export type BuiltinTransformationName = keyof typeof builtinTransformations;

/**
 * Builds the case-insensitive lookup (names and aliases). A name claimed twice is a programming error and
 * fails at module load rather than one definition silently replacing the other.
 */
export function buildTransformationIndex(
  definitions: Iterable<TransformationDefinition>,
): ReadonlyMap<string, TransformationDefinition> {
  const index = new Map<string, TransformationDefinition>();
  for (const def of definitions) {
    for (const name of [def.name, ...(def.aliases ?? [])]) {
      const key = name.toLowerCase();
      if (index.has(key)) throw new DuplicateTransformationError(name);
      index.set(key, def);
    }
  }
  return index;
}

const BY_NAME = buildTransformationIndex(Object.values(builtinTransformations));

/** The transformation called `name` (any case, aliases such as `normalisePath` included), or undefined. */
export function findTransformation(name: string): TransformationDefinition | undefined {
  return BY_NAME.get(name.toLowerCase());
}

const NO_CONTEXT: TransformationContext = {};

/**
 * Applies one transformation by name, e.g. `transform('urlDecodeUni', value)`. Throws an
 * UnknownTransformationError for a name that is not a transformation; the transformation itself never throws.
 */
export function transform(name: string, input: string, ctx: TransformationContext = NO_CONTEXT): string {
  const def = findTransformation(name);
  if (def === undefined) throw new UnknownTransformationError(name);
  return def.transform(input, ctx);
}
