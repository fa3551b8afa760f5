import * as path from 'node:path';
import { loadTestFiles } from '../../src';
import type { FtwTest, FtwTestFile } from '../../src';

export const SHARED_CRS = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'crs4');
export const TESTS_DIR = path.join(SHARED_CRS, 'tests', 'regression', 'tests');

let cache: FtwTestFile[] | undefined;

/** The CRS regression suite, loaded once per test file. */
export function crsTestFiles(): FtwTestFile[] {
  cache ??= loadTestFiles(TESTS_DIR);
  return cache;
}

export function crsTest(id: string): FtwTest {
  for (const f of crsTestFiles()) for (const t of f.tests) if (t.id === id) return t;
  throw new Error(`no test ${id}`);
}
