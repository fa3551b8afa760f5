import { defineOperator } from './types';
import { compileXmlValidation } from './validate-xml';

/**
 * Validates the XML request body against a DTD with libxml2, as ModSecurity does; the target value is not used
 * (name the `XML` variable), and the body's own DOCTYPE does not choose the DTD. Matches when the body is not
 * valid, is not well formed, or is not XML at all (v3 offers `XML` on every request: guard the rule by
 * REQBODY_PROCESSOR). Needs `SecXmlExternalEntity On` for libxml2 to read the DTD, as in libmodsecurity v3 (Off:
 * the rule matches every time, with a load warning); the request body's external entities and external subset
 * are never loaded either way.
 * @example SecXmlExternalEntity On
 *          SecRule REQBODY_PROCESSOR "!^XML$" "id:163,phase:2,pass,nolog,skipAfter:END_XML_DTD"
 *          SecRule XML "@validateDTD /etc/rampart/soap.dtd" "id:164,phase:2,deny,msg:'invalid SOAP body'"
 *          SecMarker END_XML_DTD
 */
export const validateDTD = defineOperator({
  name: 'validateDTD',
  compile(argument, ctx) {
    return compileXmlValidation('dtd', argument, ctx);
  },
});
