// The worker thread behind @validateSchema and @validateDTD (src/xml-validation): libxml2, compiled to WebAssembly
// (libxml2-wasm), parses request bodies and validates them against schemas and DTDs loaded from the configuration.
// It is an ES module with top-level await, which the engine's CommonJS build cannot load itself; the engine calls it
// synchronously (see sync-worker.ts). No input provider is registered, so libxml2 reads no file and no URL:
// external entities, external DTD subsets and schema imports of a request body are never loaded.
import { workerData } from 'node:worker_threads';

const { port, signal } = workerData;
const XML_PARSE_NONET = 2048;

let lib;
let startError;
try {
  lib = await import('libxml2-wasm');
} catch (e) {
  startError = `cannot load libxml2-wasm: ${e instanceof Error ? e.message : String(e)}`;
}

/** Loaded schemas and DTDs by the engine's id. */
const validators = new Map();

function messages(e) {
  if (e instanceof lib.XmlLibError && Array.isArray(e.details) && e.details.length > 0) {
    return e.details.map((d) => String(d.message).trim()).filter((m) => m !== '');
  }
  return [e instanceof Error ? e.message.trim() : String(e)];
}

function load({ id, kind, bytes, url }) {
  if (kind === 'xsd') {
    let doc;
    try {
      doc = lib.XmlDocument.fromBuffer(bytes, { url, option: XML_PARSE_NONET });
    } catch (e) {
      // libxml2's schema parser words it so when it reads the file itself (v3: xmlSchemaParse).
      return { ok: false, error: `Failed to parse the XML resource '${url}'. ${messages(e).join(' ')}` };
    }
    try {
      // The schema document stays alive with its validator (libxml2's schema may point into it).
      validators.set(id, lib.XsdValidator.fromDoc(doc));
    } catch (e) {
      doc.dispose();
      throw e;
    }
  } else {
    validators.set(id, new lib.DtdValidator(lib.XmlDtd.fromBuffer(bytes)));
  }
  return { ok: true };
}

function validate({ id, body }) {
  const validator = validators.get(id);
  if (validator === undefined) return { ok: false, error: `no schema ${id}` };
  let doc;
  try {
    doc = lib.XmlDocument.fromBuffer(body, { option: XML_PARSE_NONET });
  } catch (e) {
    return { ok: true, wellFormed: false, valid: false, messages: messages(e) };
  }
  try {
    validator.validate(doc);
    return { ok: true, wellFormed: true, valid: true, messages: [] };
  } catch (e) {
    return { ok: true, wellFormed: true, valid: false, messages: messages(e) };
  } finally {
    doc.dispose();
  }
}

port.on('message', (request) => {
  let reply;
  try {
    if (startError !== undefined) reply = { ok: false, error: startError };
    else if (request.op === 'load') reply = load(request);
    else if (request.op === 'validate') reply = validate(request);
    else reply = { ok: false, error: `unknown request ${request.op}` };
  } catch (e) {
    reply = { ok: false, error: messages(e).join(' ') };
  }
  port.postMessage({ seq: request.seq, ...reply });
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
});
