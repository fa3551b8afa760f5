import type { ConfigAst } from '@rampart/seclang';
import type { LintSettings } from '../types';

/** `4.28.0` from `OWASP_CRS/4.28.0` (or a bare version); undefined for anything else. */
export function parseCrsVersion(text: string): string | undefined {
  const m = /^(?:OWASP_CRS\/)?v?([0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?)$/.exec(text.trim());
  return m === null ? undefined : m[1];
}

/**
 * The CRS version the linted rules must carry: `settings.crsVersion` when given, else what the rules say of
 * themselves in `SecComponentSignature "OWASP_CRS/4.28.0"` (REQUEST-901-INITIALIZATION.conf).
 */
export function expectedCrsVersion(ast: ConfigAst, settings: LintSettings): { version: string; from: string } | undefined {
  if (settings.crsVersion !== undefined) {
    const v = parseCrsVersion(settings.crsVersion);
    if (v !== undefined) return { version: v, from: '--crs-version' };
  }
  for (const d of ast.directives) {
    if (d.kind === 'Setting' && d.name === 'SecComponentSignature' && d.args[0] !== undefined) {
      const v = parseCrsVersion(d.args[0]);
      if (v !== undefined) return { version: v, from: `SecComponentSignature (${d.loc.file}:${d.loc.line})` };
    }
  }
  return undefined;
}

/** CRS's `tx.crs_setup_version` for a version: its numbers written one after the other (3.3.4 -> 334, 4.28.0 -> 4280). */
export function setupVersionNumber(version: string): number | undefined {
  const m = /^([0-9]+)\.([0-9]+)\.([0-9]+)/.exec(version);
  if (m === null) return undefined;
  return Number(`${m[1]}${m[2]}${m[3]}`);
}
