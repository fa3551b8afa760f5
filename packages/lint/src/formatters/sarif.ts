import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtinChecks } from '../checks';
import { tool } from '../tool';
import type { Check, LintDiagnostic } from '../types';
import type { Formatter } from './types';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** A relative URI (against %SRCROOT%, the working directory) for files under it, a file: URI otherwise. */
function artifact(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  }
  return { uri: pathToFileURL(abs).href };
}

function region(d: { loc: LintDiagnostic['loc'] }) {
  return { startLine: d.loc.line, startColumn: d.loc.column, endLine: d.loc.endLine, endColumn: d.loc.endColumn + 1 };
}

/** The first sentence of a check's documentation. */
function firstSentence(text: string): string {
  const m = /^.*?[.:](?=\s|$)/.exec(text);
  return (m === null ? text : m[0]).trim();
}

function ruleOf(name: string, check: Check | undefined) {
  const docs = check?.meta.docs ?? name;
  return {
    id: name,
    name,
    shortDescription: { text: firstSentence(docs) },
    fullDescription: { text: docs },
    helpUri: tool.helpUri(name),
    defaultConfiguration: { level: check?.meta.severity ?? 'error' },
    properties: {
      profiles: check?.meta.profiles ?? ['generic', 'crs'],
      fixable: check?.meta.fixable === true,
      ...(check?.meta.crsLinterNames === undefined ? {} : { crsLinterNames: check.meta.crsLinterNames }),
    },
  };
}

/** A SARIF fix: the replacements, as character offsets (SecLang files are read as bytes: one character a byte). */
function fixOf(d: LintDiagnostic, cwd: string) {
  if (d.fix === undefined) return {};
  return {
    fixes: [
      {
        description: { text: `rampart lint --fix: ${d.message}` },
        artifactChanges: [
          {
            artifactLocation: artifact(d.fix.file, cwd),
            replacements: d.fix.edits.map((e) => ({ deletedRegion: { charOffset: e.start, charLength: e.end - e.start }, insertedContent: { text: e.text } })),
          },
        ],
      },
    ],
  };
}

/**
 * SARIF 2.1.0 for code-scanning tools: one run; the driver names the tool, its version and where it is
 * documented, and lists every check as a rule (description, default level, profiles, whether --fix fixes it);
 * one result per diagnostic, with its fix when there is one.
 */
export const formatSarif: Formatter = (diagnostics, options) => {
  const checkNames = [...new Set([...builtinChecks.map((c) => c.name), ...diagnostics.map((d) => d.check)])].sort();
  const ruleIndex = new Map(checkNames.map((n, i) => [n, i]));
  const byName = new Map(builtinChecks.map((c) => [c.name, c]));
  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            semanticVersion: tool.version,
            informationUri: tool.informationUri,
            rules: checkNames.map((name) => ruleOf(name, byName.get(name))),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(options.cwd + path.sep).href } },
        results: diagnostics.map((d) => ({
          ruleId: d.check,
          ruleIndex: ruleIndex.get(d.check),
          level: d.severity,
          message: { text: d.message },
          locations: [{ physicalLocation: { artifactLocation: artifact(d.loc.file, options.cwd), region: region(d) } }],
          ...(d.related === undefined
            ? {}
            : {
                relatedLocations: d.related.map((r, id) => ({
                  id,
                  message: { text: r.message },
                  physicalLocation: { artifactLocation: artifact(r.loc.file, options.cwd), region: region(r) },
                })),
              }),
          ...fixOf(d, options.cwd),
        })),
        properties: { profile: options.profile ?? 'generic', ...(options.stats === undefined ? {} : { stats: options.stats }) },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
};
