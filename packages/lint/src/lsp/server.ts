import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  DiagnosticSeverity,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
} from 'vscode-languageserver/node';
import type { CodeAction, Connection, Diagnostic, TextEdit } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checksForProfile } from '../checks';
import { applyFixes, fixUntilStable } from '../fix';
import { lintText } from '../lint';
import type { LintResult } from '../lint';
import { tool } from '../tool';
import type { LintDiagnostic, LintSettings, Profile } from '../types';
import { PROFILES } from '../types';

export interface LanguageServerOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** The profile unless the client's initializationOptions name one. */
  profile?: Profile;
  settings?: LintSettings;
}

/** How long a changed document must stay unchanged before it is linted again. */
const CHANGE_DELAY_MS = 150;

/** What a client may put in `initializationOptions`. */
interface InitOptions {
  profile?: unknown;
  crsVersion?: unknown;
  crsTestsDir?: unknown;
}

/** The path a document lints as: its file path for `file:` URIs (so that data files resolve), else the URI. */
function pathOf(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

function uriOf(file: string, documentUri: string, documentPath: string): string {
  return file === documentPath ? documentUri : file.startsWith('/') ? pathToFileURL(file).href : file;
}

/** Locations are 1-based with an inclusive end; LSP ranges are 0-based with an exclusive end. */
function rangeOf(loc: LintDiagnostic['loc']) {
  return { start: { line: loc.line - 1, character: loc.column - 1 }, end: { line: loc.endLine - 1, character: loc.endColumn } };
}

function toDiagnostic(d: LintDiagnostic, documentUri: string, documentPath: string): Diagnostic {
  const diagnostic: Diagnostic = {
    range: rangeOf(d.loc),
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: tool.name,
    code: d.check,
    codeDescription: { href: tool.helpUri(d.check) },
    message: d.message,
  };
  if (d.related !== undefined) {
    diagnostic.relatedInformation = d.related.map((r) => ({
      message: r.message,
      location: { uri: uriOf(r.loc.file, documentUri, documentPath), range: rangeOf(r.loc) },
    }));
  }
  return diagnostic;
}

/**
 * A language server for SecLang files: lints each document when it is opened and on every change (as the text
 * the editor holds, Includes not followed), publishes the findings, and offers each fix as a quick fix and
 * all of them as `source.fixAll`. It speaks LSP over the given streams (stdin/stdout for `rampart lint --lsp`).
 */
export function startLanguageServer(options: LanguageServerOptions): Connection {
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(options.input), new StreamMessageWriter(options.output));
  const documents = new TextDocuments(TextDocument);
  let profile: Profile = options.profile ?? 'generic';
  const settings: LintSettings = { ...options.settings };
  /** The last lint of each open document, for code actions, and the version it linted. */
  const results = new Map<string, LintResult>();
  const linted = new Map<string, number>();

  // One document is linted on its own: checks that need the whole rule set (what other files set) stay out.
  const lintDocument = (document: TextDocument): LintResult =>
    lintText(document.getText(), { file: pathOf(document.uri), profile, settings, checks: checksForProfile(profile).filter((c) => c.meta.wholeRuleSet !== true) });

  const validate = (document: TextDocument): void => {
    const file = pathOf(document.uri);
    let result: LintResult;
    try {
      result = lintDocument(document);
    } catch (e) {
      // A linter failure must not take the editor's server down: say it on the first line.
      const message = `rampart lint failed: ${e instanceof Error ? e.message : String(e)}`;
      void connection.sendDiagnostics({ uri: document.uri, diagnostics: [{ range: rangeOf({ file, line: 1, column: 1, endLine: 1, endColumn: 1 }), message, severity: DiagnosticSeverity.Error, source: tool.name }] });
      return;
    }
    results.set(document.uri, result);
    linted.set(document.uri, document.version);
    const own = result.diagnostics.filter((d) => d.loc.file === file);
    void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: own.map((d) => toDiagnostic(d, document.uri, file)) });
  };

  connection.onInitialize((params) => {
    const init = (params.initializationOptions ?? {}) as InitOptions;
    if (typeof init.profile === 'string' && (PROFILES as readonly string[]).includes(init.profile)) profile = init.profile as Profile;
    if (typeof init.crsVersion === 'string') settings.crsVersion = init.crsVersion;
    if (typeof init.crsTestsDir === 'string') settings.crsTestsDir = init.crsTestsDir;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll] },
      },
      serverInfo: { name: tool.name, version: tool.version },
    };
  });

  // Typing sends a change per keystroke: lint once the text has been still for a moment (an opened document at once).
  const pending = new Map<string, NodeJS.Timeout>();
  documents.onDidOpen((event) => validate(event.document));
  documents.onDidChangeContent((change) => {
    // Opening fires this too, right after onDidOpen linted the same version.
    if (linted.get(change.document.uri) === change.document.version) return;
    clearTimeout(pending.get(change.document.uri));
    pending.set(
      change.document.uri,
      setTimeout(() => {
        pending.delete(change.document.uri);
        const current = documents.get(change.document.uri);
        if (current !== undefined) validate(current);
      }, CHANGE_DELAY_MS),
    );
  });
  documents.onDidClose((event) => {
    clearTimeout(pending.get(event.document.uri));
    pending.delete(event.document.uri);
    results.delete(event.document.uri);
    linted.delete(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  connection.onCodeAction((params) => {
    const document = documents.get(params.textDocument.uri);
    const result = results.get(params.textDocument.uri);
    if (document === undefined || result === undefined) return [];
    const file = pathOf(document.uri);
    const actions: CodeAction[] = [];
    const wanted = params.context.only;
    const wants = (kind: string) => wanted === undefined || wanted.some((k) => kind === k || kind.startsWith(`${k}.`));
    if (wants(CodeActionKind.QuickFix)) {
      const start = document.offsetAt(params.range.start);
      const end = document.offsetAt(params.range.end);
      for (const d of result.diagnostics) {
        if (d.fix === undefined || d.fix.file !== file) continue;
        const at = document.offsetAt(rangeOf(d.loc).start);
        if (at > end || document.offsetAt(rangeOf(d.loc).end) < start) continue;
        const edits: TextEdit[] = d.fix.edits.map((e) => ({ range: { start: document.positionAt(e.start), end: document.positionAt(e.end) }, newText: e.text }));
        actions.push({
          title: `Fix: ${d.message}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [toDiagnostic(d, document.uri, file)],
          edit: { changes: { [document.uri]: edits } },
        });
      }
    }
    if (wants(CodeActionKind.SourceFixAll) && result.diagnostics.some((d) => d.fix !== undefined)) {
      let text = document.getText();
      if (applyFixes(result.diagnostics, result.sources).files.size > 0) {
        const fixable = checksForProfile(profile).filter((c) => c.meta.fixable === true);
        fixUntilStable(
          () => lintText(text, { file, profile, settings, checks: fixable }),
          (_file, fixed) => {
            text = fixed;
          },
        );
        actions.push({
          title: 'Fix all rampart lint findings that can be fixed',
          kind: CodeActionKind.SourceFixAll,
          edit: { changes: { [document.uri]: [{ range: { start: document.positionAt(0), end: document.positionAt(document.getText().length) }, newText: text }] } },
        });
      }
    }
    return actions;
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}
