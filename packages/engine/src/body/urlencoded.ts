/**
 * The `application/x-www-form-urlencoded` parser, as ModSecurity v3 runs it on the request body (ARGS_POST) and on
 * QUERY_STRING (ARGS_GET) (`Transaction::extractArguments`):
 *
 * - The input is split on the separator (`SecArgumentSeparator`, default `&`) the way `std::getline` splits: an empty
 *   piece between two separators is kept (it becomes an argument with an empty name and value), a trailing separator
 *   adds nothing, and an empty input gives no argument.
 * - Each piece is split at its first `=`; without `=` the whole piece is the name and the value is empty.
 * - Name and value are decoded with `urlDecodeNonStrict`: `+` becomes a space, `%XX` becomes the byte, and a `%`
 *   not followed by two hex digits is kept as it is and counted as invalid, which sets URLENCODED_ERROR. The argument
 *   is still added.
 * - At most `argumentsLimit` arguments are added (ModSecurity skips further ones silently: `limitExceeded` says so).
 *
 * @example SecRule ARGS_POST:username "@rx admin" "id:1001,phase:2,deny"
 */
export interface Arg {
  readonly name: string;
  readonly value: string;
}

export interface UrlencodedOptions {
  /** One character, from SecArgumentSeparator; `&` when not set. */
  readonly separator?: string;
  /** How many more arguments may be added (SecArgumentsLimit minus the ARGS already present); no limit when absent. */
  readonly argumentsLimit?: number;
}

export interface UrlencodedResult {
  readonly args: Arg[];
  /** True when a name or value held an invalid `%` encoding (URLENCODED_ERROR = 1). */
  readonly invalidEncoding: boolean;
  /** A description when `invalidEncoding` (ours: ModSecurity v3 sets URLENCODED_ERROR without a message). Invalid
   *  encodings never set REQBODY_ERROR. */
  readonly error?: string;
  /** True when arguments were dropped because of `argumentsLimit`. */
  readonly limitExceeded: boolean;
}

export function parseUrlencoded(input: string, options: UrlencodedOptions = {}): UrlencodedResult {
  const separator = options.separator === undefined || options.separator === '' ? '&' : options.separator.charAt(0);
  const limit = options.argumentsLimit ?? Infinity;
  const args: Arg[] = [];
  let invalid = false;
  let limitExceeded = false;
  let start = 0;
  const length = input.length;
  while (start < length) {
    let end = input.indexOf(separator, start);
    if (end === -1) end = length;
    if (args.length >= limit) {
      limitExceeded = true;
      break;
    }
    const piece = input.slice(start, end);
    const eq = piece.indexOf('=');
    const rawName = eq === -1 ? piece : piece.slice(0, eq);
    const rawValue = eq === -1 ? '' : piece.slice(eq + 1);
    const name = urlDecodeNonStrict(rawName);
    const value = urlDecodeNonStrict(rawValue);
    if (name.invalid || value.invalid) invalid = true;
    args.push({ name: name.value, value: value.value });
    start = end + 1;
  }
  return {
    args,
    invalidEncoding: invalid,
    ...(invalid ? { error: 'URL-encoded data has an invalid encoding' } : {}),
    limitExceeded,
  };
}

/** Same rules as the body, for QUERY_STRING -> ARGS_GET. */
export function parseQueryString(queryString: string, options: UrlencodedOptions = {}): UrlencodedResult {
  return parseUrlencoded(queryString, options);
}

export interface DecodeResult {
  readonly value: string;
  /** True when a `%` was not followed by two hex digits (kept as is). */
  readonly invalid: boolean;
}

/** ModSecurity's `urldecode_nonstrict`: `+` -> space, valid `%XX` -> byte, anything else copied. */
export function urlDecodeNonStrict(input: string): DecodeResult {
  if (input.indexOf('%') === -1 && input.indexOf('+') === -1) return { value: input, invalid: false };
  let out = '';
  let invalid = false;
  let runStart = 0;
  const length = input.length;
  for (let i = 0; i < length; i++) {
    const c = input.charCodeAt(i);
    if (c === 0x2b) {
      out += input.slice(runStart, i) + ' ';
      runStart = i + 1;
    } else if (c === 0x25) {
      const h1 = i + 2 < length ? hexValue(input.charCodeAt(i + 1)) : -1;
      const h2 = i + 2 < length ? hexValue(input.charCodeAt(i + 2)) : -1;
      if (h1 >= 0 && h2 >= 0) {
        out += input.slice(runStart, i) + String.fromCharCode(h1 * 16 + h2);
        i += 2;
        runStart = i + 1;
      } else {
        invalid = true;
      }
    }
  }
  out += input.slice(runStart);
  return { value: out, invalid };
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}
