import { join } from 'node:path';
import { SyncWorker, WorkerTimeoutError } from './sync-worker';

/**
 * XML Schema (XSD) and DTD validation of request bodies for `@validateSchema` and `@validateDTD`, by libxml2 as in
 * libmodsecurity, here libxml2 compiled to WebAssembly (the libxml2-wasm package) in one worker thread shared by
 * the process: no native build, a current libxml2, and a fault in it stays inside the WebAssembly sandbox.
 *
 * Safety: libxml2 gets no file or network access at all (no input provider is registered), so a request body's
 * external entities, external DTD subset or schema locations are never loaded; the schema or DTD comes from the
 * configuration (read by the engine, bounded like every data file) and is parsed once, at load time. The body is
 * parsed with libxml2's default limits (no XML_PARSE_HUGE) and each validation has a time limit: a worker that
 * misses it is terminated and the validation fails (the operator matches).
 */

export type XmlSchemaKind = 'xsd' | 'dtd';

export type XmlValidationResult =
  | { readonly wellFormed: false; readonly messages: readonly string[] }
  | { readonly wellFormed: true; readonly valid: boolean; readonly messages: readonly string[] }
  | { readonly timedOut: true };

export interface LoadedXmlSchema {
  /** Validates a request body (latin1 string: one char = one byte). Never throws. */
  validate(body: string, timeoutMs: number): XmlValidationResult;
}

/** Time a schema or DTD may take to load (the first one also starts the worker and compiles libxml2). */
const LOAD_TIMEOUT_MS = 30_000;
/** Default time limit of one validation. */
export const DEFAULT_XML_VALIDATION_TIMEOUT_MS = 2_000;

interface Source {
  kind: XmlSchemaKind;
  bytes: Uint8Array;
  url: string;
}

type Reply = { ok: true; wellFormed?: boolean; valid?: boolean; messages?: string[] } | { ok: false; error: string };

const sources = new Map<number, Source>();
let nextId = 0;

// src/xml-validation and dist/xml-validation are both two levels below the package root.
const worker = new SyncWorker(join(__dirname, '..', '..', 'workers', 'libxml2-validator.mjs'), (w) => {
  // A fresh worker after a time-out: it loads every schema again (each loaded fine before).
  for (const [id, source] of sources) w.call<Reply>({ op: 'load', id, ...source }, LOAD_TIMEOUT_MS);
});

/**
 * Parses a schema or DTD (`bytes`, from the file at `url`) once, for every validation to come.
 * @throws Error with libxml2's messages when it does not parse.
 */
export function loadXmlSchema(kind: XmlSchemaKind, bytes: Uint8Array, url: string): LoadedXmlSchema {
  const id = ++nextId;
  let reply: Reply;
  try {
    reply = worker.call<Reply>({ op: 'load', id, kind, bytes, url }, LOAD_TIMEOUT_MS);
  } catch (e) {
    throw new Error(e instanceof WorkerTimeoutError ? `libxml2 did not answer (${e.message})` : String(e));
  }
  if (!reply.ok) throw new Error(reply.error);
  sources.set(id, { kind, bytes, url });
  return {
    validate(body, timeoutMs) {
      let r: Reply;
      try {
        r = worker.call<Reply>({ op: 'validate', id, body: Buffer.from(body, 'latin1') }, timeoutMs);
      } catch {
        return { timedOut: true };
      }
      if (!r.ok) return { wellFormed: true, valid: false, messages: [r.error] };
      if (r.wellFormed !== true) return { wellFormed: false, messages: r.messages ?? [] };
      return { wellFormed: true, valid: r.valid === true, messages: r.messages ?? [] };
    },
  };
}
