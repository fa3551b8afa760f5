import { readConfigFileBytes } from '@rampart/seclang';
import { Reader, type Response } from 'maxmind';
import { defineOperator } from './types';
import { OperatorCompileError } from './errors';
import { parseIp } from './ip-address';

/** One reader per database file, shared by every `@geoLookup` rule of the process. */
const readers = new Map<string, Reader<Response>>();

function openDatabase(path: string, maxBytes: number | undefined): Reader<Response> {
  const cached = readers.get(path);
  if (cached !== undefined) return cached;
  let reader: Reader<Response>;
  try {
    reader = new Reader<Response>(readConfigFileBytes(path, maxBytes));
  } catch (e) {
    throw new OperatorCompileError(
      'data-file',
      `@geoLookup: cannot open the SecGeoLookupDb database ${path}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  readers.set(path, reader);
  return reader;
}

type Json = Record<string, unknown>;

function field(record: unknown, ...path: Array<string | number>): unknown {
  let v: unknown = record;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Json)[key as string];
  }
  return v;
}

/** The GEO fields ModSecurity v3 fills from a MaxMind record (latitude/longitude printed like `%f`). */
export function geoFields(record: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const text = (name: string, v: unknown): void => {
    if (typeof v === 'string') out.set(name, v);
  };
  const number = (name: string, v: unknown): void => {
    if (typeof v === 'number' && Number.isFinite(v)) out.set(name, v.toFixed(6));
  };
  text('COUNTRY_CODE', field(record, 'country', 'iso_code'));
  text('COUNTRY_NAME', field(record, 'country', 'names', 'en'));
  text('COUNTRY_CONTINENT', field(record, 'continent', 'names', 'en'));
  text('CITY', field(record, 'city', 'names', 'en'));
  text('POSTAL_CODE', field(record, 'postal', 'code'));
  number('LATITUDE', field(record, 'location', 'latitude'));
  number('LONGITUDE', field(record, 'location', 'longitude'));
  return out;
}

/**
 * Looks the input (an IPv4 or IPv6 address) up in the MaxMind database named by `SecGeoLookupDb` and fills
 * the GEO collection (COUNTRY_CODE, COUNTRY_NAME, COUNTRY_CONTINENT, CITY, POSTAL_CODE, LATITUDE,
 * LONGITUDE). Matches when the address is in the database. Host names are not resolved. Without a database the
 * rule loads with a warning and never matches, as in libmodsecurity (its lookup answers false when no database
 * is loaded): CRS 3.3's REQUEST-910 uses it for its optional country block list.
 * @example SecRule REMOTE_ADDR "@geoLookup" "id:173,phase:1,pass,nolog,chain"
 *          SecRule GEO:COUNTRY_CODE "@streq XX" "deny"
 */
export const geoLookup = defineOperator({
  name: 'geoLookup',
  compile(_argument, ctx) {
    const path = ctx.options.geoLookupDb;
    if (path === undefined || path === '') {
      ctx.warn('@geoLookup: no GeoIP database (SecGeoLookupDb before this rule): the rule never matches, as in libmodsecurity');
      return () => false;
    }
    const reader = openDatabase(path, ctx.options.maxFileBytes);
    return (input, run) => {
      if (parseIp(input) === undefined) return false;
      let record: unknown;
      try {
        record = reader.get(input);
      } catch {
        // e.g. an IPv6 address against an IPv4-only database.
        return false;
      }
      if (record === null || record === undefined) return false;
      run.setGeo(geoFields(record));
      return true;
    };
  },
});
