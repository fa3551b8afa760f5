import { LEGACY_COUNTRIES, LEGACY_REGION_NAMES } from './legacy-tables';

/**
 * A reader of MaxMind's legacy GeoIP (v1) `.dat` databases, which libmodsecurity v3 opens through libGeoIP when
 * SecGeoLookupDb names one (GeoIPCity.dat and its kin; MaxMind stopped publishing them in 2019, but they are still
 * deployed). No maintained npm package reads this format (the `maxmind` package reads MMDB only), hence this reader.
 *
 * The layout: a binary trie over the address bits, `segments` nodes of two 3-byte little-endian pointers each,
 * then the records; at the end of the file, within its last 20 bytes, `FF FF FF`, a type byte and (for City
 * editions) the 3-byte segment count. A pointer below `segments` is a node; `segments` itself means "not in the
 * database"; above it, the record lies at `pointer + 5 * segments`.
 *
 * Every offset is checked against the file: the whole trie is walked once at open, so a corrupt or hostile file is
 * refused with a message instead of being read out of bounds, and a lookup takes at most 32 steps.
 */

/** Edition numbers of the structure-info byte (GeoIP's `GEOIP_*_EDITION`); 106 and above are older aliases. */
const CITY_EDITION_REV1 = 2;
const CITY_EDITION_REV0 = 6;
const EDITION_NAMES: Record<number, string> = {
  1: 'Country',
  3: 'Region',
  4: 'ISP',
  5: 'Organization',
  7: 'Region (rev 0)',
  8: 'Proxy',
  9: 'ASN',
  10: 'Netspeed',
  11: 'Domain',
  12: 'Country IPv6',
  30: 'City IPv6',
  31: 'City IPv6 (rev 0)',
};
const STRUCTURE_INFO_MAX_SIZE = 20;
const RECORD_POINTER_BYTES = 3;
const NODE_BYTES = 2 * RECORD_POINTER_BYTES;
/** libGeoIP reads at most this many bytes of a City record. */
const FULL_RECORD_LENGTH = 50;

/** The fields of one City record, as libGeoIP's GeoIPRecord holds them. */
export interface LegacyCityRecord {
  countryCode: string;
  countryCode3: string;
  countryName: string;
  continentCode: string;
  /** The region code of the record (US state, Canadian province, FIPS 10-4 code elsewhere). */
  region?: string;
  city?: string;
  postalCode?: string;
  /** Single precision, as libGeoIP stores them. */
  latitude: number;
  longitude: number;
  /** Set for US records of a rev 1 City database only. */
  metroCode?: number;
  areaCode?: number;
}

export class LegacyGeoIpFormatError extends Error {}

/** Where the structure info says what the file is; undefined when the file has none (not a legacy database). */
function findStructureInfo(bytes: Uint8Array): { type: number; at: number } | undefined {
  let pos = bytes.length - 3;
  for (let i = 0; i < STRUCTURE_INFO_MAX_SIZE && pos >= 0; i++, pos--) {
    if (bytes[pos] === 0xff && bytes[pos + 1] === 0xff && bytes[pos + 2] === 0xff) {
      if (pos + 3 >= bytes.length) return undefined;
      let type = bytes[pos + 3]!;
      if (type >= 106) type -= 105;
      return { type, at: pos + 4 };
    }
  }
  return undefined;
}

function uint24(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);
}

/** True when the bytes end with a legacy GeoIP structure info (whatever the edition). */
export function looksLikeLegacyGeoIp(bytes: Uint8Array): boolean {
  return findStructureInfo(bytes) !== undefined;
}

export class LegacyGeoIpDatabase {
  /** The edition's name when it is not a City edition (libmodsecurity then never finds a record). */
  readonly unsupportedEdition: string | undefined;
  private readonly segments: number;
  private readonly revision1: boolean;

  /** @throws LegacyGeoIpFormatError when the bytes are not a well-formed legacy GeoIP database. */
  constructor(private readonly bytes: Uint8Array) {
    const info = findStructureInfo(bytes);
    if (info === undefined) {
      throw new LegacyGeoIpFormatError('not a GeoIP legacy database (no structure info at the end of the file)');
    }
    if (info.type !== CITY_EDITION_REV1 && info.type !== CITY_EDITION_REV0) {
      this.unsupportedEdition = EDITION_NAMES[info.type] ?? `type ${info.type}`;
      this.segments = 0;
      this.revision1 = false;
      return;
    }
    this.unsupportedEdition = undefined;
    this.revision1 = info.type === CITY_EDITION_REV1;
    if (info.at + RECORD_POINTER_BYTES > bytes.length) {
      throw new LegacyGeoIpFormatError('truncated structure info (no segment count)');
    }
    this.segments = uint24(bytes, info.at);
    if (this.segments === 0 || this.segments * NODE_BYTES > bytes.length) {
      throw new LegacyGeoIpFormatError(
        `the trie (${this.segments} nodes) does not fit in the file (${bytes.length} bytes)`,
      );
    }
    this.checkTrie();
  }

  /** Every pointer of the trie leads to a node or to a record inside the file. */
  private checkTrie(): void {
    const recordBase = (NODE_BYTES - 1) * this.segments;
    for (let node = 0; node < this.segments; node++) {
      for (let side = 0; side < 2; side++) {
        const pointer = uint24(this.bytes, node * NODE_BYTES + side * RECORD_POINTER_BYTES);
        if (pointer > this.segments && pointer + recordBase >= this.bytes.length) {
          throw new LegacyGeoIpFormatError(
            `node ${node} points to a record at byte ${pointer + recordBase}, past the end of the file (${this.bytes.length} bytes)`,
          );
        }
      }
    }
  }

  /** The City record of an IPv4 address given as a 32-bit number; undefined when it is not in the database. */
  lookup(ipv4: number): LegacyCityRecord | undefined {
    if (this.unsupportedEdition !== undefined) return undefined;
    let pointer = 0;
    for (let depth = 31; depth >= 0; depth--) {
      const bit = (ipv4 >>> depth) & 1;
      pointer = uint24(this.bytes, pointer * NODE_BYTES + bit * RECORD_POINTER_BYTES);
      if (pointer >= this.segments) break;
    }
    if (pointer <= this.segments) return undefined;
    return this.readRecord(pointer + (NODE_BYTES - 1) * this.segments);
  }

  private readRecord(offset: number): LegacyCityRecord | undefined {
    const end = Math.min(this.bytes.length, offset + FULL_RECORD_LENGTH);
    let at = offset;
    const country = LEGACY_COUNTRIES[this.bytes[at++]!];
    if (country === undefined) return undefined;
    const text = (): string | undefined => {
      const start = at;
      while (at < end && this.bytes[at] !== 0) at++;
      if (at >= end) throw new LegacyGeoIpFormatError('unterminated string');
      // The legacy databases are ISO-8859-1 (libGeoIP's default charset, which libmodsecurity keeps).
      const value = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, at - start).toString('latin1');
      at++;
      return value === '' ? undefined : value;
    };
    const number = (): number => {
      if (at + 3 > end) throw new LegacyGeoIpFormatError('truncated record');
      const v = uint24(this.bytes, at);
      at += 3;
      return v;
    };
    try {
      const [countryCode, countryCode3, countryName, continentCode] = country;
      const record: LegacyCityRecord = { countryCode, countryCode3, countryName, continentCode, latitude: 0, longitude: 0 };
      const region = text();
      const city = text();
      const postalCode = text();
      if (region !== undefined) record.region = region;
      if (city !== undefined) record.city = city;
      if (postalCode !== undefined) record.postalCode = postalCode;
      record.latitude = Math.fround(number() / 10000 - 180);
      record.longitude = Math.fround(number() / 10000 - 180);
      if (this.revision1 && countryCode === 'US') {
        const combo = number();
        record.metroCode = Math.floor(combo / 1000);
        record.areaCode = combo % 1000;
      }
      return record;
    } catch (e) {
      // A record cut by the end of the file: answered as "not found", as libGeoIP reads no further than the file.
      if (e instanceof LegacyGeoIpFormatError) return undefined;
      throw e;
    }
  }
}

/** The English name of a record's region, where Rampart knows it (United States and Canada). */
export function legacyRegionName(countryCode: string, region: string): string | undefined {
  return LEGACY_REGION_NAMES.get(countryCode)?.get(region);
}
