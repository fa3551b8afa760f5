/**
 * The detectors work on bytes held as a latin1 string (one char per byte). A code unit above 0xFF
 * means the caller handed over decoded text instead: it is re-encoded as UTF-8 bytes, which is what
 * ModSecurity would have seen, rather than letting the tokenizers misread it.
 */
export function toByteString(input: string): string {
  return NON_BYTE.test(input) ? Buffer.from(input, 'utf8').toString('latin1') : input;
}

const NON_BYTE = /[^\x00-\xff]/;
