import { readConfigFileBytes } from '@rampart/seclang';
import { Reader, type Response } from 'maxmind';
import { defineOperator } from './types';
import { OperatorCompileError } from './errors';
import { parseIPv4, parseIp } from './ip-address';
import {
  LegacyGeoIpDatabase,
  LegacyGeoIpFormatError,
  legacyRegionName,
  looksLikeLegacyGeoIp,
  type LegacyCityRecord,
} from '../geo/legacy-database';

/** A GeoIP database of either format libmodsecurity v3 opens: MaxMind DB (GeoIP2) or legacy GeoIP (v1). */
type GeoDatabase = { format: 'mmdb'; reader: Reader<Response> } | { format: 'legacy'; reader: LegacyGeoIpDatabase };

/** One reader per database file, shared by every `@geoLookup` rule of the process. */
const databases = new Map<string, GeoDatabase>();

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function openDatabase(path: string, maxBytes: number | undefined): GeoDatabase {
  const cached = databases.get(path);
  if (cached !== undefined) return cached;
  const fail = (why: string): never => {
    throw new OperatorCompileError('data-file', `@geoLookup: cannot open the SecGeoLookupDb database ${path}: ${why}`);
  };
  let bytes: Buffer;
  try {
    bytes = readConfigFileBytes(path, maxBytes);
  } catch (e) {
    return fail(message(e));
  }
  let database: GeoDatabase;
  if (looksLikeLegacyGeoIp(bytes)) {
    try {
      database = { format: 'legacy', reader: new LegacyGeoIpDatabase(bytes) };
    } catch (e) {
      if (!(e instanceof LegacyGeoIpFormatError)) throw e;
      return fail(`a corrupt GeoIP legacy database: ${e.message}`);
    }
  } else {
    try {
      database = { format: 'mmdb', reader: new Reader<Response>(bytes) };
    } catch (e) {
      return fail(`neither a MaxMind DB (${message(e).split('\n')[0]}) nor a GeoIP legacy database`);
    }
  }
  databases.set(path, database);
  return database;
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
 * The GEO fields ModSecurity v3 fills from a legacy City record (through libGeoIP): zero coordinates, metro and
 * area codes are left out as v3 leaves them, the region is its English name.
 */
export function legacyGeoFields(record: LegacyCityRecord): Map<string, string> {
  const out = new Map<string, string>();
  out.set('COUNTRY_CODE', record.countryCode);
  out.set('COUNTRY_CODE3', record.countryCode3);
  out.set('COUNTRY_NAME', record.countryName);
  out.set('COUNTRY_CONTINENT', record.continentCode);
  if (record.region !== undefined) {
    const region = legacyRegionName(record.countryCode, record.region);
    if (region !== undefined) out.set('REGION', region);
  }
  if (record.city !== undefined) out.set('CITY', record.city);
  if (record.postalCode !== undefined) out.set('POSTAL_CODE', record.postalCode);
  if (record.latitude !== 0) out.set('LATITUDE', record.latitude.toFixed(6));
  if (record.longitude !== 0) out.set('LONGITUDE', record.longitude.toFixed(6));
  if (record.metroCode) out.set('DMA_CODE', String(record.metroCode));
  if (record.areaCode) out.set('AREA_CODE', String(record.areaCode));
  return out;
}

/**
 * Looks the input (an IPv4 or IPv6 address) up in the database named by `SecGeoLookupDb` and fills the GEO
 * collection. Matches when the address is in the database. Both formats libmodsecurity v3 reads are read: a
 * MaxMind DB (GeoIP2/GeoLite2 `.mmdb`: COUNTRY_CODE, COUNTRY_NAME, COUNTRY_CONTINENT as a name, CITY,
 * POSTAL_CODE, LATITUDE, LONGITUDE) and a legacy GeoIP City `.dat` (IPv4 only; also COUNTRY_CODE3, REGION,
 * DMA_CODE, AREA_CODE, and COUNTRY_CONTINENT as a code, as libGeoIP gives them). A legacy database of another
 * edition (Country, ASN, ...) loads with a warning and never matches, as in v3 (it asks libGeoIP for City
 * records only). Host names are not resolved (v3's libGeoIP would resolve them through DNS). Without a database
 * the rule loads with a warning and never matches, as in libmodsecurity (its lookup answers false when no
 * database is loaded): CRS 3.3's REQUEST-910 uses it for its optional country block list.
 * @example SecGeoLookupDb /usr/share/GeoIP/GeoLite2-City.mmdb
 *          SecRule REMOTE_ADDR "@geoLookup" "id:173,phase:1,pass,nolog,chain"
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
    const database = openDatabase(path, ctx.options.maxFileBytes);
    if (database.format === 'legacy') {
      const legacy = database.reader;
      if (legacy.unsupportedEdition !== undefined) {
        ctx.warn(
          `@geoLookup: ${path} is a GeoIP legacy ${legacy.unsupportedEdition} database, not a City one: the rule never matches, as in libmodsecurity`,
        );
        return () => false;
      }
      return (input, run) => {
        const address = parseIPv4(input);
        if (address === undefined) return false;
        const record = legacy.lookup(((address[0]! << 24) | (address[1]! << 16) | (address[2]! << 8) | address[3]!) >>> 0);
        if (record === undefined) return false;
        run.setGeo(legacyGeoFields(record));
        return true;
      };
    }
    const reader = database.reader;
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
