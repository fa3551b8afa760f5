import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

/** Shared, read-only fixtures recorded from real HAProxy 2.6.12 and 3.4.0 (never copied into the repo). */
export const FIXTURE_DIR = path.resolve(__dirname, '../../../../../shared/spop-fixtures');

export interface Fixture {
  name: string;
  bytes: Buffer;
  json: { direction: string; decoded: Record<string, unknown> };
}

export function parseHex(text: string): Buffer {
  const hex = text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join(' ')
    .replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new Error('bad hex');
  return Buffer.from(hex, 'hex');
}

export function loadFixtures(): Fixture[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.hex'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -4);
      return {
        name,
        bytes: parseHex(readFileSync(path.join(FIXTURE_DIR, f), 'latin1')),
        json: JSON.parse(readFileSync(path.join(FIXTURE_DIR, `${name}.json`), 'utf8')) as Fixture['json'],
      };
    });
}
