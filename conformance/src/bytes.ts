/** YAML text is Unicode; go-ftw sends Go strings, i.e. their UTF-8 bytes. Returns those bytes as latin1. */
export function utf8Bytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

export function latin1Buffer(bytes: string): Buffer {
  return Buffer.from(bytes, 'latin1');
}

/** Go's base64.StdEncoding: padded; CR and LF are skipped (Go's decoder ignores them); anything else is an error. */
export function decodeStdBase64(encoded: string): string | undefined {
  const text = encoded.replace(/[\r\n]/g, '');
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  return Buffer.from(text, 'base64').toString('latin1');
}
