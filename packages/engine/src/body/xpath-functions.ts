/**
 * XPath 1.0's core function library (section 4) and its type conversions, as libxml2 evaluates them for
 * ModSecurity's `XML:` targets. Strings are the engine's byte strings (UTF-8 bytes, one per code unit): the
 * functions that count characters (`string-length`, `substring`, `translate`) count UTF-8 characters, as libxml2
 * does. Not supported (refused at load): `id()` (no DTD attribute types) and `lang()`.
 *
 * @example SecRule XML://*[starts-with(local-name(), 'pass')] "@rx ." "id:1,phase:2,deny"
 */
import type { XmlAttribute, XmlDocument, XmlNode } from './xml';

export type XPathNode = XmlDocument | XmlNode | XmlAttribute;

/** A value of XPath 1.0: a node-set (document order, no duplicates), a string, a number or a boolean. */
export type XPathValue = readonly XPathNode[] | string | number | boolean;

/** What a function sees: the context node, its position and size, and the string value of any node. */
export interface FunctionContext {
  readonly node: XPathNode;
  readonly position: number;
  readonly size: number;
}

type Fn = (ctx: FunctionContext, args: readonly XPathValue[]) => XPathValue;

interface FunctionDefinition {
  readonly min: number;
  readonly max: number;
  readonly run: Fn;
}

/** libxml2's xmlNodeGetContent: an element's (or the document's) descendant text, an attribute's value. */
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

function elementText(element: XmlNode): string {
  const parts: string[] = [];
  const stack: XmlNode[] = [element];
  while (stack.length > 0) {
    const n = stack.pop() as XmlNode;
    if (n.kind === 'text') parts.push(n.value);
    else if (n.kind === 'element') for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as XmlNode);
  }
  return parts.join('');
}

export function isNodeSet(v: XPathValue): v is readonly XPathNode[] {
  return Array.isArray(v);
}

export function toString(v: XPathValue): string {
  if (isNodeSet(v)) return v.length === 0 ? '' : stringValue(v[0] as XPathNode);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return numberToString(v);
}

/** Section 4.2's string(): no exponent, no trailing zeros, NaN and Infinity by name. */
function numberToString(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (n === 0) return '0';
  const s = String(n);
  if (!s.includes('e')) return s;
  return n.toFixed(Math.abs(n) < 1 ? 20 : 0).replace(/(\.[0-9]*?)0+$/, '$1').replace(/\.$/, '');
}

/** Section 4.4's number(): optional whitespace, an optional minus, digits with an optional point; else NaN. */
export function toNumber(v: XPathValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const s = toString(v);
  return /^[\t\n\r ]*-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[\t\n\r ]*$/.test(s) ? Number(s.trim()) : NaN;
}

export function toBoolean(v: XPathValue): boolean {
  if (isNodeSet(v)) return v.length > 0;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  return v;
}

/** The UTF-8 characters of a byte string (a character starts at every byte that is not 10xxxxxx). */
function characters(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 && c <= 0xbf && out.length > 0) out[out.length - 1] += s.charAt(i);
    else out.push(s.charAt(i));
  }
  return out;
}

function qualifiedName(node: XPathNode): string {
  return node.kind === 'element' || node.kind === 'attribute' ? node.name : node.kind === 'pi' ? node.target : '';
}

function localName(node: XPathNode): string {
  return node.kind === 'element' || node.kind === 'attribute' ? node.localName : node.kind === 'pi' ? node.target : '';
}

/** The first node of an optional node-set argument, or the context node when it is left out. */
function firstNode(ctx: FunctionContext, args: readonly XPathValue[], fn: string): XPathNode | undefined {
  if (args.length === 0) return ctx.node;
  const v = args[0] as XPathValue;
  if (!isNodeSet(v)) throw new XPathTypeError(`${fn}() takes a node-set`);
  return v[0];
}

/** An argument of the wrong type: libxml2 fails the evaluation (XPATH_INVALID_TYPE), so the target gives nothing. */
export class XPathTypeError extends Error {}

const str = (ctx: FunctionContext, args: readonly XPathValue[], i: number): string =>
  i < args.length ? toString(args[i] as XPathValue) : toString([ctx.node]);

const FUNCTIONS: ReadonlyMap<string, FunctionDefinition> = new Map<string, FunctionDefinition>([
  ['last', { min: 0, max: 0, run: (ctx) => ctx.size }],
  ['position', { min: 0, max: 0, run: (ctx) => ctx.position }],
  ['count', {
    min: 1, max: 1, run: (_ctx, [v]) => {
      if (!isNodeSet(v as XPathValue)) throw new XPathTypeError('count() takes a node-set');
      return (v as readonly XPathNode[]).length;
    },
  }],
  ['local-name', { min: 0, max: 1, run: (ctx, args) => { const n = firstNode(ctx, args, 'local-name'); return n === undefined ? '' : localName(n); } }],
  ['name', { min: 0, max: 1, run: (ctx, args) => { const n = firstNode(ctx, args, 'name'); return n === undefined ? '' : qualifiedName(n); } }],
  ['namespace-uri', {
    min: 0, max: 1, run: (ctx, args) => {
      const n = firstNode(ctx, args, 'namespace-uri');
      return n !== undefined && (n.kind === 'element' || n.kind === 'attribute') ? n.namespaceUri : '';
    },
  }],
  ['string', { min: 0, max: 1, run: (ctx, args) => str(ctx, args, 0) }],
  ['concat', { min: 2, max: Infinity, run: (_ctx, args) => args.map(toString).join('') }],
  ['starts-with', { min: 2, max: 2, run: (ctx, args) => str(ctx, args, 0).startsWith(str(ctx, args, 1)) }],
  ['contains', { min: 2, max: 2, run: (ctx, args) => str(ctx, args, 0).includes(str(ctx, args, 1)) }],
  ['substring-before', {
    min: 2, max: 2, run: (ctx, args) => {
      const s = str(ctx, args, 0);
      const at = s.indexOf(str(ctx, args, 1));
      return at === -1 ? '' : s.slice(0, at);
    },
  }],
  ['substring-after', {
    min: 2, max: 2, run: (ctx, args) => {
      const s = str(ctx, args, 0);
      const sub = str(ctx, args, 1);
      const at = s.indexOf(sub);
      return at === -1 ? '' : s.slice(at + sub.length);
    },
  }],
  ['substring', {
    min: 2, max: 3, run: (ctx, args) => {
      const chars = characters(str(ctx, args, 0));
      // Section 4.2: characters whose position p satisfies round(start) <= p < round(start) + round(length).
      const from = xpathRound(toNumber(args[1] as XPathValue));
      const to = args.length > 2 ? from + xpathRound(toNumber(args[2] as XPathValue)) : Infinity;
      return chars.filter((_c, i) => i + 1 >= from && i + 1 < to).join('');
    },
  }],
  ['string-length', { min: 0, max: 1, run: (ctx, args) => characters(str(ctx, args, 0)).length }],
  ['normalize-space', { min: 0, max: 1, run: (ctx, args) => str(ctx, args, 0).split(/[\t\n\r ]+/).filter((w) => w !== '').join(' ') }],
  ['translate', {
    min: 3, max: 3, run: (ctx, args) => {
      const from = characters(str(ctx, args, 1));
      const to = characters(str(ctx, args, 2));
      return characters(str(ctx, args, 0)).map((c) => {
        const at = from.indexOf(c);
        return at === -1 ? c : (to[at] ?? '');
      }).join('');
    },
  }],
  ['boolean', { min: 1, max: 1, run: (_ctx, [v]) => toBoolean(v as XPathValue) }],
  ['not', { min: 1, max: 1, run: (_ctx, [v]) => !toBoolean(v as XPathValue) }],
  ['true', { min: 0, max: 0, run: () => true }],
  ['false', { min: 0, max: 0, run: () => false }],
  ['number', { min: 0, max: 1, run: (ctx, args) => toNumber(args.length > 0 ? (args[0] as XPathValue) : [ctx.node]) }],
  ['sum', {
    min: 1, max: 1, run: (_ctx, [v]) => {
      if (!isNodeSet(v as XPathValue)) throw new XPathTypeError('sum() takes a node-set');
      return (v as readonly XPathNode[]).reduce((t, n) => t + toNumber(stringValue(n)), 0);
    },
  }],
  ['floor', { min: 1, max: 1, run: (_ctx, [v]) => Math.floor(toNumber(v as XPathValue)) }],
  ['ceiling', { min: 1, max: 1, run: (_ctx, [v]) => Math.ceil(toNumber(v as XPathValue)) }],
  ['round', { min: 1, max: 1, run: (_ctx, [v]) => xpathRound(toNumber(v as XPathValue)) }],
]);

/** Section 4.4's round(): halves go towards positive infinity; NaN and infinities stay. */
function xpathRound(n: number): number {
  return Number.isFinite(n) ? Math.floor(n + 0.5) : n;
}

/** Checks a call at load time: the function exists and takes that many arguments. Returns an error or undefined. */
export function checkCall(name: string, argc: number): string | undefined {
  const def = FUNCTIONS.get(name);
  if (def === undefined) return `the function ${name}() is not supported`;
  if (argc < def.min || argc > def.max) return `${name}() takes ${def.min === def.max ? def.min : `${def.min} to ${def.max}`} argument(s), not ${argc}`;
  return undefined;
}

/** Runs a checked function. Throws XPathTypeError on an argument of the wrong type. */
export function callFunction(name: string, ctx: FunctionContext, args: readonly XPathValue[]): XPathValue {
  return (FUNCTIONS.get(name) as FunctionDefinition).run(ctx, args);
}
