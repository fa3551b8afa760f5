import { outputBuffer } from './bytes';

const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const DOT = 0x2e;

/**
 * ModSecurity's `normalize_path_inplace`, shared by normalizePath and normalizePathWin (`win` also treats
 * `\` as `/`, converting it as the scan reaches it). Ported step by step rather than rewritten because its
 * edge cases are the behaviour: a leading `../` of a relative path is kept (there is nothing to go up to),
 * `..` never climbs above the root of an absolute path, `.` segments and repeated slashes go, and a trailing
 * slash is kept only when the input had one.
 */
export function normalizePathBytes(input: string, win: boolean): string {
  const n = input.length;
  if (n === 0) return input;
  // Without a separator the whole input is one segment, and only a final `.` can change anything.
  if (input.charCodeAt(n - 1) !== DOT && input.indexOf('/') < 0 && !(win && input.indexOf('\\') >= 0)) return input;
  // Rewritten in place, in the shared scratch buffer for short paths: only [0, n) holds this input.
  const b = outputBuffer(n);
  // Short paths are copied byte by byte; longer ones with one native call (as ByteSink does).
  if (n > 48) b.write(input, 0, n, 'latin1');
  else for (let k = 0; k < n; k++) b[k] = input.charCodeAt(k);
  const at = (k: number): number => (k >= 0 && k < n ? (b[k] as number) : 0);
  const isSep = (c: number): boolean => c === SLASH || (win && c === BACKSLASH);
  const end = n - 1;
  const relative = !isSep(at(0));
  const trailing = isSep(at(end));
  let src = 0;
  let dst = 0;
  let hitRoot = false;
  let done = false;

  while (!done && src <= end && dst <= end) {
    if (win) {
      if (at(src) === BACKSLASH) b[src] = SLASH;
      if (src < end && at(src + 1) === BACKSLASH) b[src + 1] = SLASH;
    }

    let normalize = true;
    if (src === end) done = true;
    else if (at(src + 1) !== SLASH) normalize = false; // not the end of a path segment

    if (normalize) {
      if (src !== end && at(src) === SLASH) {
        // Empty segment: the copy step below collapses the slashes.
      } else if (at(src) === DOT) {
        if (dst > 0 && at(dst - 1) === DOT) {
          // A back-reference.
          if (relative && (hitRoot || dst - 2 <= 0)) {
            // Nothing left to remove in a relative path: keep the "..".
            hitRoot = true;
          } else {
            dst -= 3;
            while (dst > 0 && at(dst) !== SLASH) dst--;
            if (dst <= 0) {
              hitRoot = true;
              dst = 0;
              // An absolute path that ends on a back-reference keeps its root slash.
              if (!relative && src === end) dst++;
            }
            if (done) continue;
            src++;
          }
        } else if (dst === 0) {
          // A leading self-reference of a relative path.
          if (done) continue;
          src++;
        } else if (at(dst - 1) === SLASH) {
          // A self-reference.
          if (done) continue;
          dst--;
          src++;
        }
      } else if (dst > 0) {
        hitRoot = false;
      }
    }

    // Copy one byte, collapsing runs of slashes to the last one.
    if (at(src) === SLASH) {
      while (src < end && isSep(at(src + 1))) src++;
      // A relative path does not get a leading slash: step over it.
      if (relative && dst === 0) {
        src++;
        continue;
      }
    }
    b[dst++] = at(src++);
  }

  if (!trailing && dst > 0 && at(dst - 1) === SLASH) dst--;
  return b.toString('latin1', 0, dst);
}
