import { defineOperator } from './types';
import { compileXmlValidation } from './validate-xml';

/**
 * Validates the XML request body against an XML Schema (XSD) with libxml2, as ModSecurity does; the target value
 * is not used (name the `XML` variable). Matches when the body is not valid, is not well formed, or is not XML at
 * all (v3 offers `XML` on every request: guard the rule by REQBODY_PROCESSOR). Needs `SecXmlExternalEntity On`
 * for libxml2 to read the schema, as in libmodsecurity v3 (Off: the rule matches every time, with a load warning);
 * the request body's own external entities and schema locations are never loaded either way. Schema imports
 * and includes (xs:import, xs:include) are not followed.
 * @example SecXmlExternalEntity On
 *          SecRule REQBODY_PROCESSOR "!^XML$" "id:164,phase:2,pass,nolog,skipAfter:END_XML_SCHEMA"
 *          SecRule XML "@validateSchema /etc/rampart/soap.xsd" "id:165,phase:2,deny,msg:'invalid SOAP body'"
 *          SecMarker END_XML_SCHEMA
 */
export const validateSchema = defineOperator({
  name: 'validateSchema',
  compile(argument, ctx) {
    return compileXmlValidation('xsd', argument, ctx);
  },
});
