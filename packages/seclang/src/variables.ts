import type { Selector, VariableRef } from './ast';
import { findVariable } from './catalog';
import { clip, type DiagnosticSink } from './diagnostics';
import type { Span } from './source-text';

const NAME_CHAR = /[A-Za-z0-9_]/;

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\f' || c === '\v';
}

/**
 * Reads a SecRule target list: `REQUEST_HEADERS:User-Agent|!REQUEST_HEADERS:Referer|&TX:foo|ARGS:/^id_/|XML:/*`.
 *
 * Selectors: `:key` (or `.key`, as v3 reads `TX.partial`) runs to the next `|`; `:'quoted key'` (with `\'`) to its
 * closing quote, and `:'/regex/'` is a regex; `:/regex/` is closed
 * by a `/` that is followed by `|` or the end, so a regex may contain `/` and `|`; on `XML` the selector is an
 * XPath expression and runs to the next `|` (`XML://@*` is not a regex).
 */
export function scanVariableList(span: Span, sink: DiagnosticSink): VariableRef[] {
  const text = span.text;
  const out: VariableRef[] = [];
  const n = text.trimEnd().length;
  let i = 0;
  while (i < n && isBlank(text[i])) i++;
  if (i === n) {
    sink.error('syntax', 'empty target list', span.loc(0, n));
    return out;
  }
  while (i < n) {
    const start = i;
    let negated = false;
    let count = false;
    while (text[i] === '!' || text[i] === '&') {
      if (text[i] === '!') negated = true;
      else count = true;
      i++;
    }
    const nameStart = i;
    while (i < n && NAME_CHAR.test(text[i] as string)) i++;
    const rawName = text.slice(nameStart, i);
    let ok = true;
    if (rawName === '') {
      sink.error('syntax', `expected a variable name at '${preview(text, i)}'`, span.loc(i, i + 1));
      ok = false;
    }
    let selector: Selector | undefined;
    // `TX.partial`, `ip.counter`: libmodsecurity v3 also reads a `.` after the name as the selector's `:`.
    if (ok && (text[i] === ':' || (text[i] === '.' && i + 1 < n && text[i + 1] !== '|'))) {
      const r = readSelector(span, i + 1, n, rawName, sink);
      selector = r.selector;
      i = r.end;
      ok = r.ok;
    }
    if (!ok) {
      // Resynchronise at the next separator so that one bad entry does not hide the others.
      while (i < n && text[i] !== '|') i++;
    }
    const end = i;
    if (ok) {
      const info = findVariable(rawName);
      const loc = span.loc(start, end);
      if (info === undefined) sink.error('unknown-variable', `unknown variable '${clip(rawName)}'`, span.loc(nameStart, nameStart + rawName.length));
      const ref: VariableRef = { name: info?.name ?? rawName, rawName, negated, count, loc };
      if (selector !== undefined) ref.selector = selector;
      out.push(ref);
    }
    while (i < n && isBlank(text[i])) i++;
    if (i < n && text[i] !== '|') {
      sink.error('syntax', `expected '|' between targets at '${preview(text, i)}'`, span.loc(i, i + 1));
      while (i < n && text[i] !== '|') i++;
    }
    if (i < n && text[i] === '|') {
      const bar = i;
      i++;
      while (i < n && isBlank(text[i])) i++;
      if (i === n) sink.error('syntax', "target list ends with '|'", span.loc(bar, bar + 1));
    }
  }
  return out;
}

interface SelectorResult {
  selector?: Selector;
  end: number;
  ok: boolean;
}

function readSelector(span: Span, from: number, n: number, rawName: string, sink: DiagnosticSink): SelectorResult {
  const text = span.text;
  if ((findVariable(rawName)?.name ?? rawName).toUpperCase() === 'XML') {
    const end = Math.min(indexOrEnd(text, '|', from), n);
    const path = text.slice(from, end).trimEnd();
    if (path === '') return badSelector(span, from - 1, `empty XPath selector after '${clip(rawName)}:'`, sink, from);
    return { selector: { kind: 'xpath', path }, end: from + path.length, ok: true };
  }
  const c = text[from];
  if (c === "'") {
    let value = '';
    let i = from + 1;
    while (i < n && text[i] !== "'") {
      if (text[i] === '\\' && text[i + 1] === "'") {
        value += "'";
        i += 2;
      } else {
        value += text[i] as string;
        i++;
      }
    }
    if (i >= n) return badSelector(span, from, `unterminated quoted selector on ${clip(rawName)}`, sink, n);
    // `ARGS:'/^k/'`: libmodsecurity v3 reads a quoted key between slashes as a regex, as `ARGS:/^k/`.
    if (value.length > 2 && value.startsWith('/') && value.endsWith('/')) return { selector: { kind: 'regex', pattern: value.slice(1, -1) }, end: i + 1, ok: true };
    return { selector: { kind: 'key', value, quoted: true }, end: i + 1, ok: true };
  }
  if (c === '/') {
    // The closing `/` is the first unescaped one followed by `|` or the end of the list.
    let i = from + 1;
    while (i < n) {
      const ch = text[i];
      if (ch === '\\') {
        i += 2;
        continue;
      }
      if (ch === '/' && (i + 1 === n || text[i + 1] === '|')) break;
      i++;
    }
    if (i >= n) {
      // Nothing after this point can close a regex either: give up on the rest of the list (and stay linear).
      badSelector(span, from, `unterminated regex selector on ${clip(rawName)} (a regex selector is /.../ followed by '|' or the end)`, sink, n);
      return { end: n, ok: false };
    }
    const pattern = text.slice(from + 1, i);
    if (pattern === '') return badSelector(span, from, `empty regex selector on ${clip(rawName)}`, sink, i + 1);
    return { selector: { kind: 'regex', pattern }, end: i + 1, ok: true };
  }
  let end = from;
  while (end < n && text[end] !== '|' && !isBlank(text[end])) end++;
  const value = text.slice(from, end);
  if (value === '') return badSelector(span, from - 1, `empty selector after '${clip(rawName)}:'`, sink, from);
  return { selector: { kind: 'key', value, quoted: false }, end, ok: true };
}

function badSelector(span: Span, from: number, message: string, sink: DiagnosticSink, to = from + 1): SelectorResult {
  sink.error('bad-selector', message, span.loc(from, Math.max(to, from + 1)));
  return { end: from, ok: false };
}

function indexOrEnd(text: string, ch: string, from: number): number {
  const i = text.indexOf(ch, from);
  return i === -1 ? text.length : i;
}

function preview(text: string, i: number): string {
  return text.slice(i, i + 12) || '<end>';
}
