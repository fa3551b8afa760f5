import type { XmlAttribute, XmlDocument, XmlElement, XmlNode } from './xml';

/**
 * The XPath subset behind the `XML:<xpath>` variable. Each selected node gives one value: its string value, as
 * libxml2's `xmlNodeGetContent` gives it to ModSecurity (an element: all its descendant text and CDATA
 * concatenated in document order, comments and PIs excluded; an attribute: its value; a text node: its text).
 * So `XML:/*` gives ONE value, the text of the whole document (the root element's string value), and `XML://@*`
 * gives one value per attribute in the document.
 *
 * Supported (anything else is refused by `compileXPath` with a message, so a rule can be refused at load time):
 * - absolute paths `/a/b`, `/` (the document), relative paths (from the document), `//` anywhere (`//b`, `/a//b`);
 * - node tests: `name`, `prefix:name`, `*`, `prefix:*`, `text()`, `node()`, `comment()`,
 *   `processing-instruction()`, `.`, `..`;
 * - attributes: `@name`, `@prefix:name`, `@*`, `@prefix:*`;
 * - predicates: `[3]` (position), `[last()]`, `[@attr]`, `[@attr='v']`, `[name='v']` (a child element's string
 *   value), one or more in sequence.
 * Names follow XPath 1.0: an unprefixed name matches only elements in no namespace; a prefix must be bound through
 * the rule's `xmlns` action (`xmlns:soap=http://schemas.xmlsoap.org/soap/envelope/`), otherwise nothing matches (as
 * libxml2, which fails the evaluation on an undefined prefix).
 *
 * @example SecRule XML:/soap:Envelope/soap:Body//@* "@rx evil" "id:1003,phase:2,deny,xmlns:soap=http://schemas.xmlsoap.org/soap/envelope/"
 */
export type XPathNode = XmlDocument | XmlNode | XmlAttribute;

type NodeTest =
  | { readonly kind: 'name'; readonly prefix: string; readonly local: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'prefix-any'; readonly prefix: string }
  | { readonly kind: 'text' | 'node' | 'comment' | 'pi' };

type Predicate =
  | { readonly kind: 'position'; readonly n: number }
  | { readonly kind: 'last' }
  | { readonly kind: 'has-attribute'; readonly test: NodeTest }
  | { readonly kind: 'attribute-equals'; readonly test: NodeTest; readonly value: string }
  | { readonly kind: 'child-equals'; readonly test: NodeTest; readonly value: string };

interface Step {
  readonly axis: 'child' | 'attribute' | 'self' | 'parent' | 'descendant-or-self';
  readonly test: NodeTest;
  readonly predicates: readonly Predicate[];
}

export interface CompiledXPath {
  readonly source: string;
  readonly steps: readonly Step[];
}

export type CompileXPathResult =
  | { readonly ok: true; readonly xpath: CompiledXPath }
  | { readonly ok: false; readonly error: string };

/** prefix -> namespace URI, from the rule's `xmlns` actions. */
export type XPathNamespaces = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

export class XPathUnsupportedError extends Error {
  readonly code = 'XPATH_UNSUPPORTED';
}

const NAME = /^[A-Za-z_\x80-\uffff][A-Za-z0-9_.\x80-\uffff-]*/;

/** Compiles a path of the supported subset (load time). */
export function compileXPath(source: string): CompileXPathResult {
  const steps: Step[] = [];
  let p = 0;
  const s = source.trim();
  const fail = (why: string): CompileXPathResult => ({ ok: false, error: `XPath "${source}": ${why}` });
  if (s.length === 0) return fail('empty expression');
  if (s === '/') return { ok: true, xpath: { source, steps } };
  let first = true;
  while (p < s.length) {
    if (s.startsWith('//', p)) {
      steps.push({ axis: 'descendant-or-self', test: { kind: 'node' }, predicates: [] });
      p += 2;
    } else if (s.charAt(p) === '/') {
      p += 1;
    } else if (!first) {
      return fail(`unexpected '${s.charAt(p)}' at ${p}`);
    }
    first = false;
    if (p >= s.length) return fail('a step is missing after /');
    const parsed = parseStep(s, p);
    if (typeof parsed === 'string') return fail(parsed);
    steps.push(parsed.step);
    p = parsed.end;
  }
  return { ok: true, xpath: { source, steps } };
}

function parseStep(s: string, start: number): { step: Step; end: number } | string {
  let p = start;
  if (s.startsWith('..', p)) return { step: { axis: 'parent', test: { kind: 'node' }, predicates: [] }, end: p + 2 };
  if (s.charAt(p) === '.') return { step: { axis: 'self', test: { kind: 'node' }, predicates: [] }, end: p + 1 };
  let axis: Step['axis'] = 'child';
  if (s.charAt(p) === '@') {
    axis = 'attribute';
    p++;
  }
  const test = parseNodeTest(s, p, axis === 'attribute');
  if (typeof test === 'string') return test;
  p = test.end;
  const predicates: Predicate[] = [];
  while (s.charAt(p) === '[') {
    const close = findClose(s, p);
    if (close === -1) return `unterminated predicate at ${p}`;
    const pred = parsePredicate(s.slice(p + 1, close).trim());
    if (typeof pred === 'string') return pred;
    predicates.push(pred);
    p = close + 1;
  }
  if (p < s.length && s.charAt(p) !== '/') return `unsupported syntax at ${p}: '${s.slice(p)}'`;
  return { step: { axis, test: test.test, predicates }, end: p };
}

function parseNodeTest(s: string, p: number, attribute: boolean): { test: NodeTest; end: number } | string {
  if (s.charAt(p) === '*') return { test: { kind: 'any' }, end: p + 1 };
  for (const [fn, kind] of [['text()', 'text'], ['node()', 'node'], ['comment()', 'comment'],
    ['processing-instruction()', 'pi']] as const) {
    if (!attribute && s.startsWith(fn, p)) return { test: { kind }, end: p + fn.length };
  }
  const m = NAME.exec(s.slice(p));
  if (m === null) return `a name or * is expected at ${p}`;
  const first = m[0];
  let end = p + first.length;
  if (s.charAt(end) === ':' && s.charAt(end + 1) !== ':') {
    if (s.charAt(end + 1) === '*') return { test: { kind: 'prefix-any', prefix: first }, end: end + 2 };
    const local = NAME.exec(s.slice(end + 1));
    if (local === null) return `a local name is expected at ${end + 1}`;
    end += 1 + local[0].length;
    return { test: { kind: 'name', prefix: first, local: local[0] }, end };
  }
  if (s.charAt(end) === '(' || s.startsWith('::', end)) return `functions and axes are not supported ('${first}')`;
  return { test: { kind: 'name', prefix: '', local: first }, end };
}

function findClose(s: string, open: number): number {
  let quote = '';
  for (let i = open + 1; i < s.length; i++) {
    const c = s.charAt(i);
    if (quote !== '') {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === ']') {
      return i;
    }
  }
  return -1;
}

function parsePredicate(body: string): Predicate | string {
  if (/^[0-9]+$/.test(body)) return { kind: 'position', n: Number(body) };
  if (body === 'last()') return { kind: 'last' };
  const attribute = body.startsWith('@');
  const left = parseNodeTest(body, attribute ? 1 : 0, attribute);
  if (typeof left === 'string' || left.test.kind === 'text' || left.test.kind === 'node' ||
    left.test.kind === 'comment' || left.test.kind === 'pi') {
    return `unsupported predicate [${body}]`;
  }
  const rest = body.slice(left.end).trim();
  if (rest === '') return attribute ? { kind: 'has-attribute', test: left.test } : `unsupported predicate [${body}]`;
  const m = /^=\s*(?:"([^"]*)"|'([^']*)')$/.exec(rest);
  if (m === null) return `unsupported predicate [${body}]`;
  const value = m[1] ?? m[2] ?? '';
  return attribute ? { kind: 'attribute-equals', test: left.test, value } : { kind: 'child-equals', test: left.test, value };
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

/** The selected nodes, or undefined when a prefix is not bound (libxml2 fails the evaluation). */
export function selectNodes(
  document: XmlDocument,
  xpath: CompiledXPath,
  namespaces: ReadonlyMap<string, string>,
): XPathNode[] | undefined {
  let context: XPathNode[] = [document];
  const parents = new Map<XPathNode, XPathNode>();
  let parentsBuilt = false;
  for (const step of xpath.steps) {
    if (!prefixesBound(step, namespaces)) return undefined;
    if (step.axis === 'parent' && !parentsBuilt) {
      buildParents(document, parents);
      parentsBuilt = true;
    }
    const out = new Set<XPathNode>();
    for (const node of context) {
      let candidates = axisNodes(node, step.axis, parents).filter((n) => matches(n, step.test, step.axis, namespaces));
      for (const pred of step.predicates) candidates = applyPredicate(candidates, pred, namespaces);
      for (const c of candidates) out.add(c);
    }
    context = [...out].sort((a, b) => a.order - b.order);
  }
  return context;
}

function prefixesBound(step: Step, ns: ReadonlyMap<string, string>): boolean {
  const tests: NodeTest[] = [step.test];
  for (const p of step.predicates) if ('test' in p) tests.push(p.test);
  return tests.every((t) => (t.kind !== 'name' && t.kind !== 'prefix-any') || t.prefix === '' || ns.has(t.prefix));
}

function childrenOf(node: XPathNode): readonly XmlNode[] {
  if (node.kind === 'document') return node.children;
  if (node.kind === 'element') return node.children;
  return [];
}

function axisNodes(node: XPathNode, axis: Step['axis'], parents: Map<XPathNode, XPathNode>): XPathNode[] {
  switch (axis) {
    case 'child':
      return [...childrenOf(node)];
    case 'attribute':
      return node.kind === 'element' ? [...node.attributes] : [];
    case 'self':
      return [node];
    case 'parent': {
      const parent = parents.get(node);
      return parent === undefined ? [] : [parent];
    }
    case 'descendant-or-self': {
      const out: XPathNode[] = [];
      const stack: XPathNode[] = [node];
      while (stack.length > 0) {
        const n = stack.pop() as XPathNode;
        out.push(n);
        const kids = childrenOf(n);
        for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as XmlNode);
      }
      return out;
    }
  }
}

function buildParents(document: XmlDocument, parents: Map<XPathNode, XPathNode>): void {
  const stack: XPathNode[] = [document];
  while (stack.length > 0) {
    const n = stack.pop() as XPathNode;
    if (n.kind === 'element') for (const a of n.attributes) parents.set(a, n);
    for (const c of childrenOf(n)) {
      parents.set(c, n);
      stack.push(c);
    }
  }
}

function matches(node: XPathNode, test: NodeTest, axis: Step['axis'], ns: ReadonlyMap<string, string>): boolean {
  switch (test.kind) {
    case 'node':
      return true;
    case 'text':
      return node.kind === 'text';
    case 'comment':
      return node.kind === 'comment';
    case 'pi':
      return node.kind === 'pi';
    case 'any':
      return axis === 'attribute' ? node.kind === 'attribute' : node.kind === 'element';
    case 'prefix-any':
      if (node.kind !== 'element' && node.kind !== 'attribute') return false;
      if (axis === 'attribute' ? node.kind !== 'attribute' : node.kind !== 'element') return false;
      return node.namespaceUri === ns.get(test.prefix);
    case 'name': {
      if (node.kind !== 'element' && node.kind !== 'attribute') return false;
      if (axis === 'attribute' ? node.kind !== 'attribute' : node.kind !== 'element') return false;
      const uri = test.prefix === '' ? '' : ns.get(test.prefix);
      return node.localName === test.local && node.namespaceUri === uri;
    }
  }
}

function applyPredicate(nodes: XPathNode[], pred: Predicate, ns: ReadonlyMap<string, string>): XPathNode[] {
  switch (pred.kind) {
    case 'position':
      return pred.n >= 1 && pred.n <= nodes.length ? [nodes[pred.n - 1] as XPathNode] : [];
    case 'last':
      return nodes.length > 0 ? [nodes[nodes.length - 1] as XPathNode] : [];
    case 'has-attribute':
      return nodes.filter((n) => n.kind === 'element' && n.attributes.some((a) => matches(a, pred.test, 'attribute', ns)));
    case 'attribute-equals':
      return nodes.filter((n) => n.kind === 'element' &&
        n.attributes.some((a) => matches(a, pred.test, 'attribute', ns) && a.value === pred.value));
    case 'child-equals':
      return nodes.filter((n) => n.kind === 'element' &&
        n.children.some((c) => matches(c, pred.test, 'child', ns) && stringValue(c) === pred.value));
  }
}

/** libxml2's xmlNodeGetContent. */
export function stringValue(node: XPathNode): string {
  switch (node.kind) {
    case 'attribute':
    case 'text':
    case 'comment':
    case 'pi':
      return node.value;
    case 'document':
      return elementText(node.root);
    case 'element':
      return elementText(node);
  }
}

function elementText(element: XmlElement): string {
  const parts: string[] = [];
  const stack: XmlNode[] = [element];
  while (stack.length > 0) {
    const n = stack.pop() as XmlNode;
    if (n.kind === 'text') parts.push(n.value);
    else if (n.kind === 'element') for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as XmlNode);
  }
  return parts.join('');
}
