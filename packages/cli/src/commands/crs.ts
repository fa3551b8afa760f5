import * as path from 'node:path';
import { CRS_ARCHIVE_URL, CRS_VERSION, CrsError, fetchCrs, locateCrs } from '@rampart/rules-crs4';
import { parseArgs } from '../args';
import { EXIT_FATAL, EXIT_OK, UsageError } from '../io';
import type { CliIo } from '../io';
import type { Command } from './types';

const help = `Usage: rampart crs <fetch|locate> [options]

  fetch    download OWASP CRS ${CRS_VERSION} once from its official release archive into the cache
           (~/.cache/rampart/crs-${CRS_VERSION}), verifying every rule and data file against the committed
           SHA-256 manifest; a bad download never replaces a good copy
  locate   print where CRS ${CRS_VERSION} is found (--crs DIR, RAMPART_CRS_DIR, ../shared/crs4, the cache) and
           verify it

Options:
      --url URL        archive to fetch (default: ${CRS_ARCHIVE_URL})
      --cache-dir DIR  where the fetched copy goes
      --force          fetch again even when a verified copy is cached
      --crs DIR        (locate) the copy to check
  -h, --help           show this help
`;

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { options, positionals } = parseArgs(argv, [
    { name: 'url', takesValue: true },
    { name: 'cache-dir', takesValue: true },
    { name: 'crs', takesValue: true },
    { name: 'force', takesValue: false },
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
      const result = await fetchCrs({
        ...(url !== undefined ? { url } : {}),
        ...(cacheDir !== undefined ? { cacheDir: path.resolve(io.cwd, cacheDir) } : {}),
        force: options.has('force'),
      });
      io.stdout(`${result.downloaded ? 'fetched' : 'already cached'}: CRS ${CRS_VERSION} in ${result.dir} (${result.files} files verified)\n`);
      return EXIT_OK;
    }
    const crsDir = options.get('crs') as string | undefined;
    const located = locateCrs({
      cwd: io.cwd,
      ...(crsDir !== undefined ? { crsDir: path.resolve(io.cwd, crsDir) } : {}),
      ...(cacheDir !== undefined ? { cacheDir: path.resolve(io.cwd, cacheDir) } : {}),
    });
    io.stdout(`CRS ${located.version} in ${located.dir} (from ${located.source}; ${located.verified ? 'verified' : 'not verified'})\n`);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CrsError) {
      io.stderr(`rampart crs ${action}: ${e.message}\n`);
      return EXIT_FATAL;
    }
    throw e;
  }
}

/**
 * `rampart crs fetch` / `rampart crs locate`: get and check the CRS 4.28.0 copy the agent and the conformance
 * suite use.
 */
export const crsCommand: Command = {
  name: 'crs',
  summary: `download (once) and verify OWASP CRS ${CRS_VERSION}`,
  help,
  run,
};
