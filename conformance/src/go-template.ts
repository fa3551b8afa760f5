import { ConformanceError } from './errors';

/**
 * The part of Go's text/template (with Sprig functions) that go-ftw test data uses: literal text, actions with
 * pipelines of literals and functions (`{{ "1" | repeat 64200 }}`), trim markers and comments.
 *
 * Results follow go-ftw: a template that Go would fail to parse or execute yields a nil body (`undefined`).
 * A construct this subset does not implement (if/range/variables, an unknown function) throws TEMPLATE_UNSUPPORTED,
 * so a test never silently runs with a body go-ftw would not have sent.
 */
export function renderGoTemplate(text: string): string | undefined {
  try {
    return execute(parse(text));
  } catch (err) {
    if (err instanceof TemplateFailure) return undefined;
    throw err;
  }
}

/** Go would refuse this template (parse or exec error): go-ftw then sends no body. */
class TemplateFailure extends Error {}

const MAX_OUTPUT = 64 * 1024 * 1024;

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);

/** Names Go's text/template and Sprig v3 define (names only): a name outside this set fails to parse in Go. */
const KNOWN_FUNCTIONS = new Set(
  (
    'and call html index slice js len not or print printf println urlquery eq ge gt le lt ne ' +
    'hello ago date date_in_zone date_modify dateInZone dateModify duration durationRound htmlDate htmlDateInZone ' +
    'must_date_modify mustDateModify mustToDate now toDate unixEpoch abbrev abbrevboth trunc trim upper lower title ' +
    'untitle substr repeat trimall trimAll trimSuffix trimPrefix nospace initials randAlphaNum randAlpha randAscii ' +
    'randNumeric swapcase shuffle snakecase camelcase kebabcase wrap wrapWith contains hasPrefix hasSuffix quote ' +
    'squote cat indent nindent replace plural sha1sum sha256sum adler32sum toString atoi int64 int float64 seq ' +
    'toDecimal split splitList splitn toStrings until untilStep add1 add sub div mod mul randInt add1f addf subf ' +
    'divf mulf biggest max min maxf minf ceil floor round join sortAlpha default empty coalesce all any compact ' +
    'mustCompact fromJson toJson toPrettyJson toRawJson mustFromJson mustToJson mustToPrettyJson mustToRawJson ' +
    'ternary deepCopy mustDeepCopy typeOf typeIs typeIsLike kindOf kindIs deepEqual env expandenv getHostByName ' +
    'base dir clean ext isAbs osBase osClean osDir osExt osIsAbs b64enc b64dec b32enc b32dec tuple list dict get ' +
    'set unset hasKey pluck keys pick omit merge mergeOverwrite mustMerge mustMergeOverwrite values append push ' +
    'mustAppend mustPush prepend mustPrepend first mustFirst rest mustRest last mustLast initial mustInitial ' +
    'reverse mustReverse uniq mustUniq without mustWithout has mustHas mustSlice concat dig chunk mustChunk bcrypt ' +
    'htpasswd genPrivateKey derivePassword buildCustomCert genCA genCAWithKey genSelfSignedCert ' +
    'genSelfSignedCertWithKey genSignedCert genSignedCertWithKey encryptAES decryptAES randBytes uuidv4 semver ' +
    'semverCompare fail regexMatch mustRegexMatch regexFindAll mustRegexFindAll regexFind mustRegexFind ' +
    'regexReplaceAll mustRegexReplaceAll regexReplaceAllLiteral mustRegexReplaceAllLiteral regexSplit ' +
    'mustRegexSplit regexQuoteMeta urlParse urlJoin'
  ).split(' '),
);

type Value = string | number | boolean | null;
type Token =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'nil' }
  | { kind: 'ident'; name: string }
  | { kind: 'dot' }
  | { kind: 'pipe' }
  | { kind: 'lparen' }
  | { kind: 'rparen' };
type Node = { kind: 'text'; text: string } | { kind: 'action'; tokens: Token[] };

function unsupported(what: string): never {
  throw new ConformanceError('TEMPLATE_UNSUPPORTED', `go template: ${what} is not supported by the harness`);
}

function parse(text: string): Node[] {
  const nodes: Node[] = [];
  let pos = 0;
  while (pos < text.length) {
    const open = text.indexOf('{{', pos);
    if (open === -1) {
      nodes.push({ kind: 'text', text: text.slice(pos) });
      break;
    }
    let before = text.slice(pos, open);
    let inner = open + 2;
    if (/^- [\s\S]/.test(text.slice(inner, inner + 3)) || /^-[\t\r\n]/.test(text.slice(inner, inner + 2))) {
      before = before.replace(/[ \t\r\n]+$/, '');
      inner += 1;
    }
    nodes.push({ kind: 'text', text: before });
    const trimmedStart = text.slice(inner).replace(/^[ \t\r\n]*/, '');
    if (trimmedStart.startsWith('/*')) {
      const end = text.indexOf('*/', inner);
      if (end === -1) throw new TemplateFailure('unclosed comment');
      let after = end + 2;
      const close = /^( -)?}}/.exec(text.slice(after).replace(/^[ \t\r\n]*(?= -}})/, ''));
      if (!close) throw new TemplateFailure('comment ends before closing delimiter');
      after = text.indexOf('}}', after) + 2;
      pos = close[1] ? skipSpace(text, after) : after;
      continue;
    }
    const { tokens, end, trimRight } = lexAction(text, inner);
    nodes.push({ kind: 'action', tokens });
    pos = trimRight ? skipSpace(text, end) : end;
  }
  return nodes;
}

function skipSpace(text: string, pos: number): number {
  while (pos < text.length && ' \t\r\n'.includes(text[pos] as string)) pos++;
  return pos;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };

function lexAction(text: string, start: number): { tokens: Token[]; end: number; trimRight: boolean } {
  const tokens: Token[] = [];
  let i = start;
  for (;;) {
    if (i >= text.length) throw new TemplateFailure('unclosed action');
    const c = text[i] as string;
    if (text.startsWith(' -}}', i) || text.startsWith('\t-}}', i) || text.startsWith('\n-}}', i)) return { tokens, end: i + 4, trimRight: true };
    if (text.startsWith('}}', i)) return { tokens, end: i + 2, trimRight: false };
    if (' \t\r\n'.includes(c)) {
      i++;
    } else if (c === '"') {
      let s = '';
      i++;
      for (;;) {
        const ch = text[i];
        if (ch === undefined || ch === '\n') throw new TemplateFailure('unterminated quoted string');
        if (ch === '"') break;
        if (ch === '\\') {
          const e = text[i + 1] ?? '';
          if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
            s += String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16));
            i += 4;
            continue;
          }
          if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            s += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          const mapped = ESCAPES[e];
          if (mapped === undefined) throw new TemplateFailure('invalid escape');
          s += mapped;
          i += 2;
          continue;
        }
        s += ch;
        i++;
      }
      tokens.push({ kind: 'string', value: s });
      i++;
    } else if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end === -1) throw new TemplateFailure('unterminated raw string');
      tokens.push({ kind: 'string', value: text.slice(i + 1, end) });
      i = end + 1;
    } else if (/[0-9]/.test(c) || ((c === '-' || c === '+') && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^[-+]?[0-9][0-9a-zA-Z_.]*/.exec(text.slice(i));
      const lit = m ? m[0] : c;
      if (!/^[-+]?\d+$/.test(lit)) {
        if (/^[-+]?\d+\.\d+$/.test(lit)) unsupported('a floating-point constant');
        throw new TemplateFailure(`bad number syntax: ${lit}`);
      }
      tokens.push({ kind: 'number', value: Number(lit) });
      i += lit.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const name = (/^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i)) as RegExpExecArray)[0];
      if (name === 'true' || name === 'false') tokens.push({ kind: 'bool', value: name === 'true' });
      else if (name === 'nil') tokens.push({ kind: 'nil' });
      // Go resolves function names while parsing: an unknown one is a parse error (go-ftw: nil body).
      else if (!KEYWORDS.has(name) && !KNOWN_FUNCTIONS.has(name)) throw new TemplateFailure(`function "${name}" not defined`);
      else tokens.push({ kind: 'ident', name });
      i += name.length;
    } else if (c === '|') {
      tokens.push({ kind: 'pipe' });
      i++;
    } else if (c === '(') {
      tokens.push({ kind: 'lparen' });
      i++;
    } else if (c === ')') {
      tokens.push({ kind: 'rparen' });
      i++;
    } else if (c === '.') {
      if (/[A-Za-z_]/.test(text[i + 1] ?? '')) unsupported('field access on the data');
      tokens.push({ kind: 'dot' });
      i++;
    } else if (c === '$') {
      unsupported('a template variable');
    } else {
      throw new TemplateFailure(`unrecognized character in action: ${c}`);
    }
  }
}


function toStr(v: Value): string {
  if (v === null) return '<no value>';
  return String(v);
}

function needString(v: Value | undefined): string {
  if (typeof v !== 'string') throw new TemplateFailure('expected a string argument');
  return v;
}

function needInt(v: Value | undefined): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TemplateFailure('expected an integer argument');
  return v;
}

function arity(args: Value[], n: number): void {
  if (args.length !== n) throw new TemplateFailure(`wrong number of arguments: want ${n}, got ${args.length}`);
}

/** Functions implemented, with the argument order of Go/Sprig (the piped value comes last). */
const FUNCTIONS: Record<string, (args: Value[]) => Value> = {
  repeat: (a) => {
    arity(a, 2);
    const count = needInt(a[0]);
    const s = needString(a[1]);
    if (count < 0) throw new TemplateFailure('negative repeat count');
    if (count * s.length > MAX_OUTPUT) throw new TemplateFailure('repeat result too large');
    return s.repeat(count);
  },
  upper: (a) => (arity(a, 1), needString(a[0]).toUpperCase()),
  lower: (a) => (arity(a, 1), needString(a[0]).toLowerCase()),
  trim: (a) => (arity(a, 1), needString(a[0]).trim()),
  quote: (a) => a.map((v) => JSON.stringify(toStr(v))).join(' '),
  b64enc: (a) => (arity(a, 1), Buffer.from(needString(a[0]), 'utf8').toString('base64')),
  b64dec: (a) => (arity(a, 1), Buffer.from(needString(a[0]), 'base64').toString('utf8')),
  replace: (a) => (arity(a, 3), needString(a[2]).split(needString(a[0])).join(needString(a[1]))),
  cat: (a) => a.filter((v) => v !== null).map(toStr).join(' '),
  print: (a) => a.map((v, i) => (i > 0 && typeof v !== 'string' && typeof a[i - 1] !== 'string' ? ' ' : '') + toStr(v)).join(''),
  len: (a) => (arity(a, 1), Buffer.byteLength(needString(a[0]), 'utf8')),
};

function evalPipeline(tokens: Token[], pos: { i: number }, closing: 'rparen' | 'end'): Value {
  let result: Value | undefined;
  let first = true;
  for (;;) {
    const args: Value[] = [];
    let fn: string | undefined;
    let literal: Value | undefined;
    let count = 0;
    while (pos.i < tokens.length) {
      const t = tokens[pos.i] as Token;
      if (t.kind === 'pipe' || t.kind === 'rparen') break;
      pos.i++;
      let v: Value;
      if (t.kind === 'ident') {
        if (KEYWORDS.has(t.name)) unsupported(`the "${t.name}" action`);
        if (!(t.name in FUNCTIONS)) unsupported(`the function "${t.name}"`);
        if (count === 0) {
          fn = t.name;
          count++;
          continue;
        }
        v = (FUNCTIONS[t.name] as (a: Value[]) => Value)([]);
      } else if (t.kind === 'lparen') {
        v = evalPipeline(tokens, pos, 'rparen');
        if ((tokens[pos.i] as Token | undefined)?.kind !== 'rparen') throw new TemplateFailure('unclosed left paren');
        pos.i++;
      } else if (t.kind === 'string' || t.kind === 'number' || t.kind === 'bool') {
        v = t.value;
      } else {
        v = null;
      }
      if (count === 0) literal = v;
      else args.push(v);
      count++;
    }
    if (count === 0) throw new TemplateFailure('missing value for command');
    if (!first) args.push(result as Value);
    if (fn !== undefined) {
      result = (FUNCTIONS[fn] as (a: Value[]) => Value)(args);
    } else {
      if (args.length > 0) throw new TemplateFailure("can't give argument to non-function");
      result = literal as Value;
    }
    first = false;
    const next = tokens[pos.i];
    if (next?.kind === 'pipe') {
      pos.i++;
      continue;
    }
    if (closing === 'end' && next !== undefined) throw new TemplateFailure('unexpected token');
    return result;
  }
}

function execute(nodes: Node[]): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else {
      if (node.tokens.length === 0) throw new TemplateFailure('missing value for command');
      out += toStr(evalPipeline(node.tokens, { i: 0 }, 'end'));
    }
    if (out.length > MAX_OUTPUT) throw new TemplateFailure('template output too large');
  }
  return out;
}
