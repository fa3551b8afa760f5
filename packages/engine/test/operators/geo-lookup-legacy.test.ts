import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileOperator } from '../../src/operators';
import { LegacyGeoIpDatabase, LegacyGeoIpFormatError } from '../../src/geo/legacy-database';
import { buildLegacyCity } from './fixtures/legacy-geoip-writer';

// MaxMind's own test database of the legacy City format, as libmodsecurity's regression cases use it.
const maxmindTestDb = join(__dirname, '../../../../../shared/modsecurity-regression/test/test-cases/data/geo/GeoIPCity.dat');

const US = 225;
const FR = 74;
const CH = 43;
const dir = mkdtempSync(join(tmpdir(), 'rampart-geo-legacy-'));
const cityDb = join(dir, 'city.dat');
const cityBytes = buildLegacyCity([
  {
    bytes: [192, 0, 2, 0],
    prefix: 24,
    countryId: US,
    region: 'NY',
    city: 'New York',
    postal: '10001',
    latitude: 40.7128,
    longitude: -74.006,
    metroArea: 501 * 1000 + 212,
  },
  { bytes: [198, 51, 100, 0], prefix: 25, countryId: FR, region: 'A8', city: 'Paris', latitude: 48.8582, longitude: 2.3387 },
  { bytes: [203, 0, 113, 0], prefix: 24, countryId: CH, city: 'Zürich', latitude: 0, longitude: 8.55 },
]);
writeFileSync(cityDb, cityBytes);

const options = (geoLookupDb: string, warnings: string[] = []) => ({
  options: { allowBacktrackingRegex: true, allowInspectFile: false, geoLookupDb },
  onWarning: (w: string) => warnings.push(w),
});

function lookup(db: string, input: string): Record<string, string> | undefined {
  const m = compileOperator('geoLookup', '', options(db));
  let geo: ReadonlyMap<string, string> | undefined;
  const matched = m(input, { setGeo: (g) => (geo = g) });
  expect(matched).toBe(geo !== undefined);
  return geo === undefined ? undefined : Object.fromEntries(geo);
}

describe('@geoLookup with a legacy GeoIP City database', () => {
  it("fills GEO as libmodsecurity v3 does through libGeoIP (MaxMind's test database)", () => {
    // The values libGeoIP 1.6.12 (geoiplookup) prints for this address and file.
    expect(lookup(maxmindTestDb, '64.17.254.216')).toEqual({
      COUNTRY_CODE: 'US',
      COUNTRY_CODE3: 'USA',
      COUNTRY_NAME: 'United States',
      COUNTRY_CONTINENT: 'NA',
      REGION: 'California',
      CITY: 'El Segundo',
      POSTAL_CODE: '90245',
      LATITUDE: '33.916401',
      LONGITUDE: '-118.403999',
      DMA_CODE: '803',
      AREA_CODE: '310',
    });
    expect(lookup(maxmindTestDb, '1.2.3.4')).toBeUndefined();
  });

  it('reads metro and area codes of US records only, region names for the US and Canada only, ISO-8859-1 city names', () => {
    expect(lookup(cityDb, '192.0.2.77')).toEqual({
      COUNTRY_CODE: 'US',
      COUNTRY_CODE3: 'USA',
      COUNTRY_NAME: 'United States',
      COUNTRY_CONTINENT: 'NA',
      REGION: 'New York',
      CITY: 'New York',
      POSTAL_CODE: '10001',
      LATITUDE: '40.712799',
      LONGITUDE: '-74.005997',
      DMA_CODE: '501',
      AREA_CODE: '212',
    });
    // A FIPS region code (no name known): no REGION; no postal code: no POSTAL_CODE.
    expect(lookup(cityDb, '198.51.100.127')).toEqual({
      COUNTRY_CODE: 'FR',
      COUNTRY_CODE3: 'FRA',
      COUNTRY_NAME: 'France',
      COUNTRY_CONTINENT: 'EU',
      CITY: 'Paris',
      LATITUDE: '48.858200',
      LONGITUDE: '2.338700',
    });
    // A zero latitude is left out, as v3 tests the float for non-zero.
    expect(lookup(cityDb, '203.0.113.1')).toEqual({
      COUNTRY_CODE: 'CH',
      COUNTRY_CODE3: 'CHE',
      COUNTRY_NAME: 'Switzerland',
      COUNTRY_CONTINENT: 'EU',
      CITY: 'Zürich',
      LONGITUDE: '8.550000',
    });
  });

  it('does not match addresses outside the database, IPv6 addresses or host names', () => {
    for (const input of ['198.51.100.128', '192.0.3.1', '0.0.0.0', '255.255.255.255', '2001:db8::1', 'localhost', '', '192.0.2']) {
      expect(lookup(cityDb, input)).toBeUndefined();
    }
  });

  it('loads a legacy database of another edition with a warning, and never matches (v3 asks libGeoIP for City records)', () => {
    const countryDb = join(dir, 'country.dat');
    writeFileSync(countryDb, Buffer.concat([Buffer.alloc(12), Buffer.from([0xff, 0xff, 0xff, 1])]));
    const warnings: string[] = [];
    const m = compileOperator('geoLookup', '', options(countryDb, warnings));
    expect(warnings).toEqual([expect.stringMatching(/legacy Country database, not a City one: the rule never matches/)]);
    const setGeo = jest.fn();
    expect(m('192.0.2.1', { setGeo })).toBe(false);
    expect(setGeo).not.toHaveBeenCalled();
  });

  it('refuses a corrupt database at load with a message', () => {
    const write = (name: string, bytes: Buffer): string => {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return path;
    };
    const segmentsAt = cityBytes.length - 3;
    const hugeTrie = Buffer.from(cityBytes);
    hugeTrie.writeUIntLE(0x100000, segmentsAt, 3);
    const pastEnd = Buffer.from(cityBytes);
    pastEnd.writeUIntLE(0xfffff0, 3, 3); // node 0's right pointer: a record far past the end
    const cases: Array<[string, Buffer, RegExp]> = [
      ['huge-trie.dat', hugeTrie, /does not fit in the file/],
      ['past-end.dat', pastEnd, /points to a record at byte \d+, past the end of the file/],
      ['no-segments.dat', Buffer.from([0xff, 0xff, 0xff, 2]), /truncated structure info/],
      ['no-info.dat', Buffer.from('neither format at all'), /neither a MaxMind DB .* nor a GeoIP legacy database/],
    ];
    for (const [name, bytes, why] of cases) {
      expect(() => compileOperator('geoLookup', '', options(write(name, bytes)))).toThrow(why);
    }
  });

  it('never throws nor reads out of bounds on damaged databases: each loads with an error or answers lookups', () => {
    let seed = 12345;
    const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
    for (let round = 0; round < 300; round++) {
      const bytes = Buffer.from(cityBytes);
      for (let flips = 1 + Math.floor(random() * 6); flips > 0; flips--) {
        bytes[Math.floor(random() * (bytes.length - 7))] = Math.floor(random() * 256);
      }
      const cut = round % 3 === 0 ? bytes.subarray(Math.floor(random() * 40)) : bytes;
      let db: LegacyGeoIpDatabase;
      try {
        db = new LegacyGeoIpDatabase(cut);
      } catch (e) {
        expect(e).toBeInstanceOf(LegacyGeoIpFormatError);
        continue;
      }
      for (let i = 0; i < 20; i++) db.lookup(Math.floor(random() * 2 ** 32));
    }
  });
});
