import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import * as tar from 'tar';
import { CrsError } from './errors';

/**
 * Reads a release archive (tar.gz) with node-tar, the maintained implementation npm itself uses: gzip, ustar,
 * pax and GNU long names, with its path safety (no absolute paths, no `..`, no writing through links). Strict
 * mode turns every warning (a bad header checksum, a truncated entry, a bad gzip stream) into an error, so a
 * damaged download is refused, never half-read.
 */

function run(stream: NodeJS.WritableStream & NodeJS.EventEmitter, archive: Buffer, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let failed = false;
    const fail = (err: unknown): void => {
      if (failed) return;
      failed = true;
      const message = err instanceof Error ? err.message : String(err);
      reject(new CrsError('CRS_ARCHIVE_INVALID', `${what}: not a valid tar.gz archive (${message})`));
    };
    stream.on('error', fail);
    stream.on('close', () => {
      if (!failed) resolve();
    });
    stream.on('finish', () => {
      if (!failed) resolve();
    });
    try {
      stream.end(archive);
    } catch (err) {
      fail(err);
    }
  });
}

/** The paths of the archive's entries. */
export async function listArchive(archive: Buffer, what = 'archive'): Promise<string[]> {
  const paths: string[] = [];
  let entries = 0;
  const parser = tar.t({
    strict: true,
    onReadEntry: (entry) => {
      entries++;
      paths.push(entry.path);
    },
  });
  await run(parser as unknown as NodeJS.WritableStream & NodeJS.EventEmitter, archive, what);
  if (entries === 0) throw new CrsError('CRS_ARCHIVE_INVALID', `${what}: the archive has no entries`);
  return paths;
}

/** GitHub wraps the tree in one top directory: strip it only when every entry shares it. */
export function commonTopLevel(paths: readonly string[]): number {
  const tops = new Set(paths.map((p) => p.replace(/^\.\//, '').split('/')[0]));
  return tops.size === 1 ? 1 : 0;
}

/** Extracts regular files and directories into `destDir` (links and devices are skipped). */
export async function extractArchive(archive: Buffer, destDir: string, options: { strip?: number; what?: string } = {}): Promise<number> {
  mkdirSync(destDir, { recursive: true });
  let files = 0;
  const extractor = tar.x({
    cwd: path.resolve(destDir),
    strict: true,
    strip: options.strip ?? 0,
    preservePaths: false,
    filter: (_p, entry) => {
      const type = (entry as { type?: string }).type;
      const keep = type === 'File' || type === 'OldFile' || type === 'Directory' || type === 'ContiguousFile';
      if (keep && type !== 'Directory') files++;
      return keep;
    },
  });
  await run(extractor as unknown as NodeJS.WritableStream & NodeJS.EventEmitter, archive, options.what ?? 'archive');
  return files;
}
