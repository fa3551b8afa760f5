import { loadXmlSchema, DEFAULT_XML_VALIDATION_TIMEOUT_MS, type XmlSchemaKind } from '../xml-validation';
import { OperatorCompileError } from './errors';
import type { MacroString } from '@rampart/seclang';
import type { OperatorCompileContext, OperatorMatcher } from './types';

const WHAT: Record<XmlSchemaKind, { operator: string; noun: string }> = {
  xsd: { operator: '@validateSchema', noun: 'Schema' },
  dtd: { operator: '@validateDTD', noun: 'DTD' },
};

/**
 * The matcher of `@validateSchema` / `@validateDTD`, as libmodsecurity v3 evaluates them (validate_schema.cc,
 * validate_dtd.cc): the input value is ignored, the XML request body is validated, and the operator matches when
 * the body could not be validated (no XML body, a body that is not well formed, a schema that did not load, a
 * validation over its time limit) or is invalid.
 *
 * The file must exist at load time (v3 refuses the rule otherwise). As in v3, with SecXmlExternalEntity Off
 * (the default) libxml2 may not read the file: the rule loads, with a warning here, and matches every time.
 * A schema libxml2 cannot parse also loads with a warning and matches every time (v3 parses it per request and
 * fails the same way).
 */
export function compileXmlValidation(kind: XmlSchemaKind, argument: MacroString, ctx: OperatorCompileContext): OperatorMatcher {
  const { operator, noun } = WHAT[kind];
  const name = argument.text.trim();
  if (name === '') throw new OperatorCompileError('bad-argument', `${operator} needs a file name`);
  let content: string;
  try {
    content = ctx.readDataFile(name);
  } catch (e) {
    throw new OperatorCompileError('data-file', `${operator}: XML: File not found: ${name}. ${e instanceof Error ? e.message : String(e)}`);
  }
  const always = (why: string): OperatorMatcher => {
    ctx.warn(`${operator}: ${why}; the rule matches every request it runs on, as in libmodsecurity v3`);
    return () => true;
  };
  if (ctx.options.xmlExternalEntity !== true) {
    return always(
      `XML: Failed to load ${noun}: ${name} (SecXmlExternalEntity is Off, which also keeps libxml2 from reading the ${noun}; set SecXmlExternalEntity On)`,
    );
  }
  let schema;
  try {
    schema = loadXmlSchema(kind, Buffer.from(content, 'latin1'), ctx.resolvePath?.(name) ?? name);
  } catch (e) {
    return always(`XML: Failed to load ${noun}: ${name}. XML Error: ${e instanceof Error ? e.message : String(e)}`);
  }
  const timeoutMs = ctx.options.xmlValidationTimeoutMs ?? DEFAULT_XML_VALIDATION_TIMEOUT_MS;
  return (_input, run) => {
    const body = run.xmlRequestBody?.();
    // v3: "XML document tree could not be found" / "validation failed because content is not well formed".
    if (body === undefined || !body.wellFormed) return true;
    const result = schema.validate(body.bytes, timeoutMs);
    if ('timedOut' in result) return true;
    return !result.wellFormed || !result.valid;
  };
}
