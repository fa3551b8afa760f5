import { CompileMemo, memoKey } from '../../src/compile-memo/compile-memo';
import { freezeStrings, thawString, thawStrings } from '../../src/compile-memo/frozen';
import { freezePrefilter, thawPrefilter } from '../../src/prefilter/prefilter-memo';
import { patternRequirement, prefilterTables, RegexPrefilter } from '../../src/prefilter/regex-prefilter';
import { createWaf } from '../../src';

const frozen = (n: number) => ({ arrays: { a: Int32Array.from([n, n + 1]) }, numbers: { n } });

describe('CompileMemo', () => {
  it('builds a structure once per kind and input, and hands the same one back', () => {
    const memo = new CompileMemo();
    let builds = 0;
    const build = () => {
      builds++;
      return frozen(7);
    };
    const first = memo.remember('k', 'input', build);
    expect(memo.remember('k', 'input', build)).toBe(first);
    expect(builds).toBe(1);
    memo.remember('k', 'other input', build);
    memo.remember('other kind', 'input', build);
    expect(builds).toBe(3);
    expect([memo.built, memo.reused, memo.size]).toEqual([3, 1, 3]);
  });

  it('keeps a shared memo\'s arrays in SharedArrayBuffers, and a new memo from its entries sees the same memory', () => {
    const memo = new CompileMemo({ shared: true });
    const value = memo.remember('k', 'x', () => frozen(1));
    expect(value.arrays.a!.buffer).toBeInstanceOf(SharedArrayBuffer);
    const other = new CompileMemo({ entries: memo.entries() });
    const again = other.remember('k', 'x', () => {
      throw new Error('built again');
    });
    (value.arrays.a as Int32Array)[0] = 42;
    expect(again.arrays.a![0]).toBe(42);
    expect(again.numbers).toEqual({ n: 1 });
  });

  it('files structures under a digest of their input', () => {
    expect(memoKey('a\0b')).toBe(memoKey('a\0b'));
    expect(memoKey('a\0b')).not.toBe(memoKey('a\0c'));
  });
});

describe('frozen strings', () => {
  it('round-trips latin1 strings, empty ones included, one byte per character', () => {
    const strings = ['', 'abc', '\u00e9t\u00e9', '', '\xff\x00x'];
    const f = freezeStrings(strings);
    expect(f.chars).toBeInstanceOf(Uint8Array);
    expect(thawStrings(f.chars, f.ends)).toEqual(strings);
    expect(thawString(f.chars, f.ends, 2)).toBe('\u00e9t\u00e9');
  });

  it('keeps characters above 0xFF, two bytes each', () => {
    const strings = ['\u20acuro', 'abc'];
    const f = freezeStrings(strings);
    expect(f.chars).toBeInstanceOf(Uint16Array);
    expect(thawStrings(f.chars, f.ends)).toEqual(strings);
  });
});

describe('a prefilter from its frozen tables', () => {
  it('answers as the prefilter it was frozen from', () => {
    const patterns = ['(?i)union.*select', '<script|javascript:', '\\.\\./', '(?:a|b)(?:cd|ef)', 'select.{0,4}from'];
    const requirements = patterns.map((p) => patternRequirement(p)!);
    const built = new RegexPrefilter(requirements);
    const thawed = new RegexPrefilter(thawPrefilter(freezePrefilter(prefilterTables(requirements))));
    for (const value of ['UNION x SELECT', '<script>', '../..', 'bef', 'select 1 from', 'nothing', '']) {
      expect(thawed.candidates(value)).toEqual(built.candidates(value));
    }
  });
});

describe('createWaf with a compile memo', () => {
  const directives = [
    'SecRuleEngine On',
    'SecRule ARGS "@rx (?i)union.{0,20}select" "id:1,phase:2,deny,status:403"',
    'SecRule ARGS "@rx <script" "id:2,phase:2,deny,status:403"',
  ].join('\n');
  const verdict = (waf: ReturnType<typeof createWaf>, query: string) => {
    const tx = waf.newTransaction();
    tx.processConnection('127.0.0.1', 1, '127.0.0.1', 80);
    tx.processUri(`/?${query}`, 'GET', '1.1');
    tx.processRequestHeaders();
    return tx.processRequestBody()?.ruleId ?? 0;
  };

  it('builds the prefilter in the first load and reuses it in the next, with the same verdicts', () => {
    const memo = new CompileMemo({ shared: true });
    const first = createWaf({ directives, compileMemo: memo });
    expect(memo.built).toBeGreaterThan(0);
    const builtBefore = memo.built;
    const second = createWaf({ directives, compileMemo: memo });
    expect(memo.built).toBe(builtBefore);
    expect(memo.reused).toBeGreaterThan(0);
    for (const waf of [first, second]) {
      expect(verdict(waf, 'q=UNION%20ALL%20SELECT')).toBe(1);
      expect(verdict(waf, 'q=%3Cscript%3E')).toBe(2);
      expect(verdict(waf, 'q=hello')).toBe(0);
    }
  });
});

describe('CompileMemo.usedEntries', () => {
  it('lists what loads through this memo took or built, not the entries it was given and never asked for', () => {
    const earlier = new CompileMemo();
    earlier.remember('k', 'kept', () => frozen(1));
    earlier.remember('k', 'stale', () => frozen(2));
    const memo = new CompileMemo({ entries: earlier.entries() });
    memo.remember('k', 'kept', () => frozen(9));
    memo.remember('k', 'new', () => frozen(3));
    expect(memo.lookup('k', memoKey('absent'))).toBeUndefined();
    expect(() => memo.remember('k', 'failing', () => { throw new Error('no'); })).toThrow('no');
    expect([...memo.usedEntries()].map((e) => e.key).sort()).toEqual([memoKey('kept'), memoKey('new')].sort());
    expect(memo.size).toBe(3);
  });
});
