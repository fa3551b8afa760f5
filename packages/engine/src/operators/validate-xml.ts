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
  // v3 words its debug lines with the file as the rule names it.
  const always = (why: string, debugLine: string): OperatorMatcher => {
    ctx.warn(`${operator}: ${why}; the rule matches every request it runs on, as in libmodsecurity v3`);
    return (_input, run) => {
      run.debug?.(4, () => debugLine);
      return true;
    };
  };
  if (ctx.options.xmlExternalEntity !== true) {
    return always(
      `XML: Failed to load ${noun}: ${name} (SecXmlExternalEntity is Off, which also keeps libxml2 from reading the ${noun}; set SecXmlExternalEntity On)`,
      kind === 'dtd' ? `XML: Failed to load DTD: ${name}` : `XML: Failed to load Schema: ${name}.`,
    );
  }
  let schema;
  try {
    schema = loadXmlSchema(kind, Buffer.from(content, 'latin1'), name);
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    return always(
      `XML: Failed to load ${noun}: ${name}. XML Error: ${error}`,
      kind === 'dtd' ? `XML: Failed to load DTD: ${name}` : `XML: Failed to load Schema: ${name}. XML Error: ${error}`,
    );
  }
  const timeoutMs = ctx.options.xmlValidationTimeoutMs ?? DEFAULT_XML_VALIDATION_TIMEOUT_MS;
  const lower = noun === 'DTD' ? 'DTD' : 'schema';
  return (_input, run) => {
    const body = run.xmlRequestBody?.();
    if (body === undefined) {
      run.debug?.(4, () => `XML document tree could not be found for ${lower} validation.`);
      return true;
    }
    if (!body.wellFormed) {
      run.debug?.(4, () => `XML: ${noun} validation failed because content is not well formed.`);
      return true;
    }
    const result = schema.validate(body.bytes, timeoutMs);
    if ('timedOut' in result) {
      run.debug?.(4, () => `XML: ${noun} validation did not finish within ${timeoutMs} ms.`);
      return true;
    }
    if (!result.wellFormed) {
      run.debug?.(4, () => `XML: ${noun} validation failed because content is not well formed.`);
      return true;
    }
    if (!result.valid) {
      for (const message of result.messages) run.debug?.(4, () => `XML Error: ${message}`);
      run.debug?.(4, () => `XML: ${noun} validation failed.`);
      return true;
    }
    run.debug?.(4, () => `XML: Successfully validated payload against ${noun}: ${name}`);
    return false;
  };
}
