/**
 * The XML request-body processor: a small, strict, non-validating XML 1.0 parser that builds the document model on
 * which `evaluateXPath` runs the `XML:<xpath>` variable.
 *
 * Why not fast-xml-parser: its output is a JavaScript object keyed by tag name; text interleaved with child
 * elements, the document order of mixed content, CDATA as text, and the namespace URI of each prefix are lost or
 * only partly kept (`preserveOrder` keeps order but not namespaces), and its validator is a separate, lenient pass.
 * XPath string values (libxml2's `xmlNodeGetContent`) and namespace-aware name tests need all of that, and
 * REQBODY_ERROR must follow libxml2's well-formedness, so the parser here is hand-written and iterative.
 *
 * What it does, as libxml2 does it in ModSecurity (SecXmlExternalEntity Off):
 * - Well-formedness errors (mismatched or unclosed tags, duplicate attributes, `<` in an attribute value, text or a
 *   second element after the root, `]]>` in text, `--` in a comment, an undeclared entity when there is no external
 *   DTD, invalid UTF-8 in a UTF-8 document, no root element, an empty body) give
 *   `XML parsing error: XML: Failed to parse document.` (REQBODY_ERROR_MSG); `detail` says what was wrong.
 * - Internal general entities from the DOCTYPE's internal subset are expanded (in text and attribute values);
 *   **external entities are never loaded** (no file is read, no URL fetched): a reference to one in text expands to
 *   nothing, and in an attribute value it is an error (XML's WFC). An entity that refers to itself, nesting deeper
 *   than 40, or more than `entityExpansionLimit` expanded characters in total (billion laughs) is an error.
 * - Element nesting deeper than `depthLimit` (libxml2: 256) is an error.
 * - Text is kept as bytes (latin1 string) of UTF-8; a document declared `ISO-8859-1` is converted to UTF-8 bytes,
 *   as libxml2 does. Whitespace-only text nodes are kept (libxml2 keeps blanks), so they appear in string values.
 * - Attribute values are normalised (each TAB, CR, LF becomes a space) after entity expansion.
 *
 * @example SecRule REQUEST_HEADERS:Content-Type "^text/xml" "id:200000,phase:1,pass,nolog,ctl:requestBodyProcessor=XML"
 */
export interface XmlOptions {
  /** Deepest element nesting accepted (default 256, libxml2's limit without XML_PARSE_HUGE). */
  readonly depthLimit?: number;
  /** Most characters produced by entity expansion in total (default 1 MiB). */
  readonly entityExpansionLimit?: number;
}

export interface XmlAttribute {
  readonly kind: 'attribute';
  readonly name: string;
  readonly prefix: string;
  readonly localName: string;
  readonly namespaceUri: string;
  readonly value: string;
  readonly order: number;
}

export interface XmlElement {
  readonly kind: 'element';
  readonly name: string;
  readonly prefix: string;
  readonly localName: string;
  readonly namespaceUri: string;
  readonly attributes: XmlAttribute[];
  readonly children: XmlNode[];
  readonly order: number;
}

export interface XmlText {
  readonly kind: 'text';
  readonly value: string;
  readonly cdata: boolean;
  readonly order: number;
}

export interface XmlComment {
  readonly kind: 'comment';
  readonly value: string;
  readonly order: number;
}

export interface XmlProcessingInstruction {
  readonly kind: 'pi';
  readonly target: string;
  readonly value: string;
  readonly order: number;
}

export type XmlNode = XmlElement | XmlText | XmlComment | XmlProcessingInstruction;

export interface XmlDocument {
  readonly kind: 'document';
  readonly root: XmlElement;
  /** Comments and PIs around the root, and the root, in document order. */
  readonly children: XmlNode[];
  readonly order: 0;
}

export interface XmlResult {
  readonly document?: XmlDocument;
  /** REQBODY_ERROR_MSG when REQBODY_ERROR = 1: `XML parsing error: XML: Failed to parse document.` */
  readonly error?: string;
  /** What was wrong (for the debug log; ModSecurity's message does not say). */
  readonly detail?: string;
}

export const XML_ERROR_MESSAGE = 'XML parsing error: XML: Failed to parse document.';

const MAX_ENTITY_NESTING = 40;

interface EntityDef {
  readonly value: string;
  readonly external: boolean;
}

interface Frame {
  readonly text: string;
  pos: number;
  readonly entity?: string;
}

interface OpenElement {
  readonly element: XmlElement;
  /** Namespace bindings declared on this element (prefix -> uri); '' is the default namespace. */
  readonly ns: Map<string, string> | undefined;
  readonly entityDepth: number;
}

class XmlSyntaxError {
  constructor(readonly detail: string) {}
}

/** Parses an XML body (latin1 string of bytes). Never throws. */
export function parseXml(body: string, options: XmlOptions = {}): XmlResult {
  try {
    return { document: new XmlParser(body, options).parse() };
  } catch (err) {
    if (err instanceof XmlSyntaxError) return { error: XML_ERROR_MESSAGE, detail: err.detail };
    if (err instanceof RangeError) return { error: XML_ERROR_MESSAGE, detail: 'resource limit: ' + err.message };
    throw err;
  }
}

class XmlParser {
  readonly #depthLimit: number;
  readonly #expansionLimit: number;
  #expanded = 0;
  #order = 1;
  #latin1 = false;
  readonly #entities = new Map<string, EntityDef>();
  /** True when undeclared entities are only a validity matter (an external DTD or parameter entities exist). */
  #lenientEntities = false;
  readonly #frames: Frame[];

  constructor(body: string, options: XmlOptions) {
    this.#depthLimit = options.depthLimit ?? 256;
    this.#expansionLimit = options.entityExpansionLimit ?? 1024 * 1024;
    this.#frames = [{ text: body, pos: 0 }];
  }

  parse(): XmlDocument {
    const main = this.#frames[0] as Frame;
    if (main.text.startsWith('\xef\xbb\xbf')) main.pos = 3;
    if (main.text.startsWith('\xfe\xff', main.pos) || main.text.startsWith('\xff\xfe', main.pos)) {
      throw new XmlSyntaxError('UTF-16 documents are not supported');
    }
    if (main.text.startsWith('<?xml', main.pos) && isSpaceAt(main.text, main.pos + 5)) this.#xmlDecl(main);
    if (!this.#latin1) checkUtf8(main.text);

    const prolog: XmlNode[] = [];
    let root: XmlElement | undefined;
    let seenDoctype = false;
    // Prolog and epilog: whitespace, comments, PIs, one DOCTYPE before the root.
    for (;;) {
      this.#skipSpace(main);
      if (main.pos >= main.text.length) break;
      if (!main.text.startsWith('<', main.pos)) {
        throw new XmlSyntaxError(root === undefined ? 'Start tag expected' : 'Extra content at the end of the document');
      }
      if (main.text.startsWith('<!--', main.pos)) {
        prolog.push(this.#comment(main));
      } else if (main.text.startsWith('<?', main.pos)) {
        prolog.push(this.#pi(main));
      } else if (main.text.startsWith('<!DOCTYPE', main.pos)) {
        if (seenDoctype || root !== undefined) throw new XmlSyntaxError('misplaced DOCTYPE');
        seenDoctype = true;
        this.#doctype(main);
      } else if (root === undefined) {
        root = this.#content();
        prolog.push(root);
      } else {
        throw new XmlSyntaxError('Extra content at the end of the document');
      }
    }
    if (root === undefined) throw new XmlSyntaxError('Document is empty');
    return { kind: 'document', root, children: prolog, order: 0 };
  }

  #xmlDecl(f: Frame): void {
    const end = f.text.indexOf('?>', f.pos);
    if (end === -1) throw new XmlSyntaxError('unterminated XML declaration');
    const decl = f.text.slice(f.pos + 5, end);
    if (!/^\s+version\s*=\s*(["'])1\.[0-9]+\1/.test(decl)) throw new XmlSyntaxError('malformed XML declaration');
    const enc = /\sencoding\s*=\s*(["'])([A-Za-z][A-Za-z0-9._-]*)\1/.exec(decl);
    if (enc !== null) {
      const name = (enc[2] ?? '').toLowerCase();
      if (name === 'iso-8859-1' || name === 'latin1' || name === 'iso_8859-1') this.#latin1 = true;
      else if (name !== 'utf-8' && name !== 'us-ascii' && name !== 'ascii' && name !== 'utf8') {
        throw new XmlSyntaxError('unsupported encoding ' + name);
      }
    }
    f.pos = end + 2;
  }

  #skipSpace(f: Frame): void {
    while (f.pos < f.text.length && isXmlSpace(f.text.charCodeAt(f.pos))) f.pos++;
  }

  #comment(f: Frame): XmlComment {
    const start = f.pos + 4;
    const end = f.text.indexOf('--', start);
    if (end === -1) throw new XmlSyntaxError('Comment not terminated');
    if (f.text.charCodeAt(end + 2) !== 0x3e) throw new XmlSyntaxError('Double hyphen within comment');
    f.pos = end + 3;
    return { kind: 'comment', value: this.#bytes(f.text.slice(start, end)), order: this.#order++ };
  }

  #pi(f: Frame): XmlProcessingInstruction {
    const start = f.pos + 2;
    const target = readName(f.text, start);
    if (target.length === 0) throw new XmlSyntaxError('xmlParsePI : no target name');
    if (target.toLowerCase() === 'xml') throw new XmlSyntaxError('XML declaration allowed only at the start');
    const end = f.text.indexOf('?>', start + target.length);
    if (end === -1) throw new XmlSyntaxError('PI not terminated');
    let v = start + target.length;
    if (v < end && !isXmlSpace(f.text.charCodeAt(v))) throw new XmlSyntaxError('ParsePI: PI space expected');
    while (v < end && isXmlSpace(f.text.charCodeAt(v))) v++;
    f.pos = end + 2;
    return { kind: 'pi', target, value: this.#bytes(f.text.slice(v, end)), order: this.#order++ };
  }

  /** DOCTYPE: records internal general entities; never loads anything external. */
  #doctype(f: Frame): void {
    const t = f.text;
    let p = f.pos + 9;
    while (p < t.length && t.charCodeAt(p) !== 0x5b && t.charCodeAt(p) !== 0x3e) {
      const q = t.charCodeAt(p);
      if (q === 0x22 || q === 0x27) {
        const close = t.indexOf(String.fromCharCode(q), p + 1);
        if (close === -1) throw new XmlSyntaxError('unterminated DOCTYPE literal');
        p = close + 1;
      } else {
        p++;
      }
    }
    const header = t.slice(f.pos + 9, p);
    if (/\s(SYSTEM|PUBLIC)\s/.test(header + ' ')) this.#lenientEntities = true;
    if (t.charCodeAt(p) === 0x5b) {
      p = this.#internalSubset(t, p + 1);
      while (p < t.length && isXmlSpace(t.charCodeAt(p))) p++;
    }
    if (t.charCodeAt(p) !== 0x3e) throw new XmlSyntaxError('DOCTYPE improperly terminated');
    f.pos = p + 1;
  }

  #internalSubset(t: string, start: number): number {
    let p = start;
    for (;;) {
      while (p < t.length && isXmlSpace(t.charCodeAt(p))) p++;
      if (p >= t.length) throw new XmlSyntaxError('internal subset not terminated');
      const c = t.charCodeAt(p);
      if (c === 0x5d) return p + 1;
      if (c === 0x25) {
        // A parameter-entity reference: its content is not read, so undeclared entities become a validity matter.
        const semi = t.indexOf(';', p);
        if (semi === -1) throw new XmlSyntaxError('PEReference: no name');
        this.#lenientEntities = true;
        p = semi + 1;
        continue;
      }
      if (t.startsWith('<!--', p)) {
        const f: Frame = { text: t, pos: p };
        this.#comment(f);
        p = f.pos;
        continue;
      }
      if (t.startsWith('<?', p)) {
        const end = t.indexOf('?>', p + 2);
        if (end === -1) throw new XmlSyntaxError('PI not terminated');
        p = end + 2;
        continue;
      }
      if (!t.startsWith('<!', p)) throw new XmlSyntaxError('internal subset: markup declaration expected');
      const end = declarationEnd(t, p);
      if (t.startsWith('<!ENTITY', p)) this.#entityDecl(t.slice(p + 8, end));
      p = end + 1;
    }
  }

  #entityDecl(decl: string): void {
    const m = /^\s+(%\s+)?([^\s"'%&;<>]+)\s+(?:(["'])([^]*?)\3|(SYSTEM|PUBLIC)\s[^]*)\s*$/.exec(decl);
    if (m === null) throw new XmlSyntaxError('malformed ENTITY declaration');
    if (m[1] !== undefined) return; // parameter entity: never expanded here
    const name = m[2] ?? '';
    if (this.#entities.has(name)) return; // the first declaration wins
    if (m[5] !== undefined) this.#entities.set(name, { value: '', external: true });
    else this.#entities.set(name, { value: m[4] ?? '', external: false });
  }

  /** The root element and everything in it, iteratively (entity replacement texts are pushed as frames). */
  #content(): XmlElement {
    const open: OpenElement[] = [];
    let root: XmlElement | undefined;
    let text = '';
    const flushText = (): void => {
      if (text.length === 0) return;
      const top = open[open.length - 1];
      if (top === undefined) {
        if (!/^[\t\n\r ]*$/.test(text)) throw new XmlSyntaxError('Extra content at the end of the document');
      } else {
        top.element.children.push({ kind: 'text', value: this.#bytes(text), cdata: false, order: this.#order++ });
      }
      text = '';
    };
    for (;;) {
      const f = this.#frames[this.#frames.length - 1] as Frame;
      if (f.pos >= f.text.length) {
        if (this.#frames.length === 1) throw new XmlSyntaxError('Premature end of data');
        this.#frames.pop();
        continue;
      }
      const t = f.text;
      const c = t.charCodeAt(f.pos);
      if (c === 0x3c) {
        flushText();
        if (t.startsWith('</', f.pos)) {
          const name = readName(t, f.pos + 2);
          let p = f.pos + 2 + name.length;
          while (p < t.length && isXmlSpace(t.charCodeAt(p))) p++;
          if (t.charCodeAt(p) !== 0x3e) throw new XmlSyntaxError('expected \'>\'');
          const top = open.pop();
          if (top === undefined || top.element.name !== name) {
            throw new XmlSyntaxError(`Opening and ending tag mismatch: ${top?.element.name ?? ''} and ${name}`);
          }
          if (top.entityDepth !== this.#frames.length) throw new XmlSyntaxError('element crosses an entity boundary');
          f.pos = p + 1;
          if (open.length === 0) {
            if (this.#frames.length !== 1) throw new XmlSyntaxError('root element ends inside an entity');
            return root as XmlElement;
          }
        } else if (t.startsWith('<!--', f.pos)) {
          const comment = this.#comment(f);
          const top = open[open.length - 1];
          if (top === undefined) throw new XmlSyntaxError('Start tag expected');
          top.element.children.push(comment);
        } else if (t.startsWith('<![CDATA[', f.pos)) {
          const end = t.indexOf(']]>', f.pos + 9);
          if (end === -1) throw new XmlSyntaxError('CData section not finished');
          const top = open[open.length - 1];
          if (top === undefined) throw new XmlSyntaxError('Start tag expected');
          top.element.children.push({
            kind: 'text', value: this.#bytes(t.slice(f.pos + 9, end)), cdata: true, order: this.#order++,
          });
          f.pos = end + 3;
        } else if (t.startsWith('<?', f.pos)) {
          const pi = this.#pi(f);
          const top = open[open.length - 1];
          if (top === undefined) throw new XmlSyntaxError('Start tag expected');
          top.element.children.push(pi);
        } else if (t.startsWith('<!', f.pos)) {
          throw new XmlSyntaxError('markup declaration not allowed in content');
        } else {
          const { element, selfClosing, ns } = this.#startTag(f, open);
          const top = open[open.length - 1];
          if (top === undefined) {
            if (root !== undefined) throw new XmlSyntaxError('Extra content at the end of the document');
            root = element;
          } else {
            top.element.children.push(element);
          }
          if (!selfClosing) {
            if (open.length + 1 > this.#depthLimit) {
              throw new XmlSyntaxError(`Excessive depth in document: ${this.#depthLimit}`);
            }
            open.push({ element, ns, entityDepth: this.#frames.length });
          } else if (open.length === 0) {
            if (this.#frames.length !== 1) throw new XmlSyntaxError('root element ends inside an entity');
            return element;
          }
        }
        continue;
      }
      if (open.length === 0) throw new XmlSyntaxError('Start tag expected');
      if (c === 0x26) {
        const ref = this.#reference(f, false);
        if (ref !== undefined) text += ref;
        continue;
      }
      // A run of character data up to the next markup or reference.
      let end = f.pos;
      while (end < t.length) {
        const d = t.charCodeAt(end);
        if (d === 0x3c || d === 0x26) break;
        end++;
      }
      const run = t.slice(f.pos, end);
      if (run.indexOf(']]>') !== -1) throw new XmlSyntaxError("Sequence ']]>' not allowed in content");
      text += normaliseNewlines(run);
      f.pos = end;
    }
  }

  #startTag(f: Frame, open: OpenElement[]): { element: XmlElement; selfClosing: boolean; ns: Map<string, string> | undefined } {
    const t = f.text;
    const name = readName(t, f.pos + 1);
    if (name.length === 0) throw new XmlSyntaxError('StartTag: invalid element name');
    let p = f.pos + 1 + name.length;
    const raw: Array<{ name: string; value: string }> = [];
    let selfClosing = false;
    for (;;) {
      const hadSpace = p < t.length && isXmlSpace(t.charCodeAt(p));
      while (p < t.length && isXmlSpace(t.charCodeAt(p))) p++;
      if (p >= t.length) throw new XmlSyntaxError('Couldn\'t find end of Start Tag ' + name);
      const c = t.charCodeAt(p);
      if (c === 0x3e) {
        p++;
        break;
      }
      if (c === 0x2f) {
        if (t.charCodeAt(p + 1) !== 0x3e) throw new XmlSyntaxError('Couldn\'t find end of Start Tag ' + name);
        selfClosing = true;
        p += 2;
        break;
      }
      if (!hadSpace) throw new XmlSyntaxError('attributes construct error');
      const attrName = readName(t, p);
      if (attrName.length === 0) throw new XmlSyntaxError('attributes construct error');
      p += attrName.length;
      while (p < t.length && isXmlSpace(t.charCodeAt(p))) p++;
      if (t.charCodeAt(p) !== 0x3d) throw new XmlSyntaxError('Specification mandates value for attribute ' + attrName);
      p++;
      while (p < t.length && isXmlSpace(t.charCodeAt(p))) p++;
      const q = t.charCodeAt(p);
      if (q !== 0x22 && q !== 0x27) throw new XmlSyntaxError('AttValue: " or \' expected');
      const close = t.indexOf(String.fromCharCode(q), p + 1);
      if (close === -1) throw new XmlSyntaxError('AttValue: \' expected');
      const rawValue = t.slice(p + 1, close);
      if (rawValue.indexOf('<') !== -1) throw new XmlSyntaxError('Unescaped \'<\' not allowed in attributes values');
      if (raw.some((a) => a.name === attrName)) throw new XmlSyntaxError('Attribute ' + attrName + ' redefined');
      raw.push({ name: attrName, value: this.#attributeValue(rawValue) });
      p = close + 1;
    }
    f.pos = p;

    let ns: Map<string, string> | undefined;
    for (const a of raw) {
      if (a.name === 'xmlns') (ns ??= new Map()).set('', a.value);
      else if (a.name.startsWith('xmlns:')) (ns ??= new Map()).set(a.name.slice(6), a.value);
    }
    const lookup = (prefix: string): string => {
      if (prefix === 'xml') return 'http://www.w3.org/XML/1998/namespace';
      const own = ns?.get(prefix);
      if (own !== undefined) return own;
      for (let k = open.length - 1; k >= 0; k--) {
        const uri = open[k]?.ns?.get(prefix);
        if (uri !== undefined) return uri;
      }
      return '';
    };
    const [prefix, localName] = splitQName(name);
    const order = this.#order++;
    const attributes: XmlAttribute[] = [];
    for (const a of raw) {
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) continue;
      const [ap, al] = splitQName(a.name);
      attributes.push({
        kind: 'attribute', name: a.name, prefix: ap, localName: al, namespaceUri: ap === '' ? '' : lookup(ap),
        value: this.#bytes(a.value), order: this.#order++,
      });
    }
    const element: XmlElement = {
      kind: 'element', name, prefix, localName, namespaceUri: lookup(prefix), attributes, children: [], order,
    };
    return { element, selfClosing, ns };
  }

  /**
   * Expands references in an attribute value and normalises its whitespace as XML 1.0 §3.3.3 says (and libxml2
   * does): each literal TAB, CR, LF (after line-end normalisation) becomes a space, while characters written as
   * references (`&#13;&#10;`) are kept as they are — CRS 932300 looks for CR LF there.
   */
  #attributeValue(raw: string): string {
    if (raw.indexOf('&') === -1) return normaliseNewlines(raw).replace(/[\t\n]/g, ' ');
    const base = this.#frames.length;
    this.#frames.push({ text: raw, pos: 0 });
    let out = '';
    while (this.#frames.length > base) {
      const f = this.#frames[this.#frames.length - 1] as Frame;
      if (f.pos >= f.text.length) {
        this.#frames.pop();
        continue;
      }
      const c = f.text.charCodeAt(f.pos);
      if (c === 0x26) {
        const ref = this.#reference(f, true);
        if (ref !== undefined) out += ref;
        continue;
      }
      if (c === 0x3c) throw new XmlSyntaxError('Unescaped \'<\' not allowed in attributes values');
      const amp = f.text.indexOf('&', f.pos);
      const end = amp === -1 ? f.text.length : amp;
      out += normaliseNewlines(f.text.slice(f.pos, end)).replace(/[\t\n]/g, ' ');
      f.pos = end;
    }
    this.#count(out.length);
    return out;
  }

  /**
   * At `&`: returns the text of a character or predefined reference, or pushes an internal entity's replacement
   * text as a new frame and returns undefined.
   */
  #reference(f: Frame, inAttribute: boolean): string | undefined {
    const t = f.text;
    const semi = t.indexOf(';', f.pos + 1);
    if (semi === -1 || semi - f.pos > 64) throw new XmlSyntaxError('EntityRef: expecting \';\'');
    const name = t.slice(f.pos + 1, semi);
    f.pos = semi + 1;
    if (name.startsWith('#')) {
      const cp = name.startsWith('#x') ? parseHex(name.slice(2)) : parseDec(name.slice(1));
      if (cp < 0 || !isXmlChar(cp)) throw new XmlSyntaxError('xmlParseCharRef: invalid xmlChar value');
      return utf8Bytes(cp);
    }
    switch (name) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'apos': return "'";
      case 'quot': return '"';
      default: break;
    }
    if (readName(name, 0) !== name || name.length === 0) throw new XmlSyntaxError('xmlParseEntityRef: no name');
    const def = this.#entities.get(name);
    if (def === undefined) {
      if (this.#lenientEntities) return '';
      throw new XmlSyntaxError(`Entity '${name}' not defined`);
    }
    if (def.external) {
      if (inAttribute) throw new XmlSyntaxError(`Attribute references external entity '${name}'`);
      return '';
    }
    for (const frame of this.#frames) {
      if (frame.entity === name) throw new XmlSyntaxError('Detected an entity reference loop');
    }
    if (this.#frames.length > MAX_ENTITY_NESTING) throw new XmlSyntaxError('Maximum entity nesting depth exceeded');
    this.#count(def.value.length);
    this.#frames.push({ text: def.value, pos: 0, entity: name });
    return undefined;
  }

  #count(chars: number): void {
    this.#expanded += chars;
    if (this.#expanded > this.#expansionLimit) {
      throw new XmlSyntaxError('Maximum entity amplification factor exceeded');
    }
  }

  /** Text as UTF-8 bytes: converts from ISO-8859-1 when the document declared it. */
  #bytes(s: string): string {
    if (!this.#latin1 || !/[\x80-\xff]/.test(s)) return s;
    // Each char of `s` is one ISO-8859-1 byte, i.e. its own code point: encode those code points as UTF-8.
    return Buffer.from(s, 'utf8').toString('latin1');
  }
}

function declarationEnd(t: string, start: number): number {
  let p = start + 2;
  while (p < t.length) {
    const c = t.charCodeAt(p);
    if (c === 0x22 || c === 0x27) {
      const close = t.indexOf(String.fromCharCode(c), p + 1);
      if (close === -1) break;
      p = close + 1;
      continue;
    }
    if (c === 0x3e) return p;
    p++;
  }
  throw new XmlSyntaxError('markup declaration not terminated');
}

function isXmlSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isSpaceAt(s: string, i: number): boolean {
  return i < s.length && isXmlSpace(s.charCodeAt(i));
}

function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a || c >= 0x80;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;
}

function readName(t: string, start: number): string {
  if (start >= t.length || !isNameStart(t.charCodeAt(start))) return '';
  let p = start + 1;
  while (p < t.length && isNameChar(t.charCodeAt(p))) p++;
  return t.slice(start, p);
}

function splitQName(name: string): [string, string] {
  const colon = name.indexOf(':');
  return colon > 0 ? [name.slice(0, colon), name.slice(colon + 1)] : ['', name];
}

function normaliseNewlines(s: string): string {
  return s.indexOf('\r') === -1 ? s : s.replace(/\r\n?/g, '\n');
}

function parseHex(s: string): number {
  return /^[0-9a-fA-F]{1,6}$/.test(s) ? parseInt(s, 16) : -1;
}

function parseDec(s: string): number {
  return /^[0-9]{1,7}$/.test(s) ? parseInt(s, 10) : -1;
}

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

function utf8Bytes(cp: number): string {
  return Buffer.from(String.fromCodePoint(cp), 'utf8').toString('latin1');
}

/** libxml2 refuses a UTF-8 document with invalid sequences ("Input is not proper UTF-8"). */
function checkUtf8(s: string): void {
  if (!/[\x80-\xff]/.test(s)) return;
  const decoded = Buffer.from(s, 'latin1').toString('utf8');
  if (Buffer.from(decoded, 'utf8').toString('latin1') !== s) {
    throw new XmlSyntaxError('Input is not proper UTF-8');
  }
}

// The XPath evaluator lives in xpath.ts (it only needs this module's types); re-exported for callers that think of
// it as part of the XML processor.
export { evaluateXPath } from './xpath';
