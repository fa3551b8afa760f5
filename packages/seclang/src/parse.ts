import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import type { ConfigAst, Diagnostic, Directive, IncludeNode, ParseResult, SourceLocation, VariableRef } from './ast';
import { linkChains } from './chains';
import { buildDirectives } from './directives';
import { DiagnosticSink } from './diagnostics';
import { expandGlob, hasGlob, type IncludeFs } from './glob';
import { secLangLexer } from './lexer';
import { parseLines } from './line-parser';
import { DEFAULT_MAX_CONFIG_FILE_BYTES, readConfigFile } from './read-config-file';
import { DetachedSpan, SourceText } from './source-text';
import { scanVariableList } from './variables';

export interface ParseOptions {
  /** Name used in locations for `parse(text)`; default `<input>`. For `parseFile`, overrides the entry's name. */
  file?: string;
  /** Directory that relative Includes of `parse(text)` resolve against; default: the file's directory, else the cwd. */
  baseDir?: string;
  /** Follow Include directives; default false for `parse`, true for `parseFile`/`parseFiles`. */
  followIncludes?: boolean;
  /**
   * Reads a file (absolute path); default `readConfigFile(p, maxFileBytes)`: latin1 (SecLang is bytes), only
   * regular files of at most `maxFileBytes`.
   */
  readFile?: (absPath: string) => string;
  /** Largest file the default reader accepts; default DEFAULT_MAX_CONFIG_FILE_BYTES (128 MiB). */
  maxFileBytes?: number;
  /** Lists a directory (for Include globs); default `fs.readdirSync`. */
  readDir?: (absPath: string) => string[];
  /** Whether a path is a directory (for Include globs); default via `fs.statSync`. */
  isDirectory?: (absPath: string) => boolean;
}

/** Include nesting deeper than this is refused (it is almost certainly generated or a disguised cycle). */
const MAX_INCLUDE_DEPTH = 64;
/** Files read per parse: files that include each other several times over grow exponentially without a cycle. */
const MAX_FILES = 10_000;

function makeFs(options: ParseOptions): IncludeFs {
  return {
    readFile: options.readFile ?? ((p) => readConfigFile(p, options.maxFileBytes ?? DEFAULT_MAX_CONFIG_FILE_BYTES)),
    readDir: options.readDir ?? ((p) => nodeFs.readdirSync(p)),
    isDirectory:
      options.isDirectory ??
      ((p) => {
        try {
          return nodeFs.statSync(p).isDirectory();
        } catch {
          return false;
        }
      }),
  };
}

/** State of one parse call: diagnostics, files read, and the chain of files being included (for cycles). */
class Session {
  readonly sink = new DiagnosticSink();
  readonly files: string[] = [];
  private readonly stack: string[] = [];
  /** The directory of the first configuration parsed: where a relative Include is looked for last. */
  private rootDir: string | undefined;

  constructor(
    private readonly fs: IncludeFs,
    private readonly follow: boolean,
  ) {}

  /**
   * Parses one text; with includes followed, the included directives come right after their Include. Text read
   * from a file (`read` set) that turns out not to be SecLang is dropped with one `not-seclang` error at
   * `read.includedAt` (or the file's start): error messages quote the text they are about, and a file named by
   * mistake may be /etc/shadow or a private key.
   */
  parseText(text: string, file: string, dir: string, absPath?: string, read?: { includedAt?: SourceLocation }): Directive[] {
    this.rootDir ??= dir;
    const mark = this.sink.mark();
    const source = new SourceText(file, text);
    const lexed = secLangLexer.tokenize(text);
    for (const e of lexed.errors) {
      this.sink.error('syntax', e.message, source.loc(e.offset, e.offset + Math.max(0, e.length - 1)));
    }
    for (const c of lexed.groups['comments'] ?? []) this.checkComment(c.image, c.startOffset, source);
    const parsed = parseLines(lexed.tokens);
    for (const e of parsed.errors) {
      const offset = Number.isFinite(e.token.startOffset) ? e.token.startOffset : text.length;
      this.sink.error('syntax', e.message, source.loc(offset, offset));
    }
    const own = buildDirectives(parsed.directives, source, this.sink);
    if (read !== undefined) {
      const problem = notSecLang(own, this.sink.since(mark));
      if (problem !== undefined) {
        this.sink.rewind(mark);
        const what = read.includedAt !== undefined ? `Include: ${file}` : file;
        this.sink.error('not-seclang', `${what} is not a SecLang file (${problem}); its content is not shown`, read.includedAt ?? startOf(file));
        return [];
      }
    }
    if (!this.follow) return own;
    if (absPath !== undefined) this.stack.push(absPath);
    const out: Directive[] = [];
    for (const d of own) {
      out.push(d);
      if (d.kind === 'Include') append(out, this.include(d, dir));
    }
    if (absPath !== undefined) this.stack.pop();
    return out;
  }

  /**
   * A comment that ends with `\` swallows the next line, as in Apache and ModSecurity; when that line is not a
   * comment itself (a commented-out multi-line rule has `#` on every line), it is probably a directive lost
   * by mistake, so say so.
   */
  private checkComment(image: string, start: number, source: SourceText): void {
    let from = 0;
    for (;;) {
      const nl = image.indexOf('\n', from);
      if (nl === -1) return;
      let k = nl + 1;
      while (k < image.length && (image[k] === ' ' || image[k] === '\t')) k++;
      if (k < image.length && image[k] !== '#') {
        const slash = start + nl - (image[nl - 1] === '\r' ? 2 : 1);
        this.sink.warning('comment-continuation', 'this comment ends with a backslash, so the next line is part of the comment', source.loc(slash, slash));
        return;
      }
      from = nl + 1;
    }
  }

  /** Reads and parses an entry file; a file that cannot be read is a `file-unreadable` diagnostic. */
  parseEntry(file: string, displayName?: string): Directive[] {
    const abs = path.resolve(file);
    let text: string;
    try {
      text = this.fs.readFile(abs);
    } catch (e) {
      this.sink.error('file-unreadable', `cannot read ${file}: ${errorMessage(e)}`, startOf(displayName ?? abs));
      return [];
    }
    this.files.push(abs);
    return this.parseText(text, displayName ?? abs, path.dirname(abs), abs, {});
  }

  private tryRead(file: string): string | undefined {
    try {
      return this.fs.readFile(file);
    } catch {
      return undefined;
    }
  }

  private include(node: IncludeNode, dir: string): Directive[] {
    const pattern = path.resolve(dir, node.pattern);
    if (this.stack.length >= MAX_INCLUDE_DEPTH) {
      this.sink.error('include-depth', `Include nesting deeper than ${MAX_INCLUDE_DEPTH} levels`, node.loc);
      return [];
    }
    let files: string[];
    if (hasGlob(node.pattern)) {
      files = expandGlob(pattern, this.fs);
      if (files.length === 0) {
        this.sink.error('include-missing', `Include: no file matches '${node.pattern}'`, node.loc);
        return [];
      }
    } else files = [pattern];
    node.files = files;
    const out: Directive[] = [];
    for (const f of files) {
      if (this.stack.includes(f)) {
        this.sink.error('include-cycle', `Include cycle: ${[...this.stack, f].join(' -> ')}`, node.loc);
        continue;
      }
      if (this.files.length >= MAX_FILES) {
        this.sink.error('include-limit', `Include: more than ${MAX_FILES} files read; not reading ${f}`, node.loc);
        return out;
      }
      let text: string;
      let file = f;
      try {
        text = this.fs.readFile(f);
      } catch (e) {
        const missing = (e as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
        // libmodsecurity v3 (utils::find_resource) also finds a relative Include from the directory it was
        // started in; here that is the first configuration's directory, tried after the including file's.
        const fallback = missing && !hasGlob(node.pattern) && !path.isAbsolute(node.pattern) && this.rootDir !== undefined ? path.resolve(this.rootDir, node.pattern) : undefined;
        const found = fallback !== undefined && fallback !== f && !this.stack.includes(fallback) ? this.tryRead(fallback) : undefined;
        if (found === undefined) {
          this.sink.error('include-missing', `Include: cannot read ${f}: ${missing ? 'file not found' : errorMessage(e)}`, node.loc);
          continue;
        }
        text = found;
        file = fallback!;
        node.files = node.files?.map((x) => (x === f ? file : x));
      }
      this.files.push(file);
      append(out, this.parseText(text, file, path.dirname(file), file, { includedAt: node.loc }));
    }
    return out;
  }

  finish(directives: Directive[]): ParseResult {
    const linked = linkChains(directives, this.sink);
    const ast: ConfigAst = { directives: linked, files: this.files };
    return { ast, diagnostics: this.sink.finish() };
  }
}

/**
 * Why a file's parse says it is not SecLang, or undefined when it is: its first directive is not a known one,
 * or it has errors and no directive at all (binary data). A SecLang file with a typo in its first directive is
 * reported this way too; the location still points at the line.
 */
function notSecLang(own: readonly Directive[], diagnostics: readonly Diagnostic[]): string | undefined {
  const first = own[0];
  if (first === undefined) return diagnostics.some((d) => d.severity === 'error') ? 'no directive could be read' : undefined;
  if (first.kind === 'Unknown') return `line ${first.loc.line} does not start with a directive ModSecurity knows`;
  return undefined;
}

/** The message of anything thrown (readers may throw non-Errors; `instanceof` fails across realms). */
function errorMessage(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'message' in e) return String((e as { message: unknown }).message);
  return String(e);
}

/** `push(...items)` without spreading, which overflows the stack for very large arrays. */
function append<T>(to: T[], items: readonly T[]): void {
  for (const item of items) to.push(item);
}

function startOf(file: string): SourceLocation {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
}

/**
 * Parses SecLang text. Never throws: problems come back as diagnostics, and the AST holds every directive
 * that could be typed. Includes are followed only when `options.followIncludes` is set.
 */
export function parse(text: string, options: ParseOptions = {}): ParseResult {
  const file = options.file ?? '<input>';
  return guarded(file, () => {
    const session = new Session(makeFs(options), options.followIncludes ?? false);
    const abs = options.file === undefined ? undefined : path.resolve(options.file);
    const dir = options.baseDir ?? (abs === undefined ? process.cwd() : path.dirname(abs));
    return session.finish(session.parseText(text, file, path.resolve(dir), abs));
  });
}

/** Reads and parses a file (latin1: SecLang is bytes), following its Includes unless told otherwise. */
export function parseFile(file: string, options: ParseOptions = {}): ParseResult {
  return guarded(options.file ?? file, () => {
    const session = new Session(makeFs(options), options.followIncludes ?? true);
    return session.finish(session.parseEntry(file, options.file));
  });
}

/** Parses several entry files, in order, into one AST, as if each were included in turn. */
export function parseFiles(files: readonly string[], options: ParseOptions = {}): ParseResult {
  return guarded(files[0] ?? '<input>', () => {
    const session = new Session(makeFs(options), options.followIncludes ?? true);
    const all: Directive[] = [];
    for (const f of files) append(all, session.parseEntry(f));
    return session.finish(all);
  });
}

/**
 * The promise that parsing never throws, kept even against a bug here or a throwing injected reader: the
 * failure becomes an `internal-error` diagnostic (loud, with the message) instead of an exception.
 */
function guarded(file: string, run: () => ParseResult): ParseResult {
  try {
    return run();
  } catch (e) {
    const message = errorMessage(e);
    return {
      ast: { directives: [], files: [] },
      diagnostics: [{ severity: 'error', code: 'internal-error', message: `parser failure: ${message}`, loc: startOf(file) }],
    };
  }
}

/**
 * Parses a target list such as `ARGS|!ARGS:foo|&TX:x|XML:/*` on its own (for tools and the engine's ctl
 * handling). `loc` says where the text starts, for the diagnostics' locations.
 */
export function parseVariableList(
  text: string,
  loc?: { file?: string; line?: number; column?: number },
): { variables: VariableRef[]; diagnostics: Diagnostic[] } {
  const sink = new DiagnosticSink();
  const span = new DetachedSpan(text, loc?.file ?? '<input>', loc?.line ?? 1, loc?.column ?? 1);
  const variables = scanVariableList(span, sink);
  return { variables, diagnostics: sink.finish() };
}
