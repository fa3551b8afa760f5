import {
  EVENT_NAMES_LIBINJECTION,
  classifyAttribute,
  CONTEXT_NONE_ANSI,
  CONTEXT_SINGLE_ANSI,
  detectSqli,
  detectXss,
  foldTokens,
  Html5Tokenizer,
  isBlackTag,
  isXssInContext,
  SqliToken,
  SqliTokenizer,
  sqliFingerprint,
  TOKEN_SLOTS,
  XSS_CONTEXTS,
} from '../src';
import type { Html5Context, SqliOptions, XssOptions } from '../src';

// detectSqli and detectXss reuse one tokenizer, one set of token slots and one folder across calls.
// These tests look for state that leaks from one call into the next.

const SQLI_INPUTS = [
  'Widget',
  "1' or '1'='1",
  '-1 union select 1,2,3',
  "O'Reilly",
  '1;drop table users',
  'Lorem ipsum dolor sit amet',
  '/*! select */',
  '1 -- note',
  '1',
  '1 #x\n union select 1',
  '"a" or "b"="b',
  'x'.repeat(5000) + "' union select password from users--",
  '',
];

const XSS_INPUTS = [
  'Widget',
  '<script>alert(1)</script>',
  '" onmouseover="alert(1)',
  '<a href="https://example.com/">x</a>',
  '<a href=" &#106;avascript:alert(1)">',
  '<!--[if gte IE 4]><script>alert(1)</script><![endif]-->',
  'en-US,en;q=0.5',
  '',
];

/** How many times `detect` calls `next` of the tokenizers of `proto`. */
function countNext(proto: { next(...args: never[]): boolean }, detect: () => unknown): number {
  const spy = jest.spyOn(proto, 'next');
  try {
    detect();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

/** Makes `next` of every tokenizer of `proto` throw on its `n`th call from now on, once. */
function failNthNext(proto: { next(...args: never[]): boolean }, n: number): jest.SpyInstance {
  const original = proto.next;
  let calls = 0;
  return jest.spyOn(proto, 'next').mockImplementation(function (this: unknown, ...args: never[]): boolean {
    calls++;
    if (calls === n) throw new Error('tokenizer failed');
    return original.apply(this, args);
  });
}

describe('pooled SQLi state', () => {
  const expected = SQLI_INPUTS.map((input) => detectSqli(input));

  it('finds SQLi in some inputs and not in others (the checks below compare real verdicts)', () => {
    expect(expected.filter((r) => r.isSqli).length).toBeGreaterThan(3);
    expect(expected.filter((r) => !r.isSqli).length).toBeGreaterThan(2);
  });

  it('gives every input its own result whatever ran before (A, B, A and every order)', () => {
    for (let i = 0; i < SQLI_INPUTS.length; i++) {
      for (let j = 0; j < SQLI_INPUTS.length; j++) {
        const a = SQLI_INPUTS[i] as string;
        const b = SQLI_INPUTS[j] as string;
        expect(detectSqli(a)).toEqual(expected[i]);
        expect(detectSqli(b)).toEqual(expected[j]);
        expect(detectSqli(a)).toEqual(expected[i]);
      }
    }
  });

  it('is not poisoned by a call that throws half-way', () => {
    // Inputs that are not SQLi as they stand and hold a quote, so that a second context is tried
    // after the first one has filled the pooled slots; the failure hits at every token in turn.
    const twoContexts = ["O'Reilly", "x' or 1=1", "x' or 'a'='a", "it's"];
    for (const input of twoContexts) {
      const calls = countNext(SqliTokenizer.prototype, () => detectSqli(input));
      expect(calls).toBeGreaterThan(4);
      for (let n = 1; n <= calls; n++) {
        const spy = failNthNext(SqliTokenizer.prototype, n);
        try {
          expect(() => detectSqli(input)).toThrow('tokenizer failed');
        } finally {
          spy.mockRestore();
        }
        for (let j = 0; j < SQLI_INPUTS.length; j++) expect(detectSqli(SQLI_INPUTS[j] as string)).toEqual(expected[j]);
      }
    }
  });

  it('reads the options once, before it starts, so a getter cannot interfere', () => {
    let reads = 0;
    const counting: SqliOptions = {
      get legacyExponent(): boolean {
        reads++;
        // A getter that calls back into the detector must not disturb the call that reads it.
        detectSqli('1 union select 1');
        return false;
      },
    };
    expect(detectSqli("x' or 'a'='a", counting)).toEqual(detectSqli("x' or 'a'='a"));
    expect(reads).toBe(1);
    expect(detectSqli('1.e union select 1', { legacyExponent: true })).not.toEqual(detectSqli('1.e union select 1'));
  });

  it('gives every input its own fingerprint per context whatever was folded before', () => {
    const fingerprints = (input: string): string[] =>
      [CONTEXT_NONE_ANSI, CONTEXT_SINGLE_ANSI].map((ctx) => sqliFingerprint(input, ctx).tokens.map((t) => t.toString()).join(' | '));
    const want = SQLI_INPUTS.map(fingerprints);
    expect(new Set(want.map((w) => w.join())).size).toBe(SQLI_INPUTS.length);
    for (let i = 0; i < SQLI_INPUTS.length; i++) {
      for (let j = 0; j < SQLI_INPUTS.length; j++) {
        expect(fingerprints(SQLI_INPUTS[i] as string)).toEqual(want[i]);
        expect(fingerprints(SQLI_INPUTS[j] as string)).toEqual(want[j]);
      }
    }
  });

  it('gives a call made from inside a call (a tokenizer that detects again) state of its own', () => {
    const original = SqliTokenizer.prototype.next;
    let depth = 0;
    const spy = jest.spyOn(SqliTokenizer.prototype, 'next').mockImplementation(function (this: SqliTokenizer, token: SqliToken): boolean {
      if (depth === 0) {
        depth++;
        try {
          detectSqli('1 union select 1 -- x');
          sqliFingerprint("x' or 'a'='a", CONTEXT_SINGLE_ANSI);
        } finally {
          depth--;
        }
      }
      return original.call(this, token);
    });
    try {
      for (let i = 0; i < SQLI_INPUTS.length; i++) expect(detectSqli(SQLI_INPUTS[i] as string)).toEqual(expected[i]);
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('returns a new result object per call, so a caller may change it', () => {
    const first = detectSqli("1' or '1'='1");
    const second = detectSqli("1' or '1'='1");
    expect(second).not.toBe(first);
    first.fingerprint = 'changed';
    first.isSqli = false;
    expect(detectSqli("1' or '1'='1")).toEqual({ isSqli: true, fingerprint: 's&sos' });
    const benign = detectSqli('Widget');
    benign.isSqli = true;
    expect(detectSqli('Widget')).toEqual({ isSqli: false, fingerprint: '' });
  });

  it('leaves tokens handed out by sqliFingerprint alone', () => {
    const f = sqliFingerprint("1' or '1'='1", CONTEXT_SINGLE_ANSI);
    const before = f.tokens.map((t) => t.toString());
    for (const input of SQLI_INPUTS) detectSqli(input);
    expect(f.tokens.map((t) => t.toString())).toEqual(before);
    expect(before.length).toBeGreaterThan(0);
  });

  it('a reset tokenizer gives the same tokens as a new one', () => {
    const reused = new SqliTokenizer('', CONTEXT_NONE_ANSI);
    const tok = new SqliToken();
    for (const input of SQLI_INPUTS) {
      const fresh = new SqliTokenizer(input, CONTEXT_NONE_ANSI);
      const want: string[] = [];
      while (fresh.next(tok)) want.push(tok.toString());
      reused.reset(input, CONTEXT_NONE_ANSI, {});
      const got: string[] = [];
      while (reused.next(tok)) got.push(tok.toString());
      expect(got).toEqual(want);
      expect(reused.statsTokens).toBe(fresh.statsTokens);
    }
  });

  it('folds the same way after a fold that threw', () => {
    const slots = (): SqliToken[] => Array.from({ length: TOKEN_SLOTS }, () => new SqliToken());
    const fold = (input: string): string[] => {
      const s = slots();
      const n = foldTokens(new SqliTokenizer(input, CONTEXT_NONE_ANSI), s);
      return s.slice(0, n).map((t) => t.toString());
    };
    const want = fold('1 /* c */ union select 1 -- x');
    expect(want).toContain('c -- x');
    const broken = new SqliTokenizer("1' or 1=1 -- x", CONTEXT_NONE_ANSI);
    let calls = 0;
    broken.next = (token: SqliToken): boolean => {
      calls++;
      if (calls === 3) throw new Error('tokenizer failed');
      return SqliTokenizer.prototype.next.call(broken, token);
    };
    expect(() => foldTokens(broken, slots())).toThrow('tokenizer failed');
    expect(fold('1 /* c */ union select 1 -- x')).toEqual(want);
  });
});

describe('pooled XSS state', () => {
  const expected = XSS_INPUTS.map((input) => detectXss(input));
  const perContext = XSS_INPUTS.map((input) => XSS_CONTEXTS.map((ctx) => isXssInContext(input, ctx)));

  it('finds XSS in some inputs and not in others', () => {
    expect(expected.filter((x) => x).length).toBeGreaterThan(2);
    expect(expected.filter((x) => !x).length).toBeGreaterThan(2);
  });

  it('gives every input its own verdict whatever ran before', () => {
    for (let i = 0; i < XSS_INPUTS.length; i++) {
      for (let j = 0; j < XSS_INPUTS.length; j++) {
        expect(detectXss(XSS_INPUTS[i] as string)).toBe(expected[i]);
        expect(detectXss(XSS_INPUTS[j] as string)).toBe(expected[j]);
        expect(detectXss(XSS_INPUTS[i] as string)).toBe(expected[i]);
        expect(XSS_CONTEXTS.map((ctx) => isXssInContext(XSS_INPUTS[j] as string, ctx))).toEqual(perContext[j]);
      }
    }
  });

  it('is not poisoned by a call that throws half-way', () => {
    const input = '" b=c x <a href="x"> <b>Widget</b> <img src=x onerror=alert(1)>';
    const calls = countNext(Html5Tokenizer.prototype, () => detectXss(input));
    expect(calls).toBeGreaterThan(10);
    for (let n = 1; n <= calls; n++) {
      const spy = failNthNext(Html5Tokenizer.prototype, n);
      try {
        expect(() => detectXss(input)).toThrow('tokenizer failed');
      } finally {
        spy.mockRestore();
      }
      for (let i = 0; i < XSS_INPUTS.length; i++) expect(detectXss(XSS_INPUTS[i] as string)).toBe(expected[i]);
    }
  });

  it('gives a scan started from inside a scan a tokenizer of its own', () => {
    const original = Html5Tokenizer.prototype.next;
    let depth = 0;
    const spy = jest.spyOn(Html5Tokenizer.prototype, 'next').mockImplementation(function (this: Html5Tokenizer): boolean {
      if (depth === 0) {
        depth++;
        try {
          detectXss('<b>bold</b> <i onclick=x>');
        } finally {
          depth--;
        }
      }
      return original.call(this);
    });
    try {
      for (let i = 0; i < XSS_INPUTS.length; i++) expect(detectXss(XSS_INPUTS[i] as string)).toBe(expected[i]);
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('reads the options once, before it starts, so a getter cannot interfere', () => {
    let reads = 0;
    const counting: XssOptions = {
      get eventNames(): readonly string[] {
        reads++;
        detectXss('<b onclick=x>');
        return EVENT_NAMES_LIBINJECTION;
      },
    };
    expect(detectXss('<b onauxclick=x> <a href=javascript:x>', counting)).toBe(true);
    expect(reads).toBe(1);
    expect(detectXss('<b onauxclick=x>', counting)).toBe(false);
    expect(detectXss('<b onauxclick=x>')).toBe(true);
  });

  it('looks for NUL bytes in each input afresh (the NUL search is remembered within one scan)', () => {
    const withNul = [
      '<scr\0ipt>x',
      '<ifra\0\0me src=x>',
      '<animate attributeName="hr\0ef" values="javascript:x">',
      '<a b=c d=e onclick\0=x>',
      '<scrxipt>x<animate attributeName="hxref">',
      'x'.repeat(300) + '\0<svg>',
      '<b>' + 'y'.repeat(300) + '<bogus-tag-with-a-long-name\0>',
    ];
    const verdicts = withNul.map((input) => detectXss(input));
    expect(verdicts.filter((v) => v).length).toBeGreaterThan(2);
    expect(verdicts.filter((v) => !v).length).toBeGreaterThan(0);
    for (let round = 0; round < 3; round++) {
      const order = round === 1 ? [...withNul.keys()].reverse() : [...withNul.keys()];
      for (const i of order) {
        expect(detectXss(withNul[i] as string)).toBe(verdicts[i]);
        expect(isBlackTag('scr\0ipt')).toBe(true);
        expect(isBlackTag('scrxipt')).toBe(false);
        expect(isBlackTag('ifr\0ame')).toBe(true);
        expect(classifyAttribute('hr\0ef')).toBe('ATTR_URL');
        expect(classifyAttribute('hxref')).toBe('NONE');
      }
    }
  });

  it('a reset tokenizer gives the same tokens as a new one', () => {
    const reused = new Html5Tokenizer('<b onclick=x>', 'data');
    while (reused.next()) {
      // Runs the first input to its end so that the reset below starts from a used tokenizer.
    }
    const list = (h: Html5Tokenizer): string[] => {
      const out: string[] = [];
      while (h.next()) out.push(`${h.tokenType} ${h.tokenValue()}`);
      return out;
    };
    for (const input of XSS_INPUTS) {
      for (const ctx of XSS_CONTEXTS) {
        const want = list(new Html5Tokenizer(input, ctx));
        reused.reset(input, ctx as Html5Context);
        expect(list(reused)).toEqual(want);
      }
    }
  });
});
