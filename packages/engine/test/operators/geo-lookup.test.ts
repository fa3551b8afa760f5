import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileOperator, OperatorCompileError } from '../../src/operators';
import { buildMmdb } from './fixtures/mmdb-writer';

const dir = mkdtempSync(join(tmpdir(), 'rampart-geo-'));
const v4db = join(dir, 'v4.mmdb');
writeFileSync(
  v4db,
  buildMmdb(4, [
    {
      bytes: [81, 2, 69, 0],
      prefix: 24,
      record: {
        city: { names: { en: 'Paris' } },
        continent: { code: 'EU', names: { en: 'Europe' } },
        country: { iso_code: 'FR', names: { en: 'France', fr: 'France' } },
        location: { latitude: { double: 48.8582 }, longitude: { double: 2.3387 } },
        postal: { code: '75001' },
      },
    },
    { bytes: [10, 0, 0, 0], prefix: 8, record: { country: { iso_code: 'ZZ' } } },
  ]),
);
writeFileSync(join(dir, 'broken.mmdb'), 'not a database');

const options = (geoLookupDb?: string) => ({
  options: { allowBacktrackingRegex: true, allowInspectFile: false, ...(geoLookupDb ? { geoLookupDb } : {}) },
});

describe('@geoLookup', () => {
  it('fills GEO from the MaxMind database and matches when the address is known', () => {
    const m = compileOperator('geoLookup', '', options(v4db));
    let geo: ReadonlyMap<string, string> | undefined;
    expect(m('81.2.69.160', { setGeo: (g) => (geo = g) })).toBe(true);
    expect(Object.fromEntries(geo ?? [])).toEqual({
      COUNTRY_CODE: 'FR',
      COUNTRY_NAME: 'France',
      COUNTRY_CONTINENT: 'Europe',
      CITY: 'Paris',
      POSTAL_CODE: '75001',
      LATITUDE: '48.858200',
      LONGITUDE: '2.338700',
    });
    let partial: ReadonlyMap<string, string> | undefined;
    expect(m('10.20.30.40', { setGeo: (g) => (partial = g) })).toBe(true);
    expect(Object.fromEntries(partial ?? [])).toEqual({ COUNTRY_CODE: 'ZZ' });
  });

  it('does not match unknown addresses, non-addresses, or IPv6 against an IPv4 database', () => {
    const m = compileOperator('geoLookup', '', options(v4db));
    const setGeo = jest.fn();
    for (const input of ['8.8.8.8', '', 'example.com', '81.2.69', '2001:db8::1', '\x00', '81.2.69.160\xff']) {
      expect(m(input, { setGeo })).toBe(false);
    }
    expect(setGeo).not.toHaveBeenCalled();
  });

  it('loads without SecGeoLookupDb with a warning naming the directive, and never matches (libmodsecurity)', () => {
    const warnings: string[] = [];
    const setGeo = jest.fn();
    const m = compileOperator('geoLookup', '', { ...options(), onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([expect.stringMatching(/SecGeoLookupDb.*never matches/)]);
    expect(m('81.2.69.160', { setGeo })).toBe(false);
    expect(setGeo).not.toHaveBeenCalled();
  });

  it('reports a database that cannot be read', () => {
    expect(() => compileOperator('geoLookup', '', options(join(dir, 'missing.mmdb')))).toThrow(/cannot open the SecGeoLookupDb database/);
    expect(() => compileOperator('geoLookup', '', options(join(dir, 'broken.mmdb')))).toThrow(/cannot open the SecGeoLookupDb database/);
  });
});
