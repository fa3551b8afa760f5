import {
  buildTransformationIndex,
  builtinTransformations,
  defineTransformation,
  DuplicateTransformationError,
  findTransformation,
  transform,
  UnknownTransformationError,
} from '../../src/transformations';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RampartError } from '../../src/errors';

const CATALOG = [
  'base64Decode', 'base64DecodeExt', 'base64Encode', 'cmdLine', 'compressWhitespace', 'cssDecode',
  'escapeSeqDecode', 'hexDecode', 'hexEncode', 'htmlEntityDecode', 'jsDecode', 'length', 'lowercase', 'md5',
  'none', 'normalizePath', 'normalizePathWin', 'parityEven7bit', 'parityOdd7bit', 'parityZero7bit',
  'removeComments', 'removeCommentsChar', 'removeNulls', 'removeWhitespace', 'replaceComments', 'replaceNulls',
  'sha1', 'sqlHexDecode', 'trim', 'trimLeft', 'trimRight', 'uppercase', 'urlDecode', 'urlDecodeUni',
  'urlEncode', 'utf8toUnicode',
];

describe('builtinTransformations', () => {
  it('has exactly the 36 transformations of anchors-features 1(c), sorted, keyed by canonical name', () => {
    const keys = Object.keys(builtinTransformations);
    expect(keys).toEqual(CATALOG);
    expect([...keys].sort((a, b) => a.localeCompare(b, 'en'))).toEqual(keys);
    for (const [key, def] of Object.entries(builtinTransformations)) expect(def.name).toBe(key);
  });

  it('lists the British spellings as aliases', () => {
    expect(builtinTransformations.normalizePath.aliases).toEqual(['normalisePath']);
    expect(builtinTransformations.normalizePathWin.aliases).toEqual(['normalisePathWin']);
  });
});

describe('findTransformation', () => {
  it('finds every name and alias in any case (38 spellings)', () => {
    const spellings = Object.values(builtinTransformations).flatMap((d) => [d.name, ...(d.aliases ?? [])]);
    expect(spellings).toHaveLength(38);
    for (const name of spellings) {
      expect(findTransformation(name)).toBeDefined();
      expect(findTransformation(name.toUpperCase())).toBe(findTransformation(name));
      expect(findTransformation(name.toLowerCase())).toBe(findTransformation(name));
    }
  });

  it('resolves aliases and CRS spellings to the canonical definition', () => {
    expect(findTransformation('normalisePath')).toBe(builtinTransformations.normalizePath);
    expect(findTransformation('base64decode')).toBe(builtinTransformations.base64Decode);
    expect(findTransformation('UTF8TOUNICODE')).toBe(builtinTransformations.utf8toUnicode);
  });

  it('returns undefined for unknown names', () => {
    expect(findTransformation('urlDecodeUnicode')).toBeUndefined();
    expect(findTransformation('')).toBeUndefined();
    expect(findTransformation('constructor')).toBeUndefined();
  });
});

describe('transform', () => {
  it('applies a transformation by name, with or without a context', () => {
    expect(transform('lowercase', 'ABC')).toBe('abc');
    expect(transform('URLDECODEUNI', '%u0041', {})).toBe('A');
  });

  it('throws a clear, coded error for an unknown name', () => {
    expect(() => transform('reverse', 'x')).toThrow(UnknownTransformationError);
    expect(() => transform('reverse', 'x')).toThrow('unknown transformation "reverse"');
    try {
      transform('reverse', 'x');
    } catch (e) {
      expect(e).toBeInstanceOf(RampartError);
      expect((e as RampartError).code).toBe('unknown-transformation');
    }
  });
});

describe('buildTransformationIndex', () => {
  const a = defineTransformation({ name: 'alpha', aliases: ['first'], transform: (s) => s });

  it('refuses a name defined twice instead of overwriting it', () => {
    const b = defineTransformation({ name: 'ALPHA', transform: (s) => s });
    expect(() => buildTransformationIndex([a, b])).toThrow(DuplicateTransformationError);
  });

  it('refuses an alias that collides with another name', () => {
    const c = defineTransformation({ name: 'First', transform: (s) => s });
    expect(() => buildTransformationIndex([a, c])).toThrow('transformation name "First" is defined twice');
  });
});

describe('test coverage', () => {
  it('has a vector table for every built-in transformation', () => {
    const sources = readdirSync(__dirname)
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => readFileSync(join(__dirname, f), 'utf8'))
      .join('\n');
    const untested = Object.keys(builtinTransformations).filter((name) => !sources.includes(`checkVectors('${name}'`));
    expect(untested).toEqual([]);
  });
});
