import { isMap, isScalar, isSeq, type Node, type Scalar, YAMLMap } from 'yaml';
import { ConformanceError } from './errors';

/**
 * Typed reads over a YAML tree parsed with the failsafe schema, so every scalar keeps its source text and is
 * converted by the type of the Go field it lands in (as go.yaml decodes): `Content-Length: 7` stays "7".
 */
export class YamlReader {
  constructor(
    private readonly file: string,
    private readonly where: string,
    private readonly map: YAMLMap,
  ) {}

  static root(file: string, node: Node | null): YamlReader {
    if (!isMap(node)) throw new ConformanceError('TEST_FILE_INVALID', `${file}: top level is not a mapping`);
    return new YamlReader(file, '', node);
  }

  private fail(key: string, what: string): never {
    const at = this.where === '' ? key : `${this.where}.${key}`;
    throw new ConformanceError('TEST_FILE_INVALID', `${this.file}: ${at}: ${what}`);
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  private node(key: string): unknown {
    return this.map.get(key, true);
  }

  private scalar(key: string): Scalar | undefined {
    const n = this.node(key);
    if (n === undefined) return undefined;
    if (!isScalar(n)) this.fail(key, 'expected a scalar');
    return n;
  }

  /** Go's nil: the key with no value, `~` or `null` (plain). */
  private static isNull(s: Scalar): boolean {
    return s.type === 'PLAIN' && (s.source === '' || s.source === '~' || /^(?:null|Null|NULL)$/.test(String(s.value)));
  }

  string(key: string): string | undefined {
    const s = this.scalar(key);
    if (s === undefined || YamlReader.isNull(s)) return undefined;
    return String(s.value);
  }

  /** Like string, but tells a key without value (null) apart from an absent key (undefined). */
  nullableString(key: string): string | null | undefined {
    const s = this.scalar(key);
    if (s === undefined) return undefined;
    if (YamlReader.isNull(s)) return null;
    return String(s.value);
  }

  int(key: string): number | undefined {
    const s = this.scalar(key);
    if (s === undefined || YamlReader.isNull(s)) return undefined;
    return parseGoInt(String(s.value), s.type === 'PLAIN') ?? this.fail(key, `expected an integer, got ${JSON.stringify(s.value)}`);
  }

  bool(key: string): boolean | undefined {
    const s = this.scalar(key);
    if (s === undefined || YamlReader.isNull(s)) return undefined;
    const v = String(s.value);
    if (s.type === 'PLAIN' && /^(?:true|True|TRUE|yes|Yes|YES|on|On|ON|y|Y)$/.test(v)) return true;
    if (s.type === 'PLAIN' && /^(?:false|False|FALSE|no|No|NO|off|Off|OFF|n|N)$/.test(v)) return false;
    return this.fail(key, `expected a boolean, got ${JSON.stringify(v)}`);
  }

  intList(key: string): number[] | undefined {
    const n = this.node(key);
    if (n === undefined || (isScalar(n) && YamlReader.isNull(n))) return undefined;
    if (!isSeq(n)) return this.fail(key, 'expected a list of integers');
    return n.items.map((item, i) => {
      if (!isScalar(item)) return this.fail(`${key}[${i}]`, 'expected an integer');
      return parseGoInt(String(item.value), item.type === 'PLAIN') ?? this.fail(`${key}[${i}]`, `expected an integer, got ${JSON.stringify(item.value)}`);
    });
  }

  /** An integer, or a list of integers (the older ftw format's `status: [403, 400]`). */
  intOrIntList(key: string): number | number[] | undefined {
    const n = this.node(key);
    return isSeq(n) ? this.intList(key) : this.int(key);
  }

  /** Whether the key holds a list. */
  isList(key: string): boolean {
    return isSeq(this.node(key));
  }

  stringList(key: string): string[] | undefined {
    const n = this.node(key);
    if (n === undefined || (isScalar(n) && YamlReader.isNull(n))) return undefined;
    if (!isSeq(n)) return this.fail(key, 'expected a list of strings');
    return n.items.map((item, i) => (isScalar(item) ? String(item.value) : this.fail(`${key}[${i}]`, 'expected a string')));
  }

  /** map[string]string, keeping YAML order (callers sort when go-ftw does). */
  stringMap(key: string): Record<string, string> | undefined {
    const n = this.node(key);
    if (n === undefined || (isScalar(n) && YamlReader.isNull(n))) return undefined;
    if (!isMap(n)) return this.fail(key, 'expected a mapping');
    const out: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const pair of n.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : this.fail(key, 'non-scalar key');
      const v = pair.value;
      if (v === null || v === undefined) out[k] = '';
      else if (isScalar(v)) out[k] = YamlReader.isNull(v) ? '' : String(v.value);
      else this.fail(`${key}.${k}`, 'expected a string');
    }
    return out;
  }

  child(key: string): YamlReader | undefined {
    const n = this.node(key);
    if (n === undefined || (isScalar(n) && YamlReader.isNull(n))) return undefined;
    if (!isMap(n)) return this.fail(key, 'expected a mapping');
    return new YamlReader(this.file, this.where === '' ? key : `${this.where}.${key}`, n);
  }

  children(key: string): YamlReader[] | undefined {
    const n = this.node(key);
    if (n === undefined || (isScalar(n) && YamlReader.isNull(n))) return undefined;
    if (!isSeq(n)) return this.fail(key, 'expected a list');
    return n.items.map((item, i) => {
      const at = `${this.where === '' ? key : `${this.where}.${key}`}[${i}]`;
      if (!isMap(item)) throw new ConformanceError('TEST_FILE_INVALID', `${this.file}: ${at}: expected a mapping`);
      return new YamlReader(this.file, at, item);
    });
  }
}

/** go.yaml's int resolution for plain scalars: decimal, 0x, 0o / 0 octal, 0b, with an optional sign. */
export function parseGoInt(text: string, plain: boolean): number | undefined {
  if (!plain) return undefined;
  const signed = text.replace(/_/g, '');
  const negative = signed.startsWith('-');
  const t = signed.replace(/^[-+]/, '');
  let value: number;
  if (/^\d+$/.test(t)) value = parseInt(t, 10);
  else if (/^0x[0-9a-fA-F]+$/.test(t)) value = parseInt(t.slice(2), 16);
  else if (/^0o[0-7]+$/.test(t)) value = parseInt(t.slice(2), 8);
  else if (/^0b[01]+$/.test(t)) value = parseInt(t.slice(2), 2);
  else return undefined;
  if (negative) value = -value;
  return Number.isSafeInteger(value) ? value : undefined;
}
