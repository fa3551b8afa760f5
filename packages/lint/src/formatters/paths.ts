import * as path from 'node:path';

/** A path relative to `cwd` when the file lies under it (shorter, stable output), else absolute. */
export function displayPath(file: string, cwd: string): string {
  if (!path.isAbsolute(file)) return file;
  const rel = path.relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
