import * as fs from 'node:fs';
import * as path from 'node:path';

/** CRS v4 is staged read-only next to the repository; tests read it in place and never copy it. */
export const CRS_DIR = path.resolve(__dirname, '../../../../shared/crs4');

/** crs-setup.conf.example, then rules/*.conf in name order (the order ModSecurity loads them in). */
export function crsFiles(): string[] {
  const rules = path.join(CRS_DIR, 'rules');
  return [
    path.join(CRS_DIR, 'crs-setup.conf.example'),
    ...fs
      .readdirSync(rules)
      .filter((f) => f.endsWith('.conf'))
      .sort()
      .map((f) => path.join(rules, f)),
  ];
}

/** A deep copy without `loc` fields, for comparing ASTs parsed from different texts. */
export function stripLocations<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'loc' ? undefined : v))) as T;
}
