import { defineAction, requireValue } from './types';

/** An absolute URI starts with a scheme (RFC 3986 section 3.1). */
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * Binds a namespace prefix for the XPath expressions of XML targets in this rule's transaction.
 *
 * The value is `prefix=URI`, the URI optionally in single quotes. libmodsecurity v3 (`XmlNS::init`) refuses a
 * value without `=`, with an empty prefix or URI, and a URI that does not start with `http://`
 * ("XMLS: Missing xmlns href for prefix"). Rampart refuses the same values except that it takes any absolute URI
 * (`urn:...`, `https://...`), as namespace names are (Namespaces in XML 1.0); a relative reference such as
 * `schemas.xmlsoap.org/soap/envelope/` is refused, as it is a mistake for `http://schemas...`.
 *
 * @example SecRule XML:/soap:Envelope/soap:Body "@rx x" "id:1,phase:2,xmlns:soap=http://schemas.xmlsoap.org/soap/envelope/,deny"
 */
export const xmlns = defineAction({
  name: 'xmlns',
  apply(node, rule) {
    const text = requireValue(node);
    const eq = text.indexOf('=');
    if (eq <= 0) throw new Error(`xmlns needs prefix=URI, got '${text}'`);
    const prefix = text.slice(0, eq);
    const uri = text.slice(eq + 1).replace(/^'|'$/g, '');
    if (uri === '') throw new Error(`xmlns needs prefix=URI, got '${text}' (no URI)`);
    if (!ABSOLUTE_URI.test(uri)) {
      throw new Error(`xmlns:${prefix}: the namespace '${uri}' is not an absolute URI (libmodsecurity v3: "Missing xmlns href for prefix"); write it with its scheme, e.g. http://${uri}`);
    }
    rule.xmlNamespaces.set(prefix, uri);
  },
});
