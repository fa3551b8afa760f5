import { ConformanceError } from './errors';

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F', digit: '0-9',
  graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@[-`{-~', space: '\\t\\n\\v\\f\\r ', upper: 'A-Z',
  word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

/**
 * Compiles a Go (RE2 syntax) regexp as a JS RegExp: leading `(?flags)`, `(?P<name>`, `\A`, `\z`, `\Q..\E` and
 * POSIX classes are translated. What cannot be translated faithfully is refused rather than approximated.
 */
export function goRegExp(pattern: string): RegExp {
  let src = pattern;
  let flags = '';
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead && lead[1] !== undefined) {
    if (lead[1].includes('U')) throw new ConformanceError('BAD_TEST_INPUT', `regexp ${pattern}: flag U is not supported`);
    flags = [...new Set(lead[1].split(''))].join('');
    src = src.slice(lead[0].length);
  }
  src = src.replace(/\\Q([\s\S]*?)(?:\\E|$)/g, (_m, lit: string) => lit.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  src = src.replace(/\(\?P</g, '(?<');
  src = src.replace(/\[:(\^?)([a-z]+):\]/g, (m, neg: string, name: string) => {
    const cls = POSIX[name];
    if (cls === undefined) return m;
    if (neg !== '') throw new ConformanceError('BAD_TEST_INPUT', `regexp ${pattern}: negated POSIX classes are not supported`);
    return cls;
  });
  src = src.replace(/(^|[^\\])((?:\\\\)*)\\A/g, '$1$2^').replace(/(^|[^\\])((?:\\\\)*)\\z/g, '$1$2$(?![\\s\\S])');
  if (/\(\?[imsU-]+[:)]/.test(src)) throw new ConformanceError('BAD_TEST_INPUT', `regexp ${pattern}: inline flags are only supported at the start`);
  try {
    return new RegExp(src, flags);
  } catch (err) {
    throw new ConformanceError('BAD_TEST_INPUT', `regexp ${pattern}: ${(err as Error).message}`);
  }
}
