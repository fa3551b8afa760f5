/**
 * Upper-cases ASCII letters only. `String#toUpperCase` is wrong for latin1 byte strings: it maps
 * `ß` to `SS` and `ÿ` to U+0178, which would invent matches (`<xß>` as `XSS`) that byte-level
 * libinjection never makes.
 */
export function asciiUpper(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
  }
  return s.toUpperCase();
}

/** `s` without its NUL bytes (libinjection skips them when comparing names). */
export function stripNul(s: string): string {
  return s.includes('\0') ? s.replace(/\0/g, '') : s;
}
