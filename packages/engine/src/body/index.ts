// The request-body processors: pure functions over latin1 strings, with explicit results; none of them throws on
// request data. The transaction wires them to REQBODY_PROCESSOR and the ARGS/FILES/MULTIPART_*/XML variables.
export { BodyBuffer, type BodyBufferOptions, type BodyChunk } from './body-buffer';
export { parseCookies, type CookieOptions } from './cookies';
export { JSON_DEFAULT_DEPTH_LIMIT, decodeYajlString, parseJson, type JsonOptions, type JsonResult } from './json';
export {
  MULTIPART_BUF_SIZE,
  MultipartParser,
  parseMultipart,
  type MultipartFile,
  type MultipartFlags,
  type MultipartOptions,
  type MultipartResult,
} from './multipart';
export {
  parseQueryString,
  parseUrlencoded,
  urlDecodeNonStrict,
  type Arg,
  type DecodeResult,
  type UrlencodedOptions,
  type UrlencodedResult,
} from './urlencoded';
export {
  XML_ERROR_MESSAGE,
  parseXml,
  type XmlAttribute,
  type XmlComment,
  type XmlDocument,
  type XmlElement,
  type XmlNode,
  type XmlOptions,
  type XmlProcessingInstruction,
  type XmlResult,
  type XmlText,
} from './xml';
export {
  XPathUnsupportedError,
  compileXPath,
  evaluateXPath,
  selectNodes,
  stringValue,
  type CompileXPathResult,
  type CompiledXPath,
  type XPathNamespaces,
  type XPathNode,
} from './xpath';
