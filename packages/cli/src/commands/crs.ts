import * as path from 'node:path';
import { CRS_VERSION, crsArchiveUrl, CrsError, fetchCrs, locateCrs, shippedManifestVersions } from '@rampart/rules-crs4';
import { parseArgs } from '../args';
import { EXIT_FATAL, EXIT_OK, UsageError } from '../io';
import type { CliIo } from '../io';
import type { Command } from './types';

const help = `Usage: rampart crs <fetch|locate> [options]

  fetch    download a CRS release once from its GitHub release archive into the cache
           (~/.cache/rampart/crs-<version>), read its release from the tree, and verify every rule and data
           file against the SHA-256 manifest Rampart ships for it (${shippedManifestVersions().join(', ')});
           another release is cached with an "unverified" warning. A bad download never replaces a good copy.
  locate   print which CRS copy is used (--crs DIR, RAMPART_CRS_DIR, ../shared/crs4, the cache), its
           release, and how it was verified

Options:
      --version X      (fetch) the release, e.g. 4.28.0 or 3.3.7 (default ${CRS_VERSION})
      --url URL        (fetch) archive to fetch (default: ${crsArchiveUrl('<version>')})
      --cache-dir DIR  where the fetched copy goes
      --force          fetch again even when a copy is cached
      --crs DIR        (locate) the copy to check
  -h, --help           show this help
`;

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { options, positionals } = parseArgs(argv, [
    { name: 'url', takesValue: true },
    { name: 'cache-dir', takesValue: true },
    { name: 'crs', takesValue: true },
    { name: 'force', takesValue: false },
    { name: 'version', takesValue: true },
    { name: 'help', short: 'h', takesValue: false },
  ]);
  if (options.has('help')) {
    io.stdout(help);
    return EXIT_OK;
  }
  const action = positionals[0];
  if (positionals.length !== 1 || (action !== 'fetch' && action !== 'locate')) throw new UsageError('expected `rampart crs fetch` or `rampart crs locate`');
  const cacheDir = options.get('cache-dir') as string | undefined;
  try {
    if (action === 'fetch') {
      const url = options.get('url') as string | undefined;
      const version = options.get('version') as string | undefined;
      const result = await fetchCrs({
        ...(version !== undefined ? { version } : {}),
        ...(url !== undefined ? { url } : {}),
        ...(cacheDir !== undefined ? { cacheDir: path.resolve(io.cwd, cacheDir) } : {}),
        force: options.has('force'),
      });
      for (const w of result.warnings) io.stderr(`rampart crs fetch: warning: ${w}\n`);
      io.stdout(`${result.downloaded ? 'fetched' : 'already cached'}: CRS ${result.version} in ${result.dir} (${result.files} files, ${result.verification})\n`);
      return EXIT_OK;
    }
    const crsDir = options.get('crs') as string | undefined;
    const located = locateCrs({
      cwd: io.cwd,
      ...(crsDir !== undefined ? { crsDir: path.resolve(io.cwd, crsDir) } : {}),
      ...(cacheDir !== undefined ? { cacheDir: path.resolve(io.cwd, cacheDir) } : {}),
    });
    for (const w of located.warnings) io.stderr(`rampart crs locate: warning: ${w}\n`);
    io.stdout(`CRS ${located.version} in ${located.dir} (from ${located.source}; ${located.verification})\n`);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CrsError) {
      io.stderr(`rampart crs ${action}: ${e.message}\n`);
      return EXIT_FATAL;
    }
    throw e;
  }
}

/** `rampart crs fetch` / `rampart crs locate`: get and check the CRS copy the agent and the conformance suite use. */
export const crsCommand: Command = {
  name: 'crs',
  summary: `download (once) and verify an OWASP CRS release (default ${CRS_VERSION})`,
  help,
  run,
};
