/**
 * XPath 1.0 expressions as libxml2 reads them for ModSecurity's `XML:<xpath>` targets: a tokenizer that applies
 * the spec's disambiguation rules (section 3.7: `*` and `and`/`or`/`div`/`mod` are operators only after an operand)
 * and a recursive-descent parser of the spec's grammar into a plain AST. Not supported, refused with a message:
 * variables (`$x`, ModSecurity binds none), the `namespace`, `following` and `preceding` axes, and the `id()` and
 * `lang()` functions.
 *
 * @example SecRule XML://bookstore/*[local-name()='some-tag'] "@rx x" "id:1,phase:2,deny"
 */

export type NodeTest =
  | { readonly kind: 'name'; readonly prefix: string; readonly local: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'prefix-any'; readonly prefix: string }
  | { readonly kind: 'text' | 'node' | 'comment' }
  | { readonly kind: 'pi'; readonly target?: string };

export type Axis =
  | 'child'
  | 'attribute'
  | 'self'
  | 'parent'
  | 'descendant'
  | 'descendant-or-self'
  | 'ancestor'
  | 'ancestor-or-self'
  | 'following-sibling'
  | 'preceding-sibling';

export interface Step {
  readonly axis: Axis;
  readonly test: NodeTest;
  readonly predicates: readonly Expr[];
}

export type BinaryOperator = 'or' | 'and' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | 'div' | 'mod' | '|';

export type Expr =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[] }
  | { readonly kind: 'binary'; readonly op: BinaryOperator; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'negate'; readonly operand: Expr }
  /** A location path, or a filter expression (`(//a)[1]`) with the steps that follow it. */
  | {
      readonly kind: 'path';
      readonly absolute: boolean;
      readonly filter?: { readonly primary: Expr; readonly predicates: readonly Expr[] };
      readonly steps: readonly Step[];
    };

const AXES: ReadonlySet<string> = new Set<Axis>([
  'child', 'attribute', 'self', 'parent', 'descendant', 'descendant-or-self', 'ancestor', 'ancestor-or-self',
  'following-sibling', 'preceding-sibling',
]);
const NODE_TYPES: ReadonlySet<string> = new Set(['text', 'node', 'comment', 'processing-instruction']);

type Token =
  | { readonly t: 'op'; readonly v: string; readonly at: number }
  | { readonly t: 'name'; readonly prefix: string; readonly local: string; readonly at: number }
  | { readonly t: 'literal'; readonly v: string; readonly at: number }
  | { readonly t: 'number'; readonly v: number; readonly at: number };

const NCNAME = /[A-Za-z_\x80-\uffff][A-Za-z0-9_.\x80-\uffff-]*/y;
const NUMBER = /[0-9]+(?:\.[0-9]*)?|\.[0-9]+/y;
const OPERATOR_NAMES: ReadonlySet<string> = new Set(['and', 'or', 'div', 'mod']);

export class XPathSyntaxError extends Error {}

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let p = 0;
  // Section 3.7: after an operand, `*` is multiplication and an NCName is an operator name.
  const afterOperand = (): boolean => {
    const prev = out[out.length - 1];
    if (prev === undefined) return false;
    if (prev.t !== 'op') return true;
    return prev.v === ')' || prev.v === ']' || prev.v === '.' || prev.v === '..' || prev.v === '*name';
  };
  while (p < s.length) {
    const c = s.charAt(p);
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      p++;
      continue;
    }
    const at = p;
    if (c === '"' || c === "'") {
      const end = s.indexOf(c, p + 1);
      if (end === -1) throw new XPathSyntaxError(`unterminated string at ${p}`);
      out.push({ t: 'literal', v: s.slice(p + 1, end), at });
      p = end + 1;
      continue;
    }
    NUMBER.lastIndex = p;
    const num = NUMBER.exec(s);
    if (num !== null && !(c === '.' && num[0] === '.')) {
      out.push({ t: 'number', v: Number(num[0]), at });
      p += num[0].length;
      continue;
    }
    const two = s.slice(p, p + 2);
    if (two === '//' || two === '..' || two === '::' || two === '!=' || two === '<=' || two === '>=') {
      out.push({ t: 'op', v: two, at });
      p += 2;
      continue;
    }
    if (c === '*') {
      // A wildcard name test is an operand (tagged '*name'); multiplication is '*'.
      out.push({ t: 'op', v: afterOperand() ? '*' : '*name', at });
      p++;
      continue;
    }
    if ('()[].@,/|+-=<>'.includes(c)) {
      out.push({ t: 'op', v: c, at });
      p++;
      continue;
    }
    if (c === '$') throw new XPathSyntaxError(`variables are not supported (at ${p})`);
    NCNAME.lastIndex = p;
    const name = NCNAME.exec(s);
    if (name === null) throw new XPathSyntaxError(`unexpected '${c}' at ${p}`);
    p += name[0].length;
    if (afterOperand() && OPERATOR_NAMES.has(name[0])) {
      out.push({ t: 'op', v: name[0], at });
      continue;
    }
    if (s.charAt(p) === ':' && s.charAt(p + 1) !== ':') {
      if (s.charAt(p + 1) === '*') {
        out.push({ t: 'name', prefix: name[0], local: '*', at });
        p += 2;
        continue;
      }
      NCNAME.lastIndex = p + 1;
      const local = NCNAME.exec(s);
      if (local === null) throw new XPathSyntaxError(`a local name is expected at ${p + 1}`);
      out.push({ t: 'name', prefix: name[0], local: local[0], at });
      p += 1 + local[0].length;
      continue;
    }
    out.push({ t: 'name', prefix: '', local: name[0], at });
  }
  return out;
}

/** Parses a whole XPath 1.0 expression; throws XPathSyntaxError naming what is wrong or unsupported. */
export function parseXPath(source: string): Expr {
  const tokens = tokenize(source);
  if (tokens.length === 0) throw new XPathSyntaxError('empty expression');
  let i = 0;
  const peek = (k = 0): Token | undefined => tokens[i + k];
  const isOp = (v: string, k = 0): boolean => {
    const t = peek(k);
    return t !== undefined && t.t === 'op' && t.v === v;
  };
  const expectOp = (v: string): void => {
    if (!isOp(v)) throw new XPathSyntaxError(`'${v}' expected ${where()}`);
    i++;
  };
  const where = (): string => {
    const t = peek();
    return t === undefined ? 'at the end' : `at ${t.at}`;
  };

  const binary = (ops: readonly string[], next: () => Expr): (() => Expr) => () => {
    let left = next();
    for (;;) {
      const t = peek();
      if (t === undefined || t.t !== 'op' || !ops.includes(t.v)) return left;
      i++;
      left = { kind: 'binary', op: t.v as BinaryOperator, left, right: next() };
    }
  };

  const unary = (): Expr => {
    if (isOp('-')) {
      i++;
      return { kind: 'negate', operand: unary() };
    }
    return union();
  };
  const multiplicative = binary(['*', 'div', 'mod'], unary);
  const additive = binary(['+', '-'], multiplicative);
  const relational = binary(['<', '<=', '>', '>='], additive);
  const equality = binary(['=', '!='], relational);
  const and = binary(['and'], equality);
  const expr: () => Expr = binary(['or'], and);

  function union(): Expr {
    return binary(['|'], pathExpr)();
  }

  function startsStep(): boolean {
    const t = peek();
    if (t === undefined) return false;
    if (t.t === 'name') return true;
    return t.t === 'op' && (t.v === '*name' || t.v === '@' || t.v === '.' || t.v === '..');
  }

  function isFunctionCall(): boolean {
    const t = peek();
    return t !== undefined && t.t === 'name' && isOp('(', 1) && !(t.prefix === '' && NODE_TYPES.has(t.local));
  }

  function pathExpr(): Expr {
    const t = peek();
    if (t === undefined) throw new XPathSyntaxError('an expression is expected at the end');
    if (t.t === 'literal' || t.t === 'number' || isOp('(') || isFunctionCall()) {
      const primary = primaryExpr();
      const predicates = predicateList();
      if (!isOp('/') && !isOp('//')) return predicates.length === 0 ? primary : { kind: 'path', absolute: false, filter: { primary, predicates }, steps: [] };
      return { kind: 'path', absolute: false, filter: { primary, predicates }, steps: relativePath([]) };
    }
    if (isOp('/')) {
      i++;
      return { kind: 'path', absolute: true, steps: startsStep() ? relativePath([]) : [] };
    }
    if (isOp('//')) {
      i++;
      return { kind: 'path', absolute: true, steps: relativePath([DESCENDANT_OR_SELF]) };
    }
    if (!startsStep()) throw new XPathSyntaxError(`unexpected token ${where()}`);
    return { kind: 'path', absolute: false, steps: relativePath([]) };
  }

  /** Steps separated by `/` or `//`; when called after a separator was consumed by the caller, `steps` is the prefix. */
  function relativePath(steps: Step[]): Step[] {
    if (isOp('/') || isOp('//')) {
      // after a filter expression: FilterExpr '/' RelativeLocationPath
      if (isOp('//')) steps.push(DESCENDANT_OR_SELF);
      i++;
    }
    steps.push(step());
    for (;;) {
      if (isOp('/')) {
        i++;
      } else if (isOp('//')) {
        i++;
        steps.push(DESCENDANT_OR_SELF);
      } else {
        return steps;
      }
      steps.push(step());
    }
  }

  function step(): Step {
    if (isOp('.')) {
      i++;
      return { axis: 'self', test: { kind: 'node' }, predicates: [] };
    }
    if (isOp('..')) {
      i++;
      return { axis: 'parent', test: { kind: 'node' }, predicates: [] };
    }
    let axis: Axis = 'child';
    const t = peek();
    if (isOp('@')) {
      axis = 'attribute';
      i++;
    } else if (t !== undefined && t.t === 'name' && t.prefix === '' && isOp('::', 1)) {
      if (!AXES.has(t.local)) throw new XPathSyntaxError(`the ${t.local} axis is not supported`);
      axis = t.local as Axis;
      i += 2;
    }
    return { axis, test: nodeTest(), predicates: predicateList() };
  }

  function nodeTest(): NodeTest {
    const t = peek();
    if (t === undefined) throw new XPathSyntaxError('a node test is expected at the end');
    if (t.t === 'op' && t.v === '*name') {
      i++;
      return { kind: 'any' };
    }
    if (t.t !== 'name') throw new XPathSyntaxError(`a node test is expected at ${t.at}`);
    i++;
    if (t.prefix === '' && NODE_TYPES.has(t.local) && isOp('(')) {
      i++;
      let target: string | undefined;
      const arg = peek();
      if (t.local === 'processing-instruction' && arg !== undefined && arg.t === 'literal') {
        target = arg.v;
        i++;
      }
      expectOp(')');
      if (t.local === 'processing-instruction') return target === undefined ? { kind: 'pi' } : { kind: 'pi', target };
      return { kind: t.local as 'text' | 'node' | 'comment' };
    }
    if (t.local === '*') return { kind: 'prefix-any', prefix: t.prefix };
    return { kind: 'name', prefix: t.prefix, local: t.local };
  }

  function predicateList(): Expr[] {
    const out: Expr[] = [];
    while (isOp('[')) {
      i++;
      out.push(expr());
      expectOp(']');
    }
    return out;
  }

  function primaryExpr(): Expr {
    const t = peek() as Token;
    if (t.t === 'literal') {
      i++;
      return { kind: 'string', value: t.v };
    }
    if (t.t === 'number') {
      i++;
      return { kind: 'number', value: t.v };
    }
    if (isOp('(')) {
      i++;
      const inner = expr();
      expectOp(')');
      return inner;
    }
    if (t.t !== 'name') throw new XPathSyntaxError(`unexpected token at ${t.at}`);
    const name = t.prefix === '' ? t.local : `${t.prefix}:${t.local}`;
    i += 2;
    const args: Expr[] = [];
    if (!isOp(')')) {
      args.push(expr());
      while (isOp(',')) {
        i++;
        args.push(expr());
      }
    }
    expectOp(')');
    return { kind: 'call', name, args };
  }

  const result = expr();
  if (i < tokens.length) throw new XPathSyntaxError(`unexpected token ${where()}`);
  return result;
}

const DESCENDANT_OR_SELF: Step = { axis: 'descendant-or-self', test: { kind: 'node' }, predicates: [] };

/** Every namespace prefix a name test of the expression uses (libxml2 fails the evaluation on an unbound one). */
export function prefixesOf(e: Expr, out: Set<string> = new Set()): Set<string> {
  switch (e.kind) {
    case 'number':
    case 'string':
      break;
    case 'call':
      for (const a of e.args) prefixesOf(a, out);
      break;
    case 'binary':
      prefixesOf(e.left, out);
      prefixesOf(e.right, out);
      break;
    case 'negate':
      prefixesOf(e.operand, out);
      break;
    case 'path':
      if (e.filter) {
        prefixesOf(e.filter.primary, out);
        for (const p of e.filter.predicates) prefixesOf(p, out);
      }
      for (const s of e.steps) {
        if ((s.test.kind === 'name' || s.test.kind === 'prefix-any') && s.test.prefix !== '') out.add(s.test.prefix);
        for (const p of s.predicates) prefixesOf(p, out);
      }
      break;
  }
  return out;
}
