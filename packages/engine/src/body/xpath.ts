/**
 * XPath behind the `XML:<xpath>` variable. Each selected node gives one value: its string value, as
 * libxml2's `xmlNodeGetContent` gives it to ModSecurity (an element: all its descendant text and CDATA
 * concatenated in document order, comments and PIs excluded; an attribute: its value; a text node: its text).
 * So `XML:/*` gives ONE value, the text of the whole document (the root element's string value), and `XML://@*`
 * gives one value per attribute in the document.
 *
 * The expression is XPath 1.0 as libxml2 evaluates it (syntax in xpath-syntax.ts, functions in xpath-functions.ts):
 * absolute and relative location paths (a relative one starts at the document), `//`, `.`, `..`, the axes child,
 * attribute (`@`), self, parent, descendant(-or-self), ancestor(-or-self), following-sibling and preceding-sibling,
 * every node test, unions (`//a | //b`), and
 * predicates that are any expression: `[3]`, `[last()]`, `[@id='x']`, `[text()]`, `[local-name()='tag']`,
 * `[contains(., 'x') and position() > 1]`, with XPath 1.0's comparisons and conversions. Refused at load time, with a
 * message: an expression that does not select nodes (`count(//a)`: v3 gives no value for it, so the rule could
 * never match), variables, the namespace/following/preceding axes, `id()` and `lang()`.
 * Names follow XPath 1.0: an unprefixed name matches only elements in no namespace; a prefix must be bound through
 * the rule's `xmlns` action (`xmlns:soap=http://schemas.xmlsoap.org/soap/envelope/`), otherwise nothing matches (as
 * libxml2, which fails the evaluation on an undefined prefix).
 *
 * @example SecRule XML:/soap:Envelope/soap:Body//*[local-name()='password'] "@rx evil" "id:1003,phase:2,deny,xmlns:soap=http://schemas.xmlsoap.org/soap/envelope/"
 */
import type { XmlDocument, XmlNode } from './xml';
import { XPathSyntaxError, parseXPath, prefixesOf, type Axis, type Expr, type NodeTest } from './xpath-syntax';
import {
  XPathTypeError,
  callFunction,
  checkCall,
  isNodeSet,
  stringValue,
  toBoolean,
  toNumber,
  toString,
  type XPathNode,
  type XPathValue,
} from './xpath-functions';

export { stringValue, type XPathNode } from './xpath-functions';

export interface CompiledXPath {
  readonly source: string;
  readonly expr: Expr;
  /** Namespace prefixes the expression uses: each must be bound by the rule's xmlns, or the target gives nothing. */
  readonly prefixes: readonly string[];
}

export type CompileXPathResult =
  | { readonly ok: true; readonly xpath: CompiledXPath }
  | { readonly ok: false; readonly error: string };

/** prefix -> namespace URI, from the rule's `xmlns` actions. */
export type XPathNamespaces = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

export class XPathUnsupportedError extends Error {
  readonly code = 'XPATH_UNSUPPORTED';
}

/** Compiles an expression (load time); refuses what is unsupported or selects no nodes, with the reason. */
export function compileXPath(source: string): CompileXPathResult {
  const fail = (why: string): CompileXPathResult => ({ ok: false, error: `XPath "${source}": ${why}` });
  let expr: Expr;
  try {
    expr = parseXPath(source);
  } catch (e) {
    if (e instanceof XPathSyntaxError) return fail(e.message);
    throw e;
  }
  const callError = checkCalls(expr);
  if (callError !== undefined) return fail(callError);
  if (!selectsNodes(expr)) return fail('the expression does not select nodes (libmodsecurity v3 gives no value for it, so the rule could never match)');
  return { ok: true, xpath: { source, expr, prefixes: [...prefixesOf(expr)] } };
}

function checkCalls(e: Expr): string | undefined {
  switch (e.kind) {
    case 'number':
    case 'string':
      return undefined;
    case 'call':
      return checkCall(e.name, e.args.length) ?? firstError(e.args);
    case 'binary':
      return checkCalls(e.left) ?? checkCalls(e.right);
    case 'negate':
      return checkCalls(e.operand);
    case 'path':
      return (e.filter ? checkCalls(e.filter.primary) ?? firstError(e.filter.predicates) : undefined) ??
        firstError(e.steps.flatMap((s) => s.predicates));
  }
}

function firstError(exprs: readonly Expr[]): string | undefined {
  for (const x of exprs) {
    const error = checkCalls(x);
    if (error !== undefined) return error;
  }
  return undefined;
}

/** Whether the expression's value is a node-set: a path, or a union of them (no core function returns one). */
function selectsNodes(e: Expr): boolean {
  if (e.kind === 'path') return e.filter === undefined || selectsNodes(e.filter.primary);
  return e.kind === 'binary' && e.op === '|' && selectsNodes(e.left) && selectsNodes(e.right);
}

/**
 * Evaluates a path (compiled, or a string compiled on the spot, which throws XPathUnsupportedError when outside the
 * subset) against a document; returns the string value of each selected node, in document order.
 */
export function evaluateXPath(
  document: XmlDocument,
  path: CompiledXPath | string,
  namespaces: XPathNamespaces = new Map(),
): string[] {
  let xpath: CompiledXPath;
  if (typeof path === 'string') {
    const compiled = compileXPath(path);
    if (!compiled.ok) throw new XPathUnsupportedError(compiled.error);
    xpath = compiled.xpath;
  } else {
    xpath = path;
  }
  const ns = namespaces instanceof Map ? namespaces : new Map(Object.entries(namespaces));
  const nodes = selectNodes(document, xpath, ns);
  return nodes === undefined ? [] : nodes.map(stringValue);
}

/**
 * The selected nodes, or undefined when libxml2 fails the evaluation: a prefix is not bound, or a function gets an
 * argument of the wrong type.
 */
export function selectNodes(
  document: XmlDocument,
  xpath: CompiledXPath,
  namespaces: ReadonlyMap<string, string>,
): XPathNode[] | undefined {
  if (!xpath.prefixes.every((p) => namespaces.has(p))) return undefined;
  const env: Env = { document, ns: namespaces, parents: undefined };
  try {
    const value = evaluate(xpath.expr, { node: document, position: 1, size: 1 }, env);
    return isNodeSet(value) ? [...value] : undefined;
  } catch (e) {
    if (e instanceof XPathTypeError) return undefined;
    throw e;
  }
}

interface Env {
  readonly document: XmlDocument;
  readonly ns: ReadonlyMap<string, string>;
  /** Built on the first step that needs it (parent, ancestor and sibling axes). */
  parents: Map<XPathNode, XPathNode> | undefined;
}

interface Context {
  readonly node: XPathNode;
  readonly position: number;
  readonly size: number;
}

function evaluate(e: Expr, ctx: Context, env: Env): XPathValue {
  switch (e.kind) {
    case 'number':
    case 'string':
      return e.value;
    case 'call':
      return callFunction(e.name, ctx, e.args.map((a) => evaluate(a, ctx, env)));
    case 'negate':
      return -toNumber(evaluate(e.operand, ctx, env));
    case 'path':
      return evaluatePath(e, ctx, env);
    case 'binary': {
      if (e.op === 'or') return toBoolean(evaluate(e.left, ctx, env)) || toBoolean(evaluate(e.right, ctx, env));
      if (e.op === 'and') return toBoolean(evaluate(e.left, ctx, env)) && toBoolean(evaluate(e.right, ctx, env));
      const left = evaluate(e.left, ctx, env);
      const right = evaluate(e.right, ctx, env);
      switch (e.op) {
        case '|':
          if (!isNodeSet(left) || !isNodeSet(right)) throw new XPathTypeError('| joins node-sets only');
          return documentOrder(new Set([...left, ...right]));
        case '+':
          return toNumber(left) + toNumber(right);
        case '-':
          return toNumber(left) - toNumber(right);
        case '*':
          return toNumber(left) * toNumber(right);
        case 'div':
          return toNumber(left) / toNumber(right);
        case 'mod':
          return toNumber(left) % toNumber(right);
        default:
          return compare(e.op, left, right);
      }
    }
  }
}

function evaluatePath(e: Extract<Expr, { kind: 'path' }>, ctx: Context, env: Env): XPathValue {
  let nodes: readonly XPathNode[];
  if (e.filter) {
    const value = evaluate(e.filter.primary, ctx, env);
    if (!isNodeSet(value)) {
      if (e.filter.predicates.length > 0 || e.steps.length > 0) throw new XPathTypeError('a filter or a step applies to node-sets only');
      return value;
    }
    nodes = value;
    for (const p of e.filter.predicates) nodes = filter(nodes, p, env);
  } else {
    nodes = [e.absolute ? env.document : ctx.node];
  }
  for (const step of e.steps) {
    const out = new Set<XPathNode>();
    for (const node of nodes) {
      let candidates = axisNodes(node, step.axis, env).filter((n) => matches(n, step.test, step.axis, env.ns));
      for (const p of step.predicates) candidates = filter(candidates, p, env);
      for (const c of candidates) out.add(c);
    }
    nodes = documentOrder(out);
  }
  return nodes;
}

/** Keeps the nodes for which the predicate holds: a number is compared with the proximity position. */
function filter(nodes: readonly XPathNode[], predicate: Expr, env: Env): XPathNode[] {
  const size = nodes.length;
  const kept: XPathNode[] = [];
  nodes.forEach((node, i) => {
    const v = evaluate(predicate, { node, position: i + 1, size }, env);
    if (typeof v === 'number' ? v === i + 1 : toBoolean(v)) kept.push(node);
  });
  return kept;
}

function documentOrder(nodes: Iterable<XPathNode>): XPathNode[] {
  return [...nodes].sort((a, b) => a.order - b.order);
}

/** XPath 1.0 section 3.4: a comparison involving a node-set holds when it holds for some node of it. */
function compare(op: '=' | '!=' | '<' | '<=' | '>' | '>=', left: XPathValue, right: XPathValue): boolean {
  const leftSet = isNodeSet(left);
  const rightSet = isNodeSet(right);
  if (leftSet && rightSet) {
    const rightValues = right.map(stringValue);
    return left.some((a) => {
      const av = stringValue(a);
      return rightValues.some((bv) => compareAtoms(op, av, bv));
    });
  }
  if (leftSet || rightSet) {
    const set = (leftSet ? left : right) as readonly XPathNode[];
    const other = leftSet ? right : left;
    const atom = (n: XPathNode): XPathValue => (typeof other === 'number' ? toNumber(stringValue(n)) : stringValue(n));
    if (typeof other === 'boolean') return leftSet ? compareAtoms(op, toBoolean(set), other) : compareAtoms(op, other, toBoolean(set));
    return set.some((n) => (leftSet ? compareAtoms(op, atom(n), other) : compareAtoms(op, other, atom(n))));
  }
  return compareAtoms(op, left, right);
}

function compareAtoms(op: '=' | '!=' | '<' | '<=' | '>' | '>=', a: XPathValue, b: XPathValue): boolean {
  if (op === '=' || op === '!=') {
    let equal: boolean;
    if (typeof a === 'boolean' || typeof b === 'boolean') equal = toBoolean(a) === toBoolean(b);
    else if (typeof a === 'number' || typeof b === 'number') equal = toNumber(a) === toNumber(b);
    else equal = toString(a) === toString(b);
    return op === '=' ? equal : !equal;
  }
  const x = toNumber(a);
  const y = toNumber(b);
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
  }
}

function childrenOf(node: XPathNode): readonly XmlNode[] {
  if (node.kind === 'document') return node.children;
  if (node.kind === 'element') return node.children;
  return [];
}

function parentsOf(env: Env): Map<XPathNode, XPathNode> {
  if (env.parents !== undefined) return env.parents;
  const parents = new Map<XPathNode, XPathNode>();
  const stack: XPathNode[] = [env.document];
  while (stack.length > 0) {
    const n = stack.pop() as XPathNode;
    if (n.kind === 'element') for (const a of n.attributes) parents.set(a, n);
    for (const c of childrenOf(n)) {
      parents.set(c, n);
      stack.push(c);
    }
  }
  env.parents = parents;
  return parents;
}

function descendants(node: XPathNode, withSelf: boolean): XPathNode[] {
  const out: XPathNode[] = [];
  const stack: XPathNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop() as XPathNode;
    if (n !== node || withSelf) out.push(n);
    const kids = childrenOf(n);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as XmlNode);
  }
  return out;
}

/** The nodes of an axis in axis order: reverse axes (parent, ancestors, preceding siblings) nearest first. */
function axisNodes(node: XPathNode, axis: Axis, env: Env): XPathNode[] {
  switch (axis) {
    case 'child':
      return [...childrenOf(node)];
    case 'attribute':
      return node.kind === 'element' ? [...node.attributes] : [];
    case 'self':
      return [node];
    case 'descendant':
      return descendants(node, false);
    case 'descendant-or-self':
      return descendants(node, true);
    case 'parent': {
      const parent = parentsOf(env).get(node);
      return parent === undefined ? [] : [parent];
    }
    case 'ancestor':
    case 'ancestor-or-self': {
      const parents = parentsOf(env);
      const out: XPathNode[] = axis === 'ancestor-or-self' ? [node] : [];
      for (let p = parents.get(node); p !== undefined; p = parents.get(p)) out.push(p);
      return out;
    }
    case 'following-sibling':
    case 'preceding-sibling': {
      if (node.kind === 'attribute' || node.kind === 'document') return [];
      const parent = parentsOf(env).get(node);
      if (parent === undefined) return [];
      const siblings = childrenOf(parent);
      const at = siblings.indexOf(node);
      return axis === 'following-sibling' ? siblings.slice(at + 1) : siblings.slice(0, at).reverse();
    }
  }
}

function matches(node: XPathNode, test: NodeTest, axis: Axis, ns: ReadonlyMap<string, string>): boolean {
  // The principal node type: attributes on the attribute axis, elements elsewhere.
  const principal = axis === 'attribute' ? 'attribute' : 'element';
  switch (test.kind) {
    case 'node':
      return true;
    case 'text':
      return node.kind === 'text';
    case 'comment':
      return node.kind === 'comment';
    case 'pi':
      return node.kind === 'pi' && (test.target === undefined || node.target === test.target);
    case 'any':
      return node.kind === principal;
    case 'prefix-any':
      return node.kind === principal && node.namespaceUri === ns.get(test.prefix);
    case 'name': {
      if (node.kind !== principal) return false;
      const uri = test.prefix === '' ? '' : ns.get(test.prefix);
      return node.localName === test.local && node.namespaceUri === uri;
    }
  }
}

