import type { HeaderTuple } from './types';

function isTokenByte(c: number): boolean {
  // RFC 7230 tchar, which is what textproto accepts before it canonicalises.
  return (
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || '!#$%&\'*+-.^_`|~'.includes(String.fromCharCode(c))
  );
}

/** textproto.CanonicalMIMEHeaderKey: `content-type` -> `Content-Type`; names with invalid bytes are left as is. */
export function canonicalHeaderKey(name: string): string {
  for (let i = 0; i < name.length; i++) if (!isTokenByte(name.charCodeAt(i))) return name;
  let upper = true;
  let out = '';
  for (const ch of name) {
    out += upper ? ch.toUpperCase() : ch.toLowerCase();
    upper = ch === '-';
  }
  return out;
}

/** go-ftw's ordered header list: lookups by canonical name, output in insertion order. */
export class FtwHeaders {
  readonly entries: HeaderTuple[] = [];

  add(name: string, value: string): void {
    this.entries.push({ name, value });
  }

  hasAny(name: string): boolean {
    const key = canonicalHeaderKey(name);
    return this.entries.some((e) => canonicalHeaderKey(e.name) === key);
  }

  /** strings.EqualFold on the whole value. */
  hasAnyValue(name: string, value: string): boolean {
    const key = canonicalHeaderKey(name);
    return this.entries.some((e) => canonicalHeaderKey(e.name) === key && e.value.toLowerCase() === value.toLowerCase());
  }

  hasAnyValueContaining(name: string, needle: string): boolean {
    const key = canonicalHeaderKey(name);
    return this.entries.some((e) => canonicalHeaderKey(e.name) === key && e.value.toLowerCase().includes(needle.toLowerCase()));
  }
}
