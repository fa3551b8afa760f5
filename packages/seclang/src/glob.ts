import * as path from 'node:path';

/** The file-system operations include resolution needs; injectable for tests. */
export interface IncludeFs {
  readFile(absPath: string): string;
  /** Entry names of a directory; throws when it cannot be read. */
  readDir(absPath: string): string[];
  /** True for a directory; false for anything else or a missing path. */
  isDirectory(absPath: string): boolean;
}

const MAGIC = /[*?[]/;

export function hasGlob(pattern: string): boolean {
  return MAGIC.test(pattern);
}

/**
 * Expands `*`, `?` and `[...]` (with `!`/`^` negation and ranges) in any segment of an absolute path, as
 * Apache's Include does. Matches are sorted (per segment, byte order) and exclude dot-files unless the pattern
 * segment starts with a dot. Returns [] when nothing matches.
 */
export function expandGlob(absPattern: string, fs: IncludeFs): string[] {
  const root = path.parse(absPattern).root;
  const segments = absPattern.slice(root.length).split(/[\\/]+/).filter((s) => s !== '');
  let current = [root];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as string;
    const next: string[] = [];
    if (!hasGlob(seg)) {
      for (const dir of current) next.push(path.join(dir, seg));
    } else {
      const re = segmentRegex(seg);
      for (const dir of current) {
        let names: string[];
        try {
          if (!isDir(fs, dir)) continue;
          names = fs.readDir(dir);
        } catch {
          continue;
        }
        const matched = names.filter((n) => re.test(n) && (seg.startsWith('.') || !n.startsWith('.'))).sort();
        for (const n of matched) next.push(path.join(dir, n));
      }
      // Later segments need directories; the last one keeps only files (Apache skips directories there).
      const isLast = i === segments.length - 1;
      current = isLast ? next.filter((p) => !isDir(fs, p)) : next;
      continue;
    }
    current = next;
  }
  return current;
}

function isDir(fs: IncludeFs, p: string): boolean {
  try {
    return fs.isDirectory(p);
  } catch {
    return false;
  }
}

function segmentRegex(seg: string): RegExp {
  let re = '^';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = seg.indexOf(']', i + 2);
      if (close === -1) {
        re += '\\[';
        continue;
      }
      let body = seg.slice(i + 1, close);
      let negate = false;
      if (body.startsWith('!') || body.startsWith('^')) {
        negate = true;
        body = body.slice(1);
      }
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
      i = close;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`);
}
