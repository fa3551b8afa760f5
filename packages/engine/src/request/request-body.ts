import { BodyBuffer } from '../body/body-buffer';
import { parseJson } from '../body/json';
import { parseMultipart } from '../body/multipart';
import { parseUrlencoded } from '../body/urlencoded';
import { parseXml } from '../body/xml';
import type { Interruption } from '../interruption';
import type { Transaction } from '../transaction';
import { bodyDebug, debugArguments, debugLine } from '../trace/debug-lines';
import { fullRequestLength } from '../variables/full-request';

const set01 = (tx: Transaction, name: string, on: boolean | number): void => {
  tx.vars.set(name, typeof on === 'number' ? String(on) : on ? '1' : '0');
};

/**
 * Phase 2 input: buffers the request body under SecRequestBodyLimit and runs the body processor picked
 * from the Content-Type (URLENCODED, MULTIPART) or by `ctl:requestBodyProcessor` (JSON, XML), filling
 * ARGS_POST, FILES*, MULTIPART_*, XML and the REQBODY_* error variables. Never throws on bad input.
 */
/** REQBODY_ERROR_MSG when the body without its files is over SecRequestBodyNoFilesLimit (libmodsecurity v3's words). */
const NO_FILES_LIMIT_MESSAGE = 'Request body excluding files is bigger than the maximum expected.';

export class RequestBodyProcessing {
  private buffer: BodyBuffer | undefined;

  constructor(private readonly tx: Transaction) {}

  /** The request body as buffered (up to the limit), for the audit log. */
  text(): string {
    return this.buffer ? this.buffer.toLatin1() : '';
  }

  append(chunk: string): void {
    if (!this.buffer) this.buffer = new BodyBuffer({ limit: this.tx.settings.requestBodyLimit });
    this.buffer.append(chunk);
  }

  /** REQBODY_PROCESSOR from the Content-Type, before phase 1 rules run (ModSecurity v2 does this at request start). */
  selectProcessorFromHeaders(): void {
    const ct = (this.tx.collection('REQUEST_HEADERS')!.first('content-type') ?? '').toLowerCase();
    let processor: string | undefined;
    if (ct.startsWith('application/x-www-form-urlencoded')) processor = 'URLENCODED';
    else if (ct.startsWith('multipart/form-data')) processor = 'MULTIPART';
    if (processor !== undefined) {
      this.tx.settings.requestBodyProcessor = processor;
      this.tx.vars.set('REQBODY_PROCESSOR', processor);
    }
  }

  process(): Interruption | undefined {
    const tx = this.tx;
    const s = tx.waf.settings;
    const buffer = this.buffer;
    const body = buffer ? buffer.toLatin1() : '';
    const received = buffer ? buffer.receivedLength : 0;
    set01(tx, 'REQBODY_ERROR', false);
    set01(tx, 'REQBODY_PROCESSOR_ERROR', false);
    if (!tx.settings.requestBodyAccess) {
      debugLine(tx, 4, s.requestBodyAccess
        ? 'Request body processing is enabled, but disabled to this transaction due to ctl:requestBodyAccess action'
        : 'Request body processing is disabled');
      return undefined;
    }
    if (!s.requestBodyAccess) debugLine(tx, 4, 'Request body processing is disabled, but enabled to this transaction due to ctl:requestBodyAccess action');
    // FULL_REQUEST is built when a rule reads it (variables/full-request.ts); its length costs nothing to know.
    tx.vars.set('FULL_REQUEST_LENGTH', String(fullRequestLength(tx, body)));
    if (buffer && buffer.limitExceeded) {
      set01(tx, 'INBOUND_DATA_ERROR', true);
      if (s.requestBodyLimitAction === 'Reject') {
        const line = `ModSecurity: Request body (Content-Length) is larger than the configured limit (${tx.settings.requestBodyLimit}). [unique_id "${tx.id}"]`;
        if (tx.settings.ruleEngine === 'On') {
          tx.log(line);
          // 403 as libmodsecurity v3 answers (transaction.cc appendRequestBody); v2 answered 413.
          tx.interruption = { status: 403, ruleId: 0, action: 'deny', log: line };
          return tx.interruption;
        }
        tx.log(line);
      }
    }
    tx.vars.set('REQUEST_BODY_LENGTH', String(Math.min(received, body.length)));
    const processor = tx.settings.requestBodyProcessor;
    // REQUEST_BODY as ModSecurity v2 sets it (URLENCODED, or forced by ctl:forceRequestBodyVariable), plus JSON:
    // our JSON argument names follow v3 (`json.key.array_0`), so the key-level patterns CRS looks for in the raw
    // body (`"key__op":`, rule 934210) need it there, as v3 (which always sets it) has it.
    if (processor === 'URLENCODED' || processor === 'JSON' || tx.settings.forceRequestBodyVariable) tx.vars.set('REQUEST_BODY', body);
    // libmodsecurity v3 runs the multipart processor on an empty body too ("Process the request body even if there
    // is nothing to be done", transaction.cc): its Content-Type checks still set MULTIPART_STRICT_ERROR.
    if (processor === undefined || (received === 0 && processor !== 'MULTIPART')) return undefined;
    const limitLeft = Math.max(0, s.argumentsLimit - tx.collection('ARGS')!.size);
    const post = tx.collection('ARGS_POST')!;
    const args = tx.collection('ARGS')!;
    const fail = (msg: string): void => {
      set01(tx, 'REQBODY_ERROR', true);
      set01(tx, 'REQBODY_PROCESSOR_ERROR', true);
      tx.vars.set('REQBODY_ERROR_MSG', msg);
      tx.vars.set('REQBODY_PROCESSOR_ERROR_MSG', msg);
    };
    const noFilesLimit = s.requestBodyNoFilesLimit;
    if (noFilesLimit !== undefined && (processor === 'URLENCODED' || processor === 'JSON' || processor === 'XML') && body.length > noFilesLimit) {
      // libmodsecurity v3 (transaction.cc processRequestBody): the body is not parsed, REQBODY_ERROR says why.
      set01(tx, 'REQBODY_ERROR', true);
      tx.vars.set('REQBODY_ERROR_MSG', NO_FILES_LIMIT_MESSAGE);
      set01(tx, 'INBOUND_DATA_ERROR', true);
      debugLine(tx, 5, `${NO_FILES_LIMIT_MESSAGE} Limit: ${noFilesLimit}`);
      return undefined;
    }
    switch (processor) {
      case 'URLENCODED': {
        const r = parseUrlencoded(body, { separator: s.argumentSeparator, argumentsLimit: limitLeft });
        debugArguments(tx, 'POST', r.args, r.limitExceeded);
        for (const a of r.args) {
          post.add(a.name, a.value);
          args.add(a.name, a.value);
        }
        // Set, never cleared: an invalid query string already set it (libmodsecurity v3's extractArguments).
        if (r.invalidEncoding) set01(tx, 'URLENCODED_ERROR', true);
        break;
      }
      case 'MULTIPART': {
        const ct = tx.collection('REQUEST_HEADERS')!.first('content-type') ?? '';
        const keep = s.uploadKeepFiles !== 'Off' || s.tmpSaveUploadedFiles;
        const dir = s.uploadDir ?? s.tmpDir;
        const debug = bodyDebug(tx);
        const r = parseMultipart(ct, body, {
          ...(debug !== undefined ? { debug } : {}),
          argumentsLimit: limitLeft,
          uploadFileLimit: s.uploadFileLimit,
          ...(keep && dir !== undefined ? { upload: { dir, fileMode: s.uploadFileMode, transactionId: tx.id } } : {}),
        });
        for (const a of r.args) {
          post.add(a.name, a.value);
          args.add(a.name, a.value);
        }
        const files = tx.collection('FILES')!;
        const fileNames = tx.collection('FILES_NAMES')!;
        const sizes = tx.collection('FILES_SIZES')!;
        const tmpNames = tx.collection('FILES_TMPNAMES')!;
        const content = tx.collection('FILES_TMP_CONTENT')!;
        for (const f of r.files) {
          files.add(f.name, f.filename);
          fileNames.add(f.name, f.name);
          sizes.add(f.name, String(f.size));
          if (f.tmpPath !== undefined) tmpNames.add(f.name, f.tmpPath);
          content.add(f.name, f.content);
        }
        tx.vars.set('FILES_COMBINED_SIZE', String(r.filesCombinedSize));
        const ph = tx.collection('MULTIPART_PART_HEADERS')!;
        for (const h of r.partHeaders) ph.add(h.name, h.value);
        for (const n of r.names) tx.collection('MULTIPART_NAME')!.add(n, n);
        for (const n of r.filenames) tx.collection('MULTIPART_FILENAME')!.add(n, n);
        const f = r.flags;
        set01(tx, 'MULTIPART_STRICT_ERROR', f.strictError);
        set01(tx, 'MULTIPART_BOUNDARY_QUOTED', f.boundaryQuoted);
        set01(tx, 'MULTIPART_BOUNDARY_WHITESPACE', f.boundaryWhitespace);
        set01(tx, 'MULTIPART_DATA_BEFORE', f.dataBefore);
        set01(tx, 'MULTIPART_DATA_AFTER', f.dataAfter);
        set01(tx, 'MULTIPART_HEADER_FOLDING', f.headerFolding);
        set01(tx, 'MULTIPART_LF_LINE', f.lfLine);
        set01(tx, 'MULTIPART_CRLF_LF_LINES', f.crlfLfLines);
        set01(tx, 'MULTIPART_MISSING_SEMICOLON', f.missingSemicolon);
        set01(tx, 'MULTIPART_INVALID_QUOTING', f.invalidQuoting);
        set01(tx, 'MULTIPART_INVALID_PART', f.invalidPart);
        set01(tx, 'MULTIPART_INVALID_HEADER_FOLDING', f.invalidHeaderFolding);
        set01(tx, 'MULTIPART_FILE_LIMIT_EXCEEDED', f.fileLimitExceeded);
        set01(tx, 'MULTIPART_UNMATCHED_BOUNDARY', f.unmatchedBoundary);
        if (r.error !== undefined) fail(r.error);
        else if (noFilesLimit !== undefined && r.noFilesLength > noFilesLimit) {
          set01(tx, 'REQBODY_ERROR', true);
          tx.vars.set('REQBODY_ERROR_MSG', NO_FILES_LIMIT_MESSAGE);
          set01(tx, 'INBOUND_DATA_ERROR', true);
          debugLine(tx, 5, `${NO_FILES_LIMIT_MESSAGE} Limit: ${noFilesLimit}`);
        }
        break;
      }
      case 'JSON': {
        // ModSecurity (v2 and v3) adds JSON values to ARGS only, not to ARGS_POST.
        const r = parseJson(body, { depthLimit: s.requestBodyJsonDepthLimit, argumentsLimit: limitLeft });
        debugArguments(tx, 'JSON', r.args, r.argumentsLimitExceeded);
        for (const a of r.args) args.add(a.name, a.value);
        if (r.error !== undefined) fail(r.error);
        break;
      }
      case 'XML': {
        const r = parseXml(body);
        if (r.document !== undefined) tx.xmlDocument = r.document;
        tx.xmlBody = { bytes: body, wellFormed: r.document !== undefined && r.error === undefined };
        if (r.error !== undefined) fail(r.error);
        break;
      }
    }
    return undefined;
  }
}
