import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isSpace } from './cookies';
import type { Arg } from './urlencoded';

/**
 * The `multipart/form-data` request-body processor, a re-implementation of ModSecurity v3's parser
 * (`src/request_body_processor/multipart.cc`, 2024-2025 master) with the same flags, the same error messages and the
 * same quirks, because CRS's base rules (200002 REQBODY_ERROR, 200003 MULTIPART_STRICT_ERROR, 200004
 * MULTIPART_UNMATCHED_BOUNDARY) deny on them:
 *
 * - The body is cut into "lines" of at most 4096 bytes (a line ends at LF; a CR is never the last byte of a full
 *   buffer). A line `--BOUNDARY` + (`--`)? + CRLF|LF is a boundary; anything else is a part header (before the blank
 *   line) or part data.
 * - The CRLF (or LF) at the end of each data line is held back and only re-attached when more data follows, so the
 *   line break before a boundary belongs to the boundary. ModSecurity v3 re-attaches it for files but **drops it for
 *   form fields** (`d.assign` twice in `process_part_data`): a field value `a\r\nb` becomes `ab` in ARGS_POST. We do
 *   the same, since CRS's verdicts on v3 depend on it.
 * - Errors inside part headers (missing Content-Disposition, bad Content-Disposition, colon missing, NUL byte,
 *   invalid header-name character, folding error) set REQBODY_ERROR but do not stop the parser (v3 tests `< 0` on a
 *   `false` return). Boundary errors, over-long header lines and temp-file failures stop it. The message kept is the
 *   last one assigned; "Final boundary missing" / "No boundaries found in payload" overwrite earlier ones.
 * - Without a final boundary (or with none at all) no ARGS_POST / FILES are produced, but MULTIPART_NAME,
 *   MULTIPART_FILENAME and MULTIPART_PART_HEADERS, filled while parsing, are.
 *
 * Deviations, for bounded memory: at most `argumentsLimit` form fields become ARGS (v3 adds them all; the rest are
 * counted in `argumentsLimitExceeded`), and file contents are kept in memory only up to `fileContentLimit` bytes
 * each, for the first `uploadFileLimit` files.
 *
 * @example SecRule MULTIPART_STRICT_ERROR "!@eq 0" "id:200003,phase:2,deny,status:400,msg:'Multipart strict error'"
 */
export interface MultipartOptions {
  /** How many more arguments may be added to ARGS (SecArgumentsLimit minus ARGS already present). */
  readonly argumentsLimit?: number;
  /** SecUploadFileLimit (default 100): files written to `upload.dir` at most; over it, FILE_LIMIT_EXCEEDED. */
  readonly uploadFileLimit?: number;
  /** Bytes of each file kept in memory for FILES_TMP_CONTENT (default 1 MiB). */
  readonly fileContentLimit?: number;
  /**
   * Write each uploaded file to a temporary file (SecUploadKeepFiles On or SecTmpSaveUploadedFiles On). Files are
   * named like ModSecurity's: `<dir>/YYYYmmdd-HHMMSS-<transactionId>-file-XXXXXX`. The caller deletes them when it
   * does not keep them.
   */
  readonly upload?: {
    readonly dir: string;
    /** SecUploadFileMode, e.g. 0o600 (default). */
    readonly fileMode?: number;
    readonly transactionId?: string;
    /** Clock for the file name (tests). */
    readonly now?: () => Date;
  };
  /**
   * Receives libmodsecurity v3's debug-log messages for the parse (`Multipart: Boundary: ...`, `Multipart: Warning:
   * boundary was quoted.`, `Multipart: Added part to the list: ...`), each with v3's level; messages above `level`
   * are not built.
   */
  readonly debug?: MultipartDebug;
}

/** Where the parser's debug-log messages go (SecDebugLog, through the transaction). */
export interface MultipartDebug {
  /** The highest level written (SecDebugLogLevel). */
  readonly level: number;
  log(level: number, message: string): void;
}

export interface MultipartFile {
  /** The part's `name` (the key of FILES, FILES_NAMES, FILES_SIZES, FILES_TMP_CONTENT). */
  readonly name: string;
  /** The part's `filename` (the value of FILES). */
  readonly filename: string;
  /** FILES_SIZES: bytes of content (the line break before the next boundary excluded). */
  readonly size: number;
  /** The content, latin1, up to `fileContentLimit` bytes (FILES_TMP_CONTENT). */
  readonly content: string;
  readonly contentTruncated: boolean;
  /** FILES_TMPNAMES: the temporary file, when `upload` was given and the file limit was not reached. */
  readonly tmpPath?: string;
}

/** The MULTIPART_* variables, 0 or 1 (UNMATCHED_BOUNDARY is 2 when a boundary-like line followed a real boundary). */
export interface MultipartFlags {
  readonly strictError: number;
  readonly boundaryQuoted: number;
  readonly boundaryWhitespace: number;
  readonly dataBefore: number;
  readonly dataAfter: number;
  readonly headerFolding: number;
  readonly lfLine: number;
  readonly crlfLfLines: number;
  readonly missingSemicolon: number;
  readonly invalidQuoting: number;
  readonly invalidPart: number;
  readonly invalidHeaderFolding: number;
  readonly fileLimitExceeded: number;
  readonly unmatchedBoundary: number;
}

export interface MultipartResult {
  /** ARGS_POST (and ARGS), in part order. */
  readonly args: Arg[];
  readonly files: MultipartFile[];
  /** FILES_COMBINED_SIZE. */
  readonly filesCombinedSize: number;
  /** MULTIPART_PART_HEADERS: key = part name, value = one header line as sent (folded headers joined). */
  readonly partHeaders: Arg[];
  /** MULTIPART_NAME: every `name=` seen in a Content-Disposition header (key = value). */
  readonly names: string[];
  /** MULTIPART_FILENAME: every `filename=` seen (key = value). */
  readonly filenames: string[];
  readonly flags: MultipartFlags;
  /** REQBODY_ERROR_MSG (and REQBODY_PROCESSOR_ERROR_MSG) when REQBODY_ERROR = 1, e.g.
   *  `Multipart parsing error: Multipart: Final boundary missing.` */
  readonly error?: string;
  /** Form fields dropped because of `argumentsLimit`. */
  readonly argumentsLimitExceeded: boolean;
  /** Bytes of part headers and form-field data (what SecRequestBodyNoFilesLimit measures). */
  readonly noFilesLength: number;
  /** Every temporary file created, also when the body was rejected: the caller deletes them unless it keeps them. */
  readonly tmpFiles: string[];
}

/** ModSecurity's MULTIPART_BUF_SIZE: longest line handled at once, longest part-header line. */
export const MULTIPART_BUF_SIZE = 4096;

const CHARSET_SPECIAL = "!#$%&+-^_`{}~";
const ATTR_CHAR_SPECIAL = "!#$&+-.^_`|~";

const enum PartType {
  Unset = 0,
  FormData = 1,
  File = 2,
}

interface Part {
  name: string;
  filename: string;
  type: PartType;
  headers: Map<string, { name: string; value: string }>;
  lastHeaderName: string;
  lastHeaderLine: string;
  headerLines: string[];
  valueParts: string[];
  /** v3's m_offset and m_length, for the debug log: where the part's data starts and how long it is. */
  offset: number;
  length: number;
  value: string;
  fileSize: number;
  content: string[];
  contentLength: number;
  contentTruncated: boolean;
  keepContent: boolean;
  contentCounted: boolean;
  tmpPath?: string;
  tmpFd?: number;
}

/**
 * Streaming form: `write` the body in chunks (latin1 strings), then `finish`. Chunks behave exactly as one
 * ModSecurity `process()` call over their concatenation.
 */
export class MultipartParser {
  #boundary = '';
  #error = '';
  #initOk = false;
  #stopped = false;
  #seenData = false;
  #isComplete = false;
  #finished: MultipartResult | undefined;

  #seg = '';
  #bufContainsLine = true;
  #crlfState = 0;
  #crlfStateBufEnd = 0;
  #boundaryCount = 0;
  #part: Part | undefined;
  #partState = 0;
  #partDataRead = 0;
  #reserve = 0;
  #reserveText = '';
  #nfiles = 0;
  #filesWithContent = 0;
  #noFilesLength = 0;
  #parts: Part[] = [];
  #partHeaders: Arg[] = [];
  #names: string[] = [];
  #filenames: string[] = [];
  #tmpFiles: string[] = [];
  /** v3's m_buf_offset: where the current buffer starts in the body, as v3 counts it (for the debug log). */
  #bufOffset = 0;

  #fError = 0;
  #fDataBefore = 0;
  #fDataAfter = 0;
  #fHeaderFolding = 0;
  #fBoundaryQuoted = 0;
  #fLfLine = 0;
  #fCrlfLine = 0;
  #fUnmatchedBoundary = 0;
  #fBoundaryWhitespace = 0;
  #fMissingSemicolon = 0;
  #fInvalidQuoting = 0;
  #fInvalidPart = 0;
  #fInvalidHeaderFolding = 0;
  #fFileLimitExceeded = 0;

  readonly #options: MultipartOptions;
  readonly #argumentsLimit: number;
  readonly #uploadFileLimit: number;
  readonly #fileContentLimit: number;
  readonly #debugLevel: number;

  constructor(contentType: string, options: MultipartOptions = {}) {
    this.#options = options;
    this.#debugLevel = options.debug?.level ?? 0;
    this.#argumentsLimit = options.argumentsLimit ?? Infinity;
    this.#uploadFileLimit = options.uploadFileLimit ?? 100;
    this.#fileContentLimit = options.fileContentLimit ?? 1024 * 1024;
    this.#initOk = this.#init(cString(contentType));
  }

  write(chunk: string): void {
    if (!this.#initOk || this.#stopped || this.#finished !== undefined || chunk.length === 0) return;
    this.#seenData = true;
    if (this.#isComplete) {
      // Data after the final boundary, split from it only by our chunking: one v3 process() call sets DATA_AFTER.
      this.#fDataAfter = 1;
      this.#stopped = true;
      return;
    }
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      const left = MULTIPART_BUF_SIZE - this.#seg.length;
      let c: number;
      let processBuffer = false;
      if (left === 1 && chunk.charCodeAt(i) === 0x0d) {
        c = 0x0d;
        processBuffer = true;
      } else {
        const nl = chunk.indexOf('\n', i);
        const fillAt = i + left - 1;
        let take: number;
        if (nl !== -1 && nl < fillAt) {
          take = nl - i + 1;
        } else if (fillAt < n) {
          if (chunk.charCodeAt(fillAt) === 0x0d && left > 1) {
            this.#consume(chunk, i, fillAt);
            i = fillAt;
            continue;
          }
          take = left;
        } else {
          this.#consume(chunk, i, n);
          i = n;
          break;
        }
        this.#consume(chunk, i, i + take - 1);
        c = chunk.charCodeAt(i + take - 1);
        this.#seg += chunk.charAt(i + take - 1);
        i += take;
      }
      if (!this.#processSegment(processBuffer)) {
        this.#stopped = true;
        return;
      }
      this.#seg = '';
      this.#bufContainsLine = c === 0x0a;
      if (c === 0x0a) this.#crlfState = this.#crlfState === 1 ? 3 : 2;
      this.#crlfStateBufEnd = this.#crlfState;
      if (c === 0x0d) this.#crlfState = 1;
      else if (c !== 0x0a) this.#crlfState = 0;
      if (this.#isComplete && i < n) {
        this.#fDataAfter = 1;
        this.#stopped = true;
        return;
      }
    }
  }

  finish(): MultipartResult {
    if (this.#finished === undefined) this.#finished = this.#complete();
    return this.#finished;
  }

  /** Appends bytes that do not end the current line, tracking the CR/LF state as v3 does byte by byte. */
  #consume(chunk: string, from: number, to: number): void {
    if (to <= from) return;
    this.#seg += chunk.slice(from, to);
    this.#crlfState = chunk.charCodeAt(to - 1) === 0x0d ? 1 : 0;
  }

  #init(header: string): boolean {
    if (header.length === 0) return this.#initError('Multipart: Content-Type header not available.');
    if (header.length > 1024) return this.#initError('Multipart: Invalid boundary in C-T (length).');
    if (header.slice(0, 19).toLowerCase() !== 'multipart/form-data') {
      return this.#initError('Multipart: Invalid MIME type.');
    }
    if (countBoundaryParams(header) > 1) return this.#initError('Multipart: Multiple boundary parameters in C-T.');
    const at = header.indexOf('boundary');
    if (at === -1) {
      if (countBoundaryParams(header) > 0) {
        return this.#initError('Multipart: Invalid boundary in C-T (case sensitivity).');
      }
      return this.#initError('Multipart: Boundary not found in C-T.');
    }
    let seenSemicolon = false;
    for (let p = 19; p < at; p++) {
      const ch = header.charCodeAt(p);
      if (isSpace(ch)) continue;
      if (!seenSemicolon && ch === 0x3b) seenSemicolon = true;
      else return this.#initError('Multipart: Invalid boundary in C-T (malformed).');
    }
    if (!seenSemicolon) this.#fMissingSemicolon = 1;
    const eq = header.indexOf('=', at + 8);
    if (eq === -1) return this.#initError('Multipart: Invalid boundary in C-T (malformed).');
    for (let p = at + 8; p < eq; p++) {
      if (isSpace(header.charCodeAt(p))) this.#fBoundaryWhitespace = 1;
      else return this.#initError('Multipart: Invalid boundary in C-T (parameter name).');
    }
    const b = header.slice(eq + 1);
    if (b.length > 0 && isSpace(b.charCodeAt(0))) this.#fBoundaryWhitespace = 1;
    let boundary: string;
    if (b.length >= 2 && b.charAt(0) === '"' && b.charAt(b.length - 1) === '"') {
      boundary = b.slice(1, -1);
      if (boundary.length === 0) return false;
      this.#fBoundaryQuoted = 1;
    } else {
      if (b.charAt(0) === '"' || (b.length >= 2 && b.charAt(b.length - 1) === '"')) {
        return this.#initError('Multipart: Invalid boundary in C-T (quote).');
      }
      boundary = b;
      if (boundary.length === 0) return false;
    }
    if (countBoundaryParams(boundary) !== 0) return this.#initError('Multipart: Invalid boundary in C-T (content).');
    if (!boundaryCharactersValid(boundary)) {
      // v3 tolerates a `; charset=...` after an unquoted boundary.
      const semicolon = boundary.indexOf(';');
      if (semicolon !== -1) {
        this.#log(3, 'Multipart: Invalid parameter after boundary in C-T (tolerated).');
        boundary = boundary.slice(0, semicolon);
      }
    }
    if (!boundaryCharactersValid(boundary)) {
      return this.#initError('Multipart: Invalid boundary in C-T (characters).');
    }
    if (this.#debugLevel >= 9) this.#log(9, `Multipart: Boundary${this.#fBoundaryQuoted ? ' (quoted)' : ''}: ${boundary}`);
    if (boundary.length === 0) return this.#initError('Multipart: Invalid boundary in C-T (empty).');
    this.#boundary = boundary;
    return true;
  }

  #initError(message: string): false {
    this.#fError = 1;
    this.#error = message;
    this.#log(4, message);
    return false;
  }

  #fail(message: string): false {
    this.#fError = 1;
    this.#error = message;
    this.#log(4, message);
    return false;
  }

  /** A part-header error: kept as REQBODY_ERROR_MSG, written at v3's level 1. */
  #headerError(message: string): void {
    this.#error = message;
    this.#log(1, message);
  }

  /** Writes a debug-log message (callers on hot paths test #debugLevel before building it). */
  #log(level: number, message: string): void {
    if (level <= this.#debugLevel) this.#options.debug!.log(level, message);
  }

  /** One v3 buffer: returns false when v3's process() would return (parse stopped). */
  #processSegment(processBuffer: boolean): boolean {
    const seg = this.#seg;
    const boundary = this.#boundary;
    const blen = boundary.length;
    let processedAsBoundary = false;
    const cs = cString(seg);
    if (this.#bufContainsLine && cs.length > 3 && cs.charCodeAt(0) === 0x2d && cs.charCodeAt(1) === 0x2d) {
      if (cs.length >= blen + 2 && cs.startsWith(boundary, 2)) {
        if (this.#crlfStateBufEnd === 2) this.#fLfLine = 1;
        if (this.#partDataRead === 0 && this.#boundaryCount > 0) {
          // A boundary where part data should begin (v3 since 3.0.13).
          this.#fInvalidPart = 1;
          this.#log(3, 'Multipart: Invalid part (data contains boundary)');
        } else {
          if (this.#boundaryCount > 0) this.#fUnmatchedBoundary = 2;
          let end = 2 + blen;
          let isFinal = false;
          if (charAt0(seg, end) === 0x2d && charAt0(seg, end + 1) === 0x2d) {
            isFinal = true;
            end += 2;
            if (this.#isComplete) return this.#fail('Multipart: Invalid boundary (final duplicate).');
          }
          const e0 = charAt0(seg, end);
          if ((e0 === 0x0d && charAt0(seg, end + 1) === 0x0a && charAt0(seg, end + 2) === 0) ||
            (e0 === 0x0a && charAt0(seg, end + 1) === 0)) {
            if (e0 === 0x0a) this.#fLfLine = 1;
            else this.#fCrlfLine = 1;
            this.#processBoundary(isFinal);
            if (isFinal) this.#isComplete = true;
            processedAsBoundary = true;
            this.#boundaryCount++;
          } else {
            return this.#fail('Multipart: Invalid boundary: ' + cs);
          }
        }
      } else {
        if (this.#fBoundaryQuoted && cs.length >= blen + 3 && cs.charCodeAt(2) === 0x22 && cs.startsWith(boundary, 3)) {
          return this.#fail('Multipart: Invalid boundary (quotes).');
        }
        let p = 2;
        while (p < cs.length && isSpace(cs.charCodeAt(p))) p++;
        if (p !== 2 && cs.startsWith(boundary, p)) return this.#fail('Multipart: Invalid boundary (whitespace).');
        this.#fUnmatchedBoundary = 1;
      }
    } else if (this.#bufContainsLine) {
      if (blen === 0 ? hasDoubleDash(seg) : seg.includes('--' + boundary)) this.#fUnmatchedBoundary = 1;
    }

    if (!processedAsBoundary) {
      if (this.#part === undefined) {
        this.#fDataBefore = 1;
        this.#log(4, 'Multipart: Ignoring data before first boundary.');
      } else if (this.#partState === 0) {
        if (seg.length === MULTIPART_BUF_SIZE || processBuffer) {
          return this.#fail(`Multipart: Part header line over ${MULTIPART_BUF_SIZE} bytes long`);
        }
        this.#processPartHeader(this.#part, seg);
      } else if (!this.#processPartData(this.#part, seg)) {
        this.#fError = 1;
        return false;
      }
    }
    this.#bufOffset += seg.length;
    return true;
  }

  #processPartHeader(part: Part, seg: string): void {
    if (seg.indexOf('\0') !== -1) {
      this.#headerError('Multipart: Nul byte in part headers.');
      return;
    }
    this.#noFilesLength += seg.length;
    const len = seg.length;
    let lenWithoutTermination = len - 1;
    if (len > 1) {
      if (seg.charCodeAt(len - 2) === 0x0d) {
        this.#fCrlfLine = 1;
        lenWithoutTermination--;
      } else {
        this.#fLfLine = 1;
      }
    } else {
      this.#fLfLine = 1;
    }

    if (seg === '\r\n' || seg === '\n') {
      this.#flushHeaderLine(part);
      const cd = part.headers.get('content-disposition');
      if (cd === undefined) {
        this.#headerError('Multipart: Part missing Content-Disposition header.');
        return;
      }
      const rc = this.#parseContentDisposition(part, cd.value);
      if (rc < 0) {
        this.#headerError(`Multipart: Invalid Content-Disposition header (${rc}): ${cd.value}`);
        return;
      }
      if (part.name.length === 0) {
        this.#headerError('Multipart: Content-Disposition header missing name field.');
        return;
      }
      if (part.filename.length > 0) {
        if (cd.value.indexOf('filename=') === -1) {
          this.#headerError('Multipart: Invalid Content-Disposition header (filename).');
          return;
        }
        part.type = PartType.File;
      } else {
        part.type = PartType.FormData;
      }
      this.#partState = 1;
      this.#partDataRead = 0;
      part.lastHeaderName = '';
      return;
    }

    const first = seg.charCodeAt(0);
    if (isSpace(first)) {
      this.#fHeaderFolding = 1;
      if (first !== 0x09 && first !== 0x20) this.#fInvalidHeaderFolding = 1;
      if (part.lastHeaderName.length === 0) {
        this.#headerError('Multipart: Invalid part header (folding error).');
        return;
      }
      let d = 0;
      while (d < seg.length && isSpace(seg.charCodeAt(d))) {
        const ch = seg.charCodeAt(d);
        if (ch !== 0x09 && ch !== 0x20) this.#fInvalidHeaderFolding = 1;
        d++;
      }
      const entry = part.headers.get(part.lastHeaderName.toLowerCase());
      if (entry === undefined) return;
      const newValue = entry.value + ' ' + chomp(seg.slice(d));
      entry.value = newValue;
      if (newValue.length > MULTIPART_BUF_SIZE) {
        this.#headerError('Multipart: Part header too long.');
        return;
      }
      part.lastHeaderLine = part.lastHeaderName + ': ' + newValue;
      return;
    }

    this.#flushHeaderLine(part);
    const colon = seg.indexOf(':');
    if (colon === -1) {
      this.#headerError('Multipart: Invalid part header (colon missing): ' + seg);
      return;
    }
    if (colon === 0) {
      this.#headerError('Multipart: Invalid part header (header name missing).');
      return;
    }
    const name = seg.slice(0, colon);
    for (let k = 0; k < name.length; k++) {
      const ch = name.charCodeAt(k);
      if (ch < 33 || ch > 126) {
        this.#headerError('Multipart: Invalid part header (contains invalid character).');
        return;
      }
    }
    let v = colon + 1;
    while (v < seg.length && (seg.charCodeAt(v) === 0x09 || seg.charCodeAt(v) === 0x20)) v++;
    const value = chomp(seg.slice(v));
    const key = name.toLowerCase();
    if (part.headers.has(key)) {
      // v3 keeps the first, without an error.
      this.#log(1, `Multipart: Duplicate part header: ${name}.`);
      return;
    }
    if (this.#debugLevel >= 9) this.#log(9, `Multipart: Added part header "${name}" "${value}".`);
    part.lastHeaderName = name;
    part.headers.set(key, { name, value });
    part.lastHeaderLine = lenWithoutTermination > 0 ? seg.slice(0, lenWithoutTermination) : '';
  }

  #flushHeaderLine(part: Part): void {
    if (part.lastHeaderLine.length > 0) {
      part.headerLines.push(part.lastHeaderLine);
      part.lastHeaderLine = '';
    }
  }

  /** ModSecurity's parse_content_disposition, with its negative return codes (they appear in the error message). */
  #parseContentDisposition(part: Part, cdv: string): number {
    const at = (k: number): number => charAt0(cdv, k);
    if (!cdv.startsWith('form-data')) return -1;
    let p = 9;
    while (at(p) === 0x09 || at(p) === 0x20) p++;
    if (at(p) === 0) return 1;
    if (at(p) !== 0x3b) return -2;
    p++;
    let filenameStar = '';
    while (at(p) !== 0) {
      while (at(p) === 0x09 || at(p) === 0x20) p++;
      if (at(p) === 0) return -3;
      let start = p;
      while (at(p) !== 0 && at(p) !== 0x3d && at(p) !== 0x09 && at(p) !== 0x20) p++;
      if (at(p) === 0) return -4;
      const name = cdv.slice(start, p);
      while (at(p) === 0x09 || at(p) === 0x20) p++;
      if (at(p) === 0) return -5;
      if (at(p) !== 0x3d) return -13;
      p++;
      while (at(p) === 0x09 || at(p) === 0x20) p++;
      if (at(p) === 0) return -6;
      let quote = 0;
      let value = '';
      if (name === 'filename*') {
        const startOfCharset = p;
        while (at(p) !== 0 && (isAlnum(at(p)) || CHARSET_SPECIAL.includes(cdv.charAt(p)))) p++;
        if (at(p) !== 0x27 || p === startOfCharset) return -16;
        p++;
        while (at(p) !== 0 && at(p) !== 0x27) p++;
        if (at(p) !== 0x27) return -17;
        p++;
        const startOfFilename = p;
        while (at(p) !== 0 && at(p) !== 0x3b) {
          if (at(p) === 0x25) {
            if (at(p + 1) === 0 || !isXDigit(at(p + 1)) || !isXDigit(at(p + 2))) return -18;
            p += 3;
          } else if (isAlnum(at(p)) || ATTR_CHAR_SPECIAL.includes(cdv.charAt(p))) {
            p++;
          } else {
            return -19;
          }
        }
        value = cdv.slice(startOfFilename, p);
      } else if (at(p) === 0x22 || at(p) === 0x27) {
        quote = at(p);
        if (quote === 0x27) this.#fInvalidQuoting = 1;
        p++;
        if (at(p) === 0) return -7;
        while (at(p) !== 0) {
          if (at(p) === 0x5c) {
            if (at(p + 1) === 0) return -8;
            if (at(p + 1) === quote || at(p + 1) === 0x5c) p++;
          } else if (at(p) === quote) {
            break;
          }
          value += cdv.charAt(p);
          p++;
        }
        p++;
      } else {
        start = p;
        while (at(p) !== 0 && isTokenChar(at(p))) p++;
        value = cdv.slice(start, p);
      }

      if (name === 'name') {
        this.#validateQuotes(value, quote);
        this.#names.push(value);
        if (part.name.length > 0) {
          this.#log(4, `Multipart: Warning: Duplicate Content-Disposition name: ${value}. Previously: ${part.name}`);
          return -14;
        }
        part.name = value;
        if (this.#debugLevel >= 9) this.#log(9, `Multipart: Content-Disposition name: ${value}.`);
      } else if (name === 'filename') {
        this.#validateQuotes(value, quote);
        this.#filenames.push(value);
        if (part.filename.length > 0) {
          this.#log(4, `Multipart: Warning: Duplicate Content-Disposition filename: ${value}.`);
          return -15;
        }
        part.filename = value;
        if (this.#debugLevel >= 9) this.#log(9, `Multipart: Content-Disposition filename: ${value}.`);
      } else if (name === 'filename*') {
        if (filenameStar.length > 0) {
          this.#log(4, `Multipart: Warning: Duplicate Content-Disposition filename*: ${value}.`);
          return -20;
        }
        filenameStar = value;
        if (this.#debugLevel >= 9) this.#log(9, `Multipart: Content-Disposition filename*: ${value}.`);
      } else {
        return -11;
      }

      if (at(p) !== 0) {
        while (at(p) === 0x09 || at(p) === 0x20) p++;
        if (at(p) !== 0) {
          if (at(p) !== 0x3b) {
            const prev = at(p - 1);
            if (prev === 0x27 || prev === 0x22) {
              if (this.#debugLevel >= 9) {
                const rest = cString(cdv.slice(p - 1));
                this.#log(9, `Multipart: Invalid quoting detected: ${rest} length ${rest.length} bytes`);
              }
              this.#fInvalidQuoting = 1;
            }
            return -12;
          }
          p++;
        }
      }
    }
    if (filenameStar.length > 0 && part.filename.length === 0) {
      this.#log(4, `Multipart: Warning: no filename= but filename*:${filenameStar}.`);
      return -21;
    }
    return 1;
  }

  #validateQuotes(value: string, quote: number): void {
    if (quote === 0x22) return;
    if (value.indexOf("'") !== -1) this.#fInvalidQuoting = 1;
  }

  #processPartData(part: Part, seg: string): boolean {
    this.#partDataRead = 1;
    let data = seg;
    let reserved = 0;
    if (seg.endsWith('\r\n')) {
      reserved = 2;
      data = seg.slice(0, -2);
    } else if (seg.endsWith('\n')) {
      reserved = 1;
      data = seg.slice(0, -1);
    }
    if (part.type === PartType.File) {
      let extract = this.#options.upload !== undefined;
      if (extract && this.#uploadFileLimit > 0 && this.#nfiles >= this.#uploadFileLimit) {
        if (this.#fFileLimitExceeded === 0) {
          this.#headerError(`Multipart: Upload file limit exceeded ${this.#uploadFileLimit}. ` +
            'Use SecUploadFileLimit to change the limit.');
          this.#fFileLimitExceeded = 1;
        }
        extract = false;
      }
      if (extract && part.tmpFd === undefined) {
        const opened = this.#openTmpFile();
        part.tmpPath = opened.path;
        if (opened.fd < 0) {
          this.#headerError('Multipart: Failed to create file: ' + opened.path);
          return false;
        }
        part.tmpFd = opened.fd;
        this.#tmpFiles.push(opened.path);
        this.#nfiles++;
      }
      const chunk = this.#reserveText + data;
      if (extract && part.tmpFd !== undefined) {
        try {
          if (chunk.length > 0) writeSync(part.tmpFd, Buffer.from(chunk, 'latin1'));
        } catch {
          this.#headerError(`Multipart: writing to "${part.tmpPath ?? ''}" failed`);
          return false;
        }
      }
      part.fileSize += chunk.length;
      this.#keepContent(part, chunk);
      if (part.length === 0) part.offset = this.#bufOffset;
      part.length += chunk.length;
    } else if (part.type === PartType.FormData) {
      this.#noFilesLength += data.length + this.#reserve;
      // v3 drops the held-back line break here (see the module comment).
      part.valueParts.push(data);
      if (part.length === 0) part.offset = this.#bufOffset;
      part.length += data.length;
      if (this.#debugLevel >= 9) this.#log(9, `Multipart: Added data to variable: ${data}`);
    } else {
      this.#headerError('Multipart: unknown part type: 0');
      return true;
    }
    // v3's m_buf_offset moves by the segment less the line break it held back before (its own arithmetic).
    if (reserved > 0) {
      this.#reserve = reserved;
      this.#reserveText = reserved === 2 ? '\r\n' : '\n';
    } else {
      this.#bufOffset -= this.#reserve;
      this.#reserve = 0;
      this.#reserveText = '';
    }
    return true;
  }

  #keepContent(part: Part, chunk: string): void {
    if (chunk.length === 0) return;
    if (!part.contentCounted) {
      part.contentCounted = true;
      part.keepContent = this.#uploadFileLimit <= 0 || this.#filesWithContent < this.#uploadFileLimit;
      if (part.keepContent) this.#filesWithContent++;
    }
    if (!part.keepContent) {
      part.contentTruncated = true;
      return;
    }
    const room = this.#fileContentLimit - part.contentLength;
    if (room <= 0) {
      part.contentTruncated = true;
      return;
    }
    const kept = chunk.length > room ? chunk.slice(0, room) : chunk;
    if (kept.length < chunk.length) part.contentTruncated = true;
    part.content.push(kept);
    part.contentLength += kept.length;
  }

  #openTmpFile(): { path: string; fd: number } {
    const upload = this.#options.upload;
    if (upload === undefined) return { path: '', fd: -1 };
    const now = upload.now !== undefined ? upload.now() : new Date();
    const stamp = `${now.getFullYear()}${pad2(now.getMonth() + 1)}${pad2(now.getDate())}-` +
      `${pad2(now.getHours())}${pad2(now.getMinutes())}${pad2(now.getSeconds())}`;
    for (let attempt = 0; attempt < 8; attempt++) {
      const suffix = randomBytes(6).toString('base64').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 6);
      const path = join(upload.dir, `${stamp}-${upload.transactionId ?? ''}-file-${suffix}`);
      try {
        return { path, fd: openSync(path, 'wx', upload.fileMode ?? 0o600) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return { path, fd: -1 };
      }
    }
    return { path: join(upload.dir, `${stamp}-${upload.transactionId ?? ''}-file-XXXXXX`), fd: -1 };
  }

  #processBoundary(last: boolean): void {
    const part = this.#part;
    if (part !== undefined) {
      for (const line of part.headerLines) this.#partHeaders.push({ name: part.name, value: line });
      if (part.tmpFd !== undefined) {
        try {
          closeSync(part.tmpFd);
        } catch {
          // Closing a file we opened can only fail if it is already closed; nothing to report.
        }
        part.tmpFd = undefined;
      }
      if (part.type !== PartType.File) part.value = part.valueParts.join('');
      if (part.name.length > 0) {
        this.#parts.push(part);
        if (this.#debugLevel >= 9) {
          this.#log(9, part.type === PartType.File
            ? `Multipart: Added file part to the list: name "${part.name}" file name "${part.filename}" (offset ${part.offset}, length ${part.length})`
            : `Multipart: Added part to the list: name "${part.name}" (offset ${part.offset}, length ${part.length})`);
        }
      } else {
        this.#fInvalidPart = 1;
        this.#log(3, `Multipart: Skipping invalid part (part name missing): (offset ${part.offset}, length ${part.length})`);
      }
      this.#part = undefined;
    }
    if (!last) {
      this.#part = newPart();
      this.#partState = 0;
      this.#partDataRead = 0;
      this.#reserve = 0;
      this.#reserveText = '';
    }
  }

  #complete(): MultipartResult {
    if (this.#debugLevel >= 4) this.#logWarnings();
    const snapshot = {
      unmatchedBoundary: this.#fUnmatchedBoundary,
      dataBefore: this.#fDataBefore,
      dataAfter: this.#fDataAfter,
      boundaryQuoted: this.#fBoundaryQuoted,
      boundaryWhitespace: this.#fBoundaryWhitespace,
      headerFolding: this.#fHeaderFolding,
      lfLine: this.#fLfLine,
      crlfLfLines: this.#fCrlfLine && this.#fLfLine ? 1 : 0,
      missingSemicolon: this.#fMissingSemicolon,
      invalidQuoting: this.#fInvalidQuoting,
      invalidPart: this.#fInvalidPart,
      invalidHeaderFolding: this.#fInvalidHeaderFolding,
      fileLimitExceeded: this.#fFileLimitExceeded,
      strictError: this.#fError || this.#fBoundaryQuoted || this.#fBoundaryWhitespace || this.#fDataBefore ||
        this.#fDataAfter || this.#fHeaderFolding || this.#fLfLine || this.#fMissingSemicolon ||
        this.#fInvalidQuoting || this.#fInvalidPart || this.#fInvalidHeaderFolding || this.#fFileLimitExceeded
        ? 1 : 0,
    };
    const flags: { -readonly [K in keyof MultipartFlags]: number } = { ...snapshot };
    const base = {
      partHeaders: this.#partHeaders,
      names: this.#names,
      filenames: this.#filenames,
      noFilesLength: this.#noFilesLength,
      tmpFiles: this.#tmpFiles,
    };
    const failed = (message: string): MultipartResult => {
      this.#closeOpenFile();
      return {
        args: [], files: [], filesCombinedSize: 0, ...base, flags,
        error: 'Multipart parsing error: ' + message, argumentsLimitExceeded: false,
      };
    };

    if (this.#seenData && !this.#isComplete) {
      if (this.#boundaryCount > 0) {
        if (this.#bufContainsLine && this.#seg === '--' + this.#boundary + '--') {
          // The final boundary without a line break at the very end of the body.
          if (this.#crlfStateBufEnd === 2 && this.#fLfLine !== 1) {
            this.#fLfLine = 1;
            flags.lfLine = 1;
            flags.crlfLfLines = this.#fCrlfLine ? 1 : 0;
            flags.strictError = 1;
            this.#log(4, this.#fCrlfLine ? 'Multipart: Warning: mixed line endings used (CRLF/LF).' : 'Multipart: Warning: incorrect line endings used (LF).');
          }
          if (this.#partDataRead === 0 && this.#fInvalidPart !== 1) {
            this.#log(3, 'Multipart: Invalid part (data contains final boundary)');
            this.#log(4, 'Multipart: Warning: invalid part parsing.');
            this.#fInvalidPart = 1;
            flags.invalidPart = 1;
            flags.strictError = 1;
          }
          this.#processBoundary(true);
          this.#isComplete = true;
        }
        if (!this.#isComplete) {
          this.#log(1, 'Multipart: Final boundary missing.');
          return failed('Multipart: Final boundary missing.');
        }
      } else {
        this.#log(1, 'Multipart: No boundaries found in payload.');
        return failed('Multipart: No boundaries found in payload.');
      }
    }
    this.#closeOpenFile();

    const args: Arg[] = [];
    const files: MultipartFile[] = [];
    let combined = 0;
    let argumentsLimitExceeded = false;
    for (const part of this.#parts) {
      if (part.type === PartType.File) {
        combined += part.fileSize;
        files.push({
          name: part.name,
          filename: part.filename,
          size: part.fileSize,
          content: part.content.join(''),
          contentTruncated: part.contentTruncated,
          ...(part.tmpPath !== undefined ? { tmpPath: part.tmpPath } : {}),
        });
      } else if (args.length < this.#argumentsLimit) {
        if (this.#debugLevel >= 4) this.#log(4, `Adding request argument (BODY): name "${part.name}", value "${part.value}"`);
        args.push({ name: part.name, value: part.value });
      } else {
        argumentsLimitExceeded = true;
      }
    }
    return {
      args, files, filesCombinedSize: combined, ...base, flags,
      ...(this.#error.length > 0 ? { error: 'Multipart parsing error: ' + this.#error } : {}),
      argumentsLimitExceeded,
    };
  }

  /** v3's warnings for the flags set, in its order (multipart_complete), at level 4. */
  #logWarnings(): void {
    const warn = (on: number, what: string): void => {
      if (on) this.#log(4, `Multipart: Warning: ${what}`);
    };
    warn(this.#fDataBefore, 'seen data before first boundary.');
    warn(this.#fDataAfter, 'seen data after last boundary.');
    warn(this.#fBoundaryQuoted, 'boundary was quoted.');
    warn(this.#fBoundaryWhitespace, 'boundary whitespace in C-T header.');
    warn(this.#fHeaderFolding, 'header folding used.');
    if (this.#fCrlfLine && this.#fLfLine) warn(1, 'mixed line endings used (CRLF/LF).');
    else warn(this.#fLfLine, 'incorrect line endings used (LF).');
    warn(this.#fMissingSemicolon, 'missing semicolon in C-T header.');
    warn(this.#fInvalidQuoting, 'invalid quoting used.');
    warn(this.#fInvalidPart, 'invalid part parsing.');
    warn(this.#fInvalidHeaderFolding, 'invalid header folding used.');
  }

  #closeOpenFile(): void {
    const part = this.#part;
    if (part?.tmpFd !== undefined) {
      try {
        closeSync(part.tmpFd);
      } catch {
        // Already closed.
      }
      part.tmpFd = undefined;
    }
  }
}

/** Parses a whole multipart body (a latin1 string, or its chunks in order). */
export function parseMultipart(
  contentType: string,
  body: string | readonly string[],
  options: MultipartOptions = {},
): MultipartResult {
  const parser = new MultipartParser(contentType, options);
  if (typeof body === 'string') parser.write(body);
  else for (const chunk of body) parser.write(chunk);
  return parser.finish();
}

function newPart(): Part {
  return {
    name: '', filename: '', type: PartType.Unset, headers: new Map(), lastHeaderName: '', lastHeaderLine: '',
    headerLines: [], valueParts: [], value: '', fileSize: 0, content: [], contentLength: 0, contentTruncated: false,
    keepContent: false, contentCounted: false, offset: 0, length: 0,
  };
}

/** How many times `boundary` (any case) appears with a `=` somewhere after it: v3's count_boundary_params. */
function countBoundaryParams(value: string): number {
  const lower = value.toLowerCase();
  let count = 0;
  let from = 0;
  for (;;) {
    const at = lower.indexOf('boundary', from);
    if (at === -1) return count;
    from = at + 8;
    if (lower.indexOf('=', from) !== -1) count++;
  }
}

/** RFC 2046 bchars, as v3 checks them (space allowed except last). */
function boundaryCharactersValid(boundary: string): boolean {
  for (let i = 0; i < boundary.length; i++) {
    const c = boundary.charCodeAt(i);
    const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
      (c === 0x20 && i + 1 < boundary.length) || "'()+_,-./:=?".includes(String.fromCharCode(c));
    if (!ok) return false;
  }
  return true;
}

function isTokenChar(c: number): boolean {
  if (c <= 32 || c >= 127) return false;
  return !'()<>@,;:\\"/[]?='.includes(String.fromCharCode(c));
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isXDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** The char code at `i`, or 0 past the end: reads C strings the way v3 does. */
function charAt0(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : 0;
}

/** The string up to its first NUL, as C's strlen/strncmp see it. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul === -1 ? s : s.slice(0, nul);
}

/** v3's chomp: trailing CR/LF removed, unless the string is only CR/LF. */
function chomp(s: string): string {
  let end = s.length;
  while (end > 0 && (s.charCodeAt(end - 1) === 0x0a || s.charCodeAt(end - 1) === 0x0d)) end--;
  return end === 0 ? s : s.slice(0, end);
}

function hasDoubleDash(s: string): boolean {
  const at = s.indexOf('--');
  return at !== -1 && at + 1 < s.length;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}
