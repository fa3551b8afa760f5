import { CrsError, fetchCrs, type LocatedCrs, locateCrs } from '@rampart/rules-crs4';
import type { CrsOptions } from './options';

/** Finds CRS as `rampart` does (see locateCrs); downloads it into the cache when allowed and nothing was found. */
export async function findCrs(options: CrsOptions, log: (message: string) => void): Promise<LocatedCrs> {
  try {
    return locateCrs(options.dir !== undefined ? { crsDir: options.dir } : {});
  } catch (error) {
    const notFound = error instanceof CrsError && error.code === 'CRS_NOT_FOUND';
    if (!notFound || options.dir !== undefined || options.download === false) throw error;
    log(`rampart: ${error.message.split('. Tried:')[0]}; downloading the release archive once into the cache`);
    const fetched = await fetchCrs();
    return locateCrs({ crsDir: fetched.dir });
  }
}
