import { defineAction, requireValue } from './types';

/**
 * Binds a namespace prefix for the XPath expressions of XML targets in this rule's transaction.
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
    rule.xmlNamespaces.set(prefix, uri);
  },
});
